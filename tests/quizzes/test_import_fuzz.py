"""Whatever bytes arrive, the parsers answer with questions, skips or a refusal,
never with a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from courses.quizzes.formats import FileRefused, option_problems
from courses.quizzes.formats.gift import parse_gift
from courses.quizzes.formats.moodlexml import parse_moodlexml

gift_pieces = st.sampled_from(
    [
        "::",
        "{",
        "}",
        "=",
        "~",
        "#",
        "####",
        "->",
        "%50%",
        "%-100%",
        "%x%",
        "..",
        ":",
        "\\",
        "\\=",
        "\n",
        "\n\n",
        "//",
        "$CATEGORY: a/b",
        "T",
        "FALSE",
        "#1e9999",
        "#1..",
        "[html]",
        "<b>",
        "Q",
        " ",
        "1.5",
        ",",
        "é",
    ]
)
xml_pieces = st.sampled_from(
    [
        "<quiz>",
        "</quiz>",
        '<question type="multichoice">',
        '<question type="truefalse">',
        '<question type="numerical">',
        '<question type="matching">',
        '<question type="ordering">',
        '<question type="category">',
        "</question>",
        "<name><text>N</text></name>",
        "<questiontext><text>Q?</text></questiontext>",
        '<questiontext format="html"><text>&lt;p&gt;Q&lt;/p&gt;</text></questiontext>',
        '<answer fraction="100"><text>a</text></answer>',
        '<answer fraction="1e999"><text>b</text></answer>',
        '<answer fraction="-50"><text>1e9999</text><tolerance>x</tolerance></answer>',
        "<answer><text>true</text></answer>",
        "<single>false</single>",
        "<defaultgrade>1e99</defaultgrade>",
        "<defaultgrade>0</defaultgrade>",
        "<subquestion><text>L</text><answer><text>R</text></answer></subquestion>",
        "<category><text>$course$/top/X</text></category>",
        "<tags><tag><text>t</text></tag></tags>",
        "<",
        "&",
        "é",
    ]
)


def check(result: object) -> None:
    for question in result.questions:  # type: ignore[attr-defined]
        assert option_problems(question.kind, question.options) == []
        assert question.text and question.name


@settings(max_examples=400, deadline=None)
@given(st.lists(gift_pieces, max_size=30).map("".join))
def test_it_never_crashes_on_gift(text: str) -> None:
    try:
        check(parse_gift(text.encode()))
    except FileRefused:
        pass


@settings(max_examples=400, deadline=None)
@given(st.lists(xml_pieces, max_size=20).map("".join))
def test_it_never_crashes_on_moodle_xml(text: str) -> None:
    try:
        check(parse_moodlexml(text.encode()))
    except FileRefused:
        pass


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_it_never_crashes_on_random_bytes(data: bytes) -> None:
    for parse in (parse_gift, parse_moodlexml):
        try:
            check(parse(data))
        except FileRefused:
            pass
