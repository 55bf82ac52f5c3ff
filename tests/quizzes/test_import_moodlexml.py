"""Moodle XML files: every kind, with feedback, weights, grades and categories;
broken files refused whole; unsupported questions skipped with number and reason."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from courses.quizzes.formats import FileRefused, html_to_text
from courses.quizzes.formats.moodlexml import parse_moodlexml
from courses.quizzes.importing import ImportRefused, questions_import
from courses.quizzes.models import Question, QuestionBank

FILES = Path(__file__).parent / "files"


def parse(name: str):  # type: ignore[no-untyped-def]
    return parse_moodlexml((FILES / name).read_bytes())


def by_name(name: str):  # type: ignore[no-untyped-def]
    return {q.name: q for q in parse(name).questions}


def test_it_reads_single_choice_from_html_with_grade_and_feedback() -> None:
    question = by_name("all_kinds.xml")["Discovery opener"]
    assert question.kind == "single"
    assert question.where == "question 1"
    assert question.text == "What is the main goal of a discovery call?"
    assert question.explanation == "A discovery call is for learning, not for selling."
    assert question.points == Decimal("2.00")
    assert question.shuffle is True
    assert [(o.text, o.fraction, o.feedback) for o in question.options] == [
        ("Understand the customer's problem", 1, "Right: listen before you pitch."),
        ("Demo every feature", 0, "Too early & too long."),
        ("Agree on a price", 0, ""),
    ]
    assert question.tags == ["Discovery", "calls", "basics"]


def test_it_reads_multiple_response_weights_and_all_or_nothing() -> None:
    questions = by_name("all_kinds.xml")
    signals = questions["Qualifying signals"]
    assert signals.kind == "multiple" and signals.partial_credit
    assert signals.shuffle is False
    assert [o.fraction for o in signals.options] == [
        Decimal("0.33333"),
        Decimal("0.33333"),
        Decimal("0.33333"),
        Decimal("-0.5"),
    ]
    essentials = questions["Meeting essentials"]
    assert essentials.kind == "multiple" and not essentials.partial_credit
    assert [o.fraction for o in essentials.options] == [
        Decimal("0.5"),
        Decimal("0.5"),
        Decimal("0"),
    ]


def test_it_reads_true_false_short_and_numeric() -> None:
    questions = by_name("all_kinds.xml")
    silence = questions["Silence"]
    assert [(o.text, o.fraction, o.feedback) for o in silence.options] == [
        ("True", 1, "Right: let them think."),
        ("False", 0, "Silence gives room to answer."),
    ]
    acronym = questions["Acronym"]
    assert acronym.kind == "short"
    assert [(o.text, o.fraction) for o in acronym.options] == [
        ("Budget", 1),
        ("Buyer", Decimal("0.5")),
    ]
    win_rate = questions["Win rate"]
    assert win_rate.kind == "numeric" and win_rate.points == 3
    # The catch-all answer "*" earns nothing and is left out.
    assert [(o.text, o.tolerance, o.fraction) for o in win_rate.options] == [
        ("25", Decimal("0.5"), 1),
        ("25", Decimal("5"), Decimal("0.5")),
    ]


def test_it_reads_matching_and_ordering_in_the_right_order() -> None:
    questions = by_name("all_kinds.xml")
    stages = questions["Stages"]
    assert [(o.text, o.match_text) for o in stages.options] == [
        ("Discovery", "Understand the problem"),
        ("Demo", "Show the solution"),
        ("Negotiation", "Agree on terms"),
        ("", "Celebrate early"),
    ]
    flow = questions["Call flow"]
    assert flow.kind == "ordering" and not flow.partial_credit
    assert [o.text for o in flow.options] == ["Agenda", "Questions", "Next steps"]
    assert flow.tags == ["Product", "process"]


def test_it_skips_unsupported_types_and_empty_answers_with_numbers() -> None:
    result = parse("unknown_types.xml")
    assert [q.name for q in result.questions] == ["Good one"]
    assert [(s.where, s.name) for s in result.skipped] == [
        ("question 2", "Best call"),
        ("question 3", "Intro"),
        ("question 4", "Cloze"),
        ("question 5", "Formula"),
        ("question 6", "No answers"),
        ("question 7", "Nothing accepted"),
    ]
    assert "'essay' is not supported" in result.skipped[0].reason
    assert "'calculated' is not supported" in result.skipped[3].reason
    assert result.skipped[4].reason == "Answers 1, 2 are empty."
    assert result.skipped[5].reason == "The question has no answers."


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("broken_syntax.xml", r"not well-formed XML \(mismatched tag at line 5"),
        ("latin1_undeclared.xml", "not UTF-8 .*0xE9.*declares no other encoding"),
        ("entities.xml", "declares entities"),
        ("not_quiz.xml", "starts with <html>, not <quiz>"),
    ],
)
def test_it_refuses_malformed_files(name: str, message: str) -> None:
    with pytest.raises(FileRefused, match=message):
        parse(name)


def test_it_reads_a_declared_encoding_and_a_byte_order_mark() -> None:
    assert by_name("latin1_declared.xml")["Café"].text == "Cafés serve coffee."
    data = (FILES / "all_kinds.xml").read_bytes()
    assert len(parse_moodlexml(b"\xef\xbb\xbf" + data).questions) == 8
    utf16 = data.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert len(parse_moodlexml(utf16.encode("utf-16")).questions) == 8


def test_it_refuses_empty_files_and_files_without_questions() -> None:
    with pytest.raises(FileRefused, match="empty"):
        parse_moodlexml(b"  ")
    with pytest.raises(FileRefused, match="holds no questions"):
        parse_moodlexml(b"<quiz></quiz>")


def test_it_turns_html_into_plain_text_without_running_anything() -> None:
    markup = (
        "<p>One &amp; two</p><script>alert('x')</script><style>p{}</style>"
        "<ul><li>a</li><li>b<br>c</li></ul><img src=x onerror=alert(1) alt='Chart'>"
    )
    assert html_to_text(markup) == "One & two\n\na\n\nb\nc\n\n[Chart]"
    assert html_to_text("&lt;b&gt;not bold&lt;/b&gt;") == "<b>not bold</b>"


@pytest.mark.django_db
def test_it_imports_a_moodle_xml_file_all_kinds() -> None:
    report = questions_import(
        bank_name="From Moodle",
        data=(FILES / "all_kinds.xml").read_bytes(),
        format="moodlexml",
    )
    assert len(report.imported) == 8
    kinds = sorted(Question.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        ["single", "multiple", "multiple", "truefalse", "short", "numeric"]
        + ["matching", "ordering"]
    )
    opener = Question.objects.get(name="Discovery opener")
    assert sorted(opener.tags.names()) == ["Discovery", "basics", "calls"]
    assert opener.points == Decimal("2.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["broken_syntax.xml", "latin1_undeclared.xml", "entities.xml"]
)
def test_it_imports_nothing_from_a_malformed_file(name: str) -> None:
    with pytest.raises(ImportRefused):
        questions_import(
            bank_name="Never", data=(FILES / name).read_bytes(), format="moodlexml"
        )
    assert not QuestionBank.objects.exists()
