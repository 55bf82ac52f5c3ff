"""manage.py import_scorm: the exact interface, and nothing stored when refused."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.management import call_command

from courses.scorm.models import ScormPackage, ScormPackageVersion, ScormPage
from tests.factories import CoursePageFactory
from tests.scorm.packages import scorm12_files, scorm12_zip, scorm2004_zip, zip_of


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("import_scorm", *args, stdout=out, stderr=StringIO())
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue()
    return 0, out.getvalue()


def stored_files() -> list[str]:
    root = Path(storages["private"].location) / "scorm"
    return (
        sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []
    )


@pytest.mark.django_db
def test_it_imports_a_scorm_12_package_as_a_step_of_the_course(tmp_path: Path) -> None:
    course = CoursePageFactory(title="Objections", slug="objections")
    package = tmp_path / "objections.zip"
    package.write_bytes(scorm12_zip(scos=["Listen", "Answer"]))
    code, out = run(str(package), "--course", "objections")
    assert (code, out) == (0, "imported: Objection handling (SCORM 1.2, 2 SCOs)\n")
    page = ScormPage.objects.child_of(course).get()
    assert page.live and page.package.title == "Objection handling"
    version = page.package.current_version
    assert version.served_files == ["sco0/index.html", "sco1/index.html"]
    assert storages["private"].exists(version.storage_name("sco1/index.html"))


@pytest.mark.django_db
def test_it_imports_a_scorm_2004_package_under_the_title_given(tmp_path: Path) -> None:
    package = tmp_path / "pricing.zip"
    package.write_bytes(scorm2004_zip())
    code, out = run(str(package), "--title", "Pricing, 2026 edition")
    assert (code, out) == (0, "imported: Pricing, 2026 edition (SCORM 2004, 1 SCOs)\n")
    assert not ScormPage.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_zip_slip_package_and_stores_nothing(tmp_path: Path) -> None:
    files = scorm12_files()
    files["../../evil.html"] = "x"
    package = tmp_path / "evil.zip"
    package.write_bytes(zip_of(files))
    code, out = run(str(package))
    assert code == 1
    assert (
        out == "refused: The file name '../../evil.html' points outside the package.\n"
    )
    assert not ScormPackage.objects.exists() and stored_files() == []


@pytest.mark.django_db
def test_it_refuses_an_unknown_course(tmp_path: Path) -> None:
    package = tmp_path / "objections.zip"
    package.write_bytes(scorm12_zip())
    assert run(str(package), "--course", "nope") == (
        1,
        "refused: there is no course with the slug 'nope'.\n",
    )
    assert not ScormPackageVersion.objects.exists() and stored_files() == []


@pytest.mark.django_db
def test_it_refuses_a_missing_file(tmp_path: Path) -> None:
    code, out = run(str(tmp_path / "missing.zip"))
    assert code == 1 and out.startswith("refused: cannot read ")


@pytest.mark.django_db
def test_it_removes_the_files_when_the_database_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from courses.scorm import services

    def broken(**kwargs: object) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "_version_create", broken)
    with pytest.raises(RuntimeError):
        services.package_import(data=scorm12_zip())
    assert stored_files() == [] and not ScormPackage.objects.exists()
