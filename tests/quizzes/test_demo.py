"""The demo's quiz bank, a Moodle XML file, goes through the question importer authors
use: every question imports, tagged by its course, and exports back unchanged. The
quizzes and attempts built on it are checked with the whole demo
(tests/test_seed_demo.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from courses.demo import DemoDataError, load_catalogue
from courses.quizzes.demo import load_quizzes
from courses.quizzes.formats.moodlexml import parse_moodlexml
from courses.quizzes.importing import bank_export_moodlexml, questions_import
from courses.quizzes.models import Question


def test_it_describes_a_quiz_for_each_onboarding_course():
    spec = load_quizzes()
    courses = load_catalogue().courses
    assert [quiz.course for quiz in spec.quizzes] == [
        key for key in courses if key in {quiz.course for quiz in spec.quizzes}
    ]
    assert len(spec.quizzes) == 6
    assert spec.quirk("Luis Ortega", "failed_first", "northwind-and-its-product")
    assert not spec.quirk("Maya Chen", "failed_first", "northwind-and-its-product")


@pytest.mark.django_db
def test_it_imports_the_bank_file_with_every_kind_of_question_tagged_per_course():
    spec = load_quizzes()
    report = questions_import(
        bank_name=spec.bank, data=spec.bank_file.read_bytes(), format="moodlexml"
    )
    assert report.skipped == []
    bank = report.bank
    assert bank.questions.count() == len(report.imported) >= 40
    assert set(bank.questions.values_list("kind", flat=True)) == {
        kind.value for kind in Question.Kind
    }
    for quiz in spec.quizzes:
        tagged = bank.questions.filter(tags__name=quiz.tag)
        assert len({question.kind for question in tagged}) >= 5, quiz.tag
        assert tagged.count() >= (quiz.draw or 5), quiz.tag
    for question in bank.questions.prefetch_related("options"):
        assert question.options.exists(), question.name
        if question.kind in ("single", "truefalse"):
            fractions = [option.fraction for option in question.options.all()]
            assert max(fractions) == 1, question.name

    exported = parse_moodlexml(bank_export_moodlexml(bank=bank).encode())
    assert exported.questions == parse_moodlexml(spec.bank_file.read_bytes()).questions


def test_it_refuses_a_quiz_with_an_unknown_layout(tmp_path: Path):
    text = (Path(load_quizzes().bank_file).parent / "quizzes.toml").read_text()
    (tmp_path / "quizzes.toml").write_text(
        text.replace('layout = "per_question"', 'layout = "carousel"')
    )
    with pytest.raises(DemoDataError, match="quizzes.toml.*carousel"):
        load_quizzes(tmp_path)
