"""The SCORM admin: who may upload, a package and a new version uploaded through
the same service as the command, a refusal shown with nothing stored, and the
SCORM step page type in the course tree."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import CoursePage
from courses.scorm.models import ScormPackage, ScormPage
from courses.scorm.packaging import PackageRefused
from courses.scorm.services import package_import
from tests.factories import CoursePageFactory, UserFactory, make_admin
from tests.scorm.packages import scorm12_files, scorm12_zip, scorm2004_zip, zip_of

pytestmark = pytest.mark.django_db
UPLOAD_URL = "/admin/scorm/upload/"


def upload(data: bytes, name: str = "package.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_it_refuses_the_upload_page_to_people_who_cannot_author(client: Any) -> None:
    client.force_login(UserFactory())
    assert client.get(UPLOAD_URL).status_code in (302, 403)


def test_it_imports_a_package_as_a_step_of_a_course(client: Any) -> None:
    course = CoursePageFactory(title="Objections")
    client.force_login(make_admin())
    response = client.post(
        UPLOAD_URL,
        {
            "file": upload(scorm12_zip()),
            "title": "Objections, the package",
            "course": course.pk,
        },
    )
    assert response.status_code == 302
    page = ScormPage.objects.child_of(course).get()
    assert page.package.title == "Objections, the package"
    listing = client.get(reverse("wagtailsnippets_scorm_scormpackage:list"))
    assert "Objections, the package" in listing.content.decode()


def test_it_adds_a_new_version_and_keeps_the_old_one(client: Any) -> None:
    client.force_login(make_admin())
    client.post(UPLOAD_URL, {"file": upload(scorm12_zip())})
    package = ScormPackage.objects.get()
    client.post(UPLOAD_URL, {"file": upload(scorm2004_zip()), "package": package.pk})
    assert list(package.versions.values_list("number", "standard")) == [
        (2, "2004"),
        (1, "1.2"),
    ]
    assert package.current_version.number == 2


def test_it_shows_why_a_package_was_refused(client: Any) -> None:
    files = scorm12_files()
    files["imsmanifest.xml"] = str(files["imsmanifest.xml"]).replace(
        'adlcp:scormtype="sco"', 'adlcp:scormtype="asset"'
    )
    client.force_login(make_admin())
    response = client.post(UPLOAD_URL, {"file": upload(zip_of(files))})
    assert response.status_code == 200
    assert "Refused, nothing was stored: The package has no launchable SCO" in (
        response.content.decode()
    )
    assert not ScormPackage.objects.exists()


def test_it_allows_scorm_steps_in_courses_only() -> None:
    assert ScormPage.can_create_at(CoursePageFactory())
    assert ScormPage.allowed_parent_page_models() == [CoursePage]


def test_it_adds_a_step_only_to_a_course_the_person_may_publish_in() -> None:
    course = CoursePageFactory(title="Objections")

    with pytest.raises(PackageRefused, match="you may not add steps to Objections"):
        package_import(data=scorm12_zip(), course=course, user=UserFactory())

    assert not ScormPackage.objects.exists()
    assert not ScormPage.objects.exists()
