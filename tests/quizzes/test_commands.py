"""import_questions and export_questions: the exact command-line interface."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from courses.quizzes.models import Question, QuestionBank

FILES = Path(__file__).parent / "files"


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_it_imports_a_file_and_prints_the_report() -> None:
    code, out, err = run(
        "import_questions",
        str(FILES / "unknown_types.gift"),
        "--format",
        "gift",
        "--bank",
        "Onboarding",
    )
    assert code == 0 and err == ""
    assert 'Imported 1 question(s) into "Onboarding" (new bank); skipped 5.' in out
    assert "imported line 1: Good (single choice)" in out
    assert "skipped line 3 (Essay): Essay questions" in out
    assert "skipped line 7 (Order): " in out
    assert QuestionBank.objects.get(name="Onboarding").questions.count() == 1


@pytest.mark.django_db
def test_it_imports_moodle_xml_into_an_existing_bank() -> None:
    QuestionBank.objects.create(name="Onboarding")
    code, out, _ = run(
        "import_questions",
        str(FILES / "all_kinds.xml"),
        "--format=moodlexml",
        "--bank=Onboarding",
    )
    assert code == 0
    assert 'Imported 8 question(s) into "Onboarding"; skipped 0.' in out
    assert Question.objects.count() == 8


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "format", "message"),
    [
        ("broken_syntax.gift", "gift", "line 3: an answer block opened with {"),
        ("latin1.gift", "gift", "not UTF-8"),
        ("broken_syntax.xml", "moodlexml", "not well-formed XML"),
        ("all_kinds.gift", "moodlexml", "not well-formed XML"),
        ("missing.gift", "gift", "Cannot read"),
    ],
)
def test_it_exits_1_and_imports_nothing_when_refused(
    name: str, format: str, message: str
) -> None:
    code, out, err = run(
        "import_questions", str(FILES / name), "--format", format, "--bank", "B"
    )
    assert code == 1 and out == ""
    assert err.startswith("Refused, nothing imported: ") or "Cannot read" in err
    assert message in err
    assert not QuestionBank.objects.exists()


@pytest.mark.django_db
def test_it_lists_the_skips_when_everything_was_skipped(tmp_path: Path) -> None:
    path = tmp_path / "essays.gift"
    path.write_text("::One:: Tell me. {}\n\n::Two:: And more. {}\n")
    code, _, err = run("import_questions", str(path), "--format", "gift", "--bank", "B")
    assert code == 1
    assert "every question in the file was skipped" in err
    assert "skipped line 3 (Two): Essay questions" in err


@pytest.mark.django_db
def test_it_exports_a_bank_to_stdout_and_imports_it_back(tmp_path: Path) -> None:
    run(
        "import_questions",
        str(FILES / "all_kinds.xml"),
        "--format",
        "moodlexml",
        "--bank",
        "Source",
    )
    code, out, err = run(
        "export_questions", "--bank", "Source", "--format", "moodlexml"
    )
    assert code == 0 and err == ""
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    assert out.count("<question ") == 8
    exported = tmp_path / "source.xml"
    exported.write_text(out, encoding="utf-8")
    code, out, _ = run(
        "import_questions", str(exported), "--format", "moodlexml", "--bank", "Copy"
    )
    assert code == 0 and "Imported 8 question(s)" in out


@pytest.mark.django_db
def test_it_refuses_to_export_an_unknown_bank() -> None:
    code, out, err = run("export_questions", "--bank", "Nope", "--format", "moodlexml")
    assert code == 1 and out == ""
    assert 'There is no question bank named "Nope".' in err
