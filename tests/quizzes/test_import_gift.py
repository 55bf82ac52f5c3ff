"""GIFT files: every kind GIFT can express, with feedback and weights; broken files
refused whole; unsupported questions skipped with their line and reason."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from courses.quizzes.formats import FileRefused
from courses.quizzes.formats.gift import parse_gift
from courses.quizzes.importing import ImportRefused, questions_import
from courses.quizzes.models import Question, QuestionBank

FILES = Path(__file__).parent / "files"


def parse(name: str):  # type: ignore[no-untyped-def]
    return parse_gift((FILES / name).read_bytes())


def by_name(name: str):  # type: ignore[no-untyped-def]
    return {q.name: q for q in parse(name).questions}


def options(question):  # type: ignore[no-untyped-def]
    return [(o.text, o.fraction, o.feedback) for o in question.options]


def test_it_reads_single_choice_with_feedback_and_general_feedback() -> None:
    question = by_name("all_kinds.gift")["Discovery opener"]
    assert question.kind == "single"
    assert question.text == "What is the main goal of a discovery call?"
    assert question.explanation == "A discovery call is for learning, not for selling."
    assert options(question) == [
        ("Understand the customer's problem", 1, "Right: listen before you pitch."),
        ("Demo every feature", 0, "Too early: you don't know what matters yet."),
        ("Agree on a price", 0, "Pricing comes after value."),
    ]
    assert question.where == "line 4"
    assert question.points == Decimal("1.00")


def test_it_reads_weighted_answers_without_equals_as_multiple_response() -> None:
    question = by_name("all_kinds.gift")["Qualifying signals"]
    assert question.kind == "multiple"
    assert [o.fraction for o in question.options] == [
        Decimal("0.5"),
        Decimal("0.5"),
        Decimal("-1"),
        Decimal("0"),
    ]
    assert question.options[2].feedback == "Usually a stall."


def test_it_reads_true_false_with_wrong_and_right_feedback() -> None:
    questions = by_name("all_kinds.gift")
    silence = questions["Silence"]
    assert silence.kind == "truefalse"
    assert options(silence) == [
        ("True", 1, "Right: let them think."),
        ("False", 0, "Try again: silence gives room to answer."),
    ]
    assert [(o.text, o.fraction) for o in questions["Myth"].options] == [
        ("True", 0),
        ("False", 1),
    ]


def test_it_reads_short_answers_with_weights_and_missing_words() -> None:
    questions = by_name("all_kinds.gift")
    acronym = questions["Acronym"]
    assert acronym.kind == "short"
    assert options(acronym) == [
        ("Budget", 1, "Yes."),
        ("Buyer", Decimal("0.5"), "Close: it is Budget."),
    ]
    assert acronym.explanation == "BANT: Budget, Authority, Need, Timing."
    blank = questions["Missing word"]
    assert blank.text == "A good agenda ends with agreed _____ for both sides."
    assert options(blank) == [("next steps", 1, "")]


def test_it_reads_numbers_with_tolerances_ranges_and_weights() -> None:
    questions = by_name("all_kinds.gift")
    win_rate = questions["Win rate"].options
    assert [(o.text, o.tolerance, o.feedback) for o in win_rate] == [
        ("25", Decimal("0.5"), "Exactly 25%.")
    ]
    cycle = questions["Cycle length"].options
    assert [(o.text, o.tolerance) for o in cycle] == [("45", Decimal("15"))]
    weighted = questions["Weighted number"].options
    assert [(o.text, o.tolerance, o.fraction) for o in weighted] == [
        ("2011", Decimal("0"), Decimal("1")),
        ("2011", Decimal("2"), Decimal("0.5")),
    ]


def test_it_reads_matching_pairs_with_a_distractor() -> None:
    stages = by_name("all_kinds.gift")["Stages"]
    assert stages.kind == "matching"
    assert [(o.text, o.match_text) for o in stages.options] == [
        ("Discovery", "Understand the problem"),
        ("Demo", "Show the solution"),
        ("Negotiation", "Agree on terms"),
        ("", "Celebrate early"),
    ]


def test_it_reads_escapes_html_and_categories_as_tags() -> None:
    questions = by_name("all_kinds.gift")
    escapes = questions["Escapes"]
    assert escapes.text.endswith("equals sign as = and a colon as :")
    assert [o.text for o in escapes.options] == ["a=b", "a:b", "a#b"]
    assert escapes.tags == ["Discovery"]
    html = questions["HTML"]
    assert html.text == "Which plan includes SSO?"
    assert html.options[0].feedback == "Yes"
    assert html.tags == ["Product"]


def test_it_skips_what_it_cannot_import_with_line_and_reason() -> None:
    result = parse("unknown_types.gift")
    assert [q.name for q in result.questions] == ["Good"]
    skipped = {item.where: item for item in result.skipped}
    assert set(skipped) == {"line 3", "line 5", "line 7", "line 9", "line 11"}
    assert "Essay" in skipped["line 3"].reason
    assert "description" in skipped["line 5"].reason
    assert "GIFT has no ordering questions" in skipped["line 7"].reason
    assert skipped["line 9"].reason == "Answers 1, 2 are empty."
    assert "at least two pairs" in skipped["line 11"].reason


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"::Q:: text {=a ~b\n", "line 1: an answer block opened with { is not closed"),
        (b"::Q:: text =a ~b}\n", "line 1: a } closes no answer block"),
        (b"::Q text {=a ~b}\n", "line 1: the question name opened with ::"),
        (b"::Q:: one {=a ~b} two {=c ~d}\n", "this one has several"),
        (b"", "holds no GIFT questions"),
        (b"// only a comment\n\n", "holds no GIFT questions"),
        (b"\x00\x01::Q:: {T}", "binary data"),
    ],
)
def test_it_refuses_malformed_files(content: bytes, message: str) -> None:
    with pytest.raises(FileRefused, match=message):
        parse_gift(content)


def test_it_refuses_text_that_is_not_utf8() -> None:
    with pytest.raises(FileRefused, match="not UTF-8 text .*line 1.*0xE9"):
        parse("latin1.gift")


def test_it_reads_files_with_a_byte_order_mark_and_utf16() -> None:
    assert [q.name for q in parse("bom.gift").questions] == ["BOM"]
    text = "::Café::Cafés serve coffee {T}\n"
    assert parse_gift(text.encode("utf-16")).questions[0].name == "Café"


def test_it_reads_windows_line_endings_and_keeps_line_numbers() -> None:
    data = b"// c\r\n\r\n::A:: one {T}\r\n\r\n\r\n::B:: two {F}\r\n"
    assert [q.where for q in parse_gift(data).questions] == ["line 3", "line 6"]


@pytest.mark.django_db
def test_it_imports_a_gift_file_into_a_new_bank_with_tags() -> None:
    report = questions_import(
        bank_name="Discovery",
        data=(FILES / "all_kinds.gift").read_bytes(),
        format="gift",
    )
    assert report.bank_created
    assert len(report.imported) == 12 and report.skipped == []
    bank = QuestionBank.objects.get(name="Discovery")
    assert bank.questions.count() == 12
    stages = Question.objects.get(bank=bank, name="Stages")
    assert [(o.text, o.match_text) for o in stages.options.all()][-1] == (
        "",
        "Celebrate early",
    )
    assert sorted(Question.objects.get(name="HTML").tags.names()) == ["Product"]
    assert report.lines()[0] == (
        'Imported 12 question(s) into "Discovery" (new bank); skipped 0.'
    )


@pytest.mark.django_db
def test_it_imports_into_an_existing_bank_and_reports_skips() -> None:
    bank = QuestionBank.objects.create(name="Basics")
    report = questions_import(
        bank_name=" Basics ",
        data=(FILES / "unknown_types.gift").read_bytes(),
        format="gift",
    )
    assert report.bank == bank and not report.bank_created
    assert [item.name for item in report.imported] == ["Good"]
    assert len(report.skipped) == 5
    assert "  skipped line 3 (Essay): Essay questions" in "\n".join(report.lines())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"::Q:: text {=a ~b\n", "not closed"),
        (b"::E:: Essay {}\n", "every question in the file was skipped"),
    ],
)
def test_it_imports_nothing_from_a_refused_file(content: bytes, message: str) -> None:
    with pytest.raises(ImportRefused, match=message):
        questions_import(bank_name="New bank", data=content, format="gift")
    assert not QuestionBank.objects.exists()
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_it_refuses_unknown_formats_and_empty_bank_names() -> None:
    with pytest.raises(ImportRefused, match="Unknown format 'qti'"):
        questions_import(bank_name="B", data=b"::Q:: x {T}", format="qti")
    with pytest.raises(ImportRefused, match="Name the bank"):
        questions_import(bank_name="  ", data=b"::Q:: x {T}", format="gift")
    assert not QuestionBank.objects.exists()
