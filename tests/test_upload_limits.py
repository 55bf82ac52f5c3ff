"""Request bodies above their limit are refused (413, nothing saved) before they are
read: the outcome CSV import, the question import and Wagtail's image and document
uploads; the tus endpoint keeps its own per-upload limit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image

from courses.quizzes.formats import MAX_FILE_BYTES
from courses.quizzes.models import Question
from dashboards import importing
from dashboards.models import SalesOutcome
from lms.uploads import FORM_FIELDS_ALLOWANCE
from tests.factories import make_admin

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def _file(name: str, size: int, content_type: str = "text/plain") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"x" * size, content_type=content_type)


def _announced(client, url: str, length: int):
    """A multipart POST announcing `length` bytes whose body must not be read."""
    return client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=limit",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody()},
    )


def _refused(response, limit_text: str) -> None:
    assert response.status_code == 413
    page = response.content.decode()
    assert "too large" in page
    assert limit_text in page


@pytest.fixture
def manager(client, org):
    client.force_login(org.east_manager)
    return client


@pytest.fixture
def author(client):
    client.force_login(make_admin())
    return client


def test_it_refuses_an_outcome_csv_announced_too_large_unread(manager):
    url = reverse("outcomes_import")
    limit = importing.MAX_BYTES + FORM_FIELDS_ALLOWANCE
    _refused(_announced(manager, url, limit + 1), "5.0\xa0MB")
    assert SalesOutcome.objects.count() == 0


def test_it_stops_an_outcome_csv_once_the_file_passes_the_limit(manager):
    # The body fits the allowance for the form's fields; the file alone does not.
    upload = _file("outcomes.csv", importing.MAX_BYTES + 1, "text/csv")
    response = manager.post(reverse("outcomes_import"), {"file": upload})
    _refused(response, "5.0\xa0MB")
    assert SalesOutcome.objects.count() == 0


def test_it_still_reads_an_outcome_csv_within_the_limit(manager):
    upload = _file("outcomes.csv", 10, "text/csv")
    response = manager.post(reverse("outcomes_import"), {"file": upload})
    assert response.status_code == 400  # read, and refused for its content
    assert "plan" in response.context


def test_it_refuses_a_question_file_over_its_limit(author):
    url = reverse("quizzes_import")
    limit = MAX_FILE_BYTES + FORM_FIELDS_ALLOWANCE
    _refused(_announced(author, url, limit + 1), "10.0\xa0MB")
    upload = _file("questions.txt", MAX_FILE_BYTES + 1)
    response = author.post(url, {"file": upload, "format": "gift"})
    _refused(response, "10.0\xa0MB")
    assert Question.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/admin/images/add/", "file"),
        ("/admin/images/multiple/add/", "files[]"),
        ("/admin/documents/add/", "file"),
        ("/admin/documents/multiple/add/", "files[]"),
    ],
)
def test_it_refuses_wagtail_uploads_over_the_site_limit(author, settings, url, field):
    settings.UPLOAD_MAX_BYTES = MiB
    _refused(_announced(author, url, MiB + FORM_FIELDS_ALLOWANCE + 1), "1.0\xa0MB")
    upload = _file("big.pdf", MiB + 1, "application/pdf")
    response = author.post(url, {"title": "Big", field: upload})
    _refused(response, "1.0\xa0MB")
    assert not Document.objects.exists()
    assert not Image.objects.exists()


def test_it_takes_a_wagtail_document_within_the_site_limit(author, settings):
    settings.UPLOAD_MAX_BYTES = MiB
    upload = _file("small.pdf", MiB // 2, "application/pdf")
    response = author.post("/admin/documents/add/", {"title": "Small", "file": upload})
    assert response.status_code == 302
    assert Document.objects.get().file.size == MiB // 2


def test_it_leaves_tus_uploads_to_their_own_limit(client, org, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    client.force_login(org.rep_east)
    tus = {"HTTP_TUS_RESUMABLE": "1.0.0"}
    created = client.post("/uploads/", HTTP_UPLOAD_LENGTH="5000", **tus)
    assert created.status_code == 201
    response = client.generic(
        "PATCH",
        created["Location"],
        b"\0" * 5000,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET="0",
        **tus,
    )
    assert response.status_code == 204
