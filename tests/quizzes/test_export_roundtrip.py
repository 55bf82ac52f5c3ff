"""Export a bank to Moodle XML, import it again: the same questions come back."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import fromstring

import pytest

from courses.quizzes.formats import ParsedOption, ParsedQuestion
from courses.quizzes.formats.moodlexml import export_moodlexml, parse_moodlexml
from courses.quizzes.importing import (
    bank_export_moodlexml,
    questions_as_parsed,
    questions_import,
)
from courses.quizzes.models import Question, QuestionBank
from tests.quizzes.questions import every_kind, make_question

FILES = Path(__file__).parent / "files"


def described(bank: QuestionBank) -> list[tuple]:  # type: ignore[type-arg]
    """Everything a question is made of, comparable across banks."""
    questions = Question.objects.filter(bank=bank).order_by("pk")
    return [
        (
            q.kind,
            q.name,
            q.text,
            q.points,
            q.explanation,
            q.partial_credit,
            q.shuffle_options,
            sorted(q.tags.names()),
            [
                (o.text, o.match_text, o.fraction, o.tolerance, o.feedback)
                for o in q.options.all()
            ],
        )
        for q in questions
    ]


def round_trip(bank: QuestionBank) -> QuestionBank:
    xml = bank_export_moodlexml(bank=bank)
    report = questions_import(
        bank_name=f"{bank.name} (copy)", data=xml.encode(), format="moodlexml"
    )
    assert report.skipped == []
    return report.bank


@pytest.mark.django_db
def test_it_gives_back_the_same_questions_of_every_kind() -> None:
    bank = QuestionBank.objects.create(name="Every kind")
    every_kind(bank, tags=["discovery", "week 1"])
    make_question(
        bank,
        "multiple",
        [
            {"text": "Agenda", "fraction": "0.6", "feedback": "Yes & more."},
            {"text": "Outcome", "fraction": "0.4"},
            {"text": "Quota", "fraction": "-1", "feedback": "<b>No</b>"},
        ],
        name="All or nothing",
        text='Line one\nLine two with <tags> & "quotes"',
        points="2.5",
        partial_credit=False,
        shuffle_options=True,
    )
    make_question(
        bank,
        "ordering",
        [{"text": "First", "feedback": "Starts it"}, {"text": "Second"}],
        name="Strict order",
        partial_credit=False,
        explanation="Order matters.",
    )
    make_question(
        bank,
        "single",
        [{"text": "Right", "fraction": 1}, {"text": "Wrong", "fraction": "-0.25"}],
        name="Penalty single",
        partial_credit=False,
    )
    copy = round_trip(bank)
    assert described(copy) == described(bank)
    assert len(described(copy)) == 10


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "format"), [("all_kinds.gift", "gift"), ("all_kinds.xml", "moodlexml")]
)
def test_it_round_trips_imported_files(name: str, format: str) -> None:
    report = questions_import(
        bank_name="Imported", data=(FILES / name).read_bytes(), format=format
    )
    copy = round_trip(report.bank)
    assert described(copy) == described(report.bank)


@pytest.mark.django_db
def test_it_exports_in_four_queries_whatever_the_size(
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    bank = QuestionBank.objects.create(name="Big")
    for _ in range(3):
        every_kind(bank, tags=["a", "b"])
    with django_assert_num_queries(3):
        xml = bank_export_moodlexml(bank=bank)
    assert xml.count("<question ") == 21


@pytest.mark.django_db
def test_it_writes_moodle_xml_that_moodle_reads() -> None:
    bank = QuestionBank.objects.create(name="Moodle shape")
    every_kind(bank)
    root = fromstring(bank_export_moodlexml(bank=bank).encode())
    assert root.tag == "quiz"
    types = [q.get("type") for q in root.findall("question")]
    assert types == [
        "multichoice",
        "multichoice",
        "truefalse",
        "shortanswer",
        "numerical",
        "matching",
        "ordering",
    ]
    single = root.findall("question")[0]
    assert single.findtext("single") == "true"
    assert [a.get("fraction") for a in single.findall("answer")] == ["100", "0", "0"]
    numeric = root.findall("question")[4]
    assert [a.findtext("tolerance") for a in numeric.findall("answer")] == ["2", "10"]
    ordering = root.findall("question")[6]
    assert [a.get("fraction") for a in ordering.findall("answer")] == [
        "1",
        "2",
        "3",
        "4",
    ]


def test_it_drops_characters_xml_cannot_carry() -> None:
    question = ParsedQuestion(
        kind="truefalse",
        name="Bell\x07",
        text="Form\x0cfeed",
        options=[
            ParsedOption(text="True", fraction=Decimal(1)),
            ParsedOption(text="False"),
        ],
    )
    parsed = parse_moodlexml(export_moodlexml([question]).encode())
    assert (parsed.questions[0].name, parsed.questions[0].text) == ("Bell", "Formfeed")


@pytest.mark.django_db
def test_it_describes_questions_in_the_parsers_shape() -> None:
    bank = QuestionBank.objects.create(name="Shape")
    questions = every_kind(bank, tags=["z", "a"])
    parsed = questions_as_parsed(
        Question.objects.filter(pk=questions["numeric"].pk).prefetch_related(
            "options", "tags"
        )
    )
    assert parsed[0].tags == ["a", "z"]
    assert [(o.text, o.tolerance) for o in parsed[0].options] == [
        ("30", Decimal("2")),
        ("30", Decimal("10")),
    ]
