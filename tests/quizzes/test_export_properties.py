"""Property: any valid question written to Moodle XML reads back the same."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from courses.quizzes.formats import ParsedOption, ParsedQuestion, number_text
from courses.quizzes.formats.moodlexml import export_moodlexml, parse_moodlexml

texts = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
        )
        | st.sampled_from("\n\t\r<>&\"'"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
optional_texts = st.one_of(st.just(""), texts)
fractions = st.integers(-100000, 100000).map(lambda n: Decimal(n) / 100000)
tolerances = st.integers(0, 10**9).map(lambda n: Decimal(n) / 10**6)
points = st.integers(1, 999999).map(lambda n: Decimal(n) / 100)


def option(
    text: str, *, fraction: Decimal = Decimal(0), **fields: object
) -> ParsedOption:
    return ParsedOption(text=text, fraction=fraction, **fields)  # type: ignore[arg-type]


@st.composite
def answers(draw: st.DrawFn, kind: str) -> list[ParsedOption]:
    feedback = optional_texts
    if kind == "truefalse":
        true_right = draw(st.booleans())
        return [
            option("True", fraction=Decimal(int(true_right)), feedback=draw(feedback)),
            option(
                "False", fraction=Decimal(int(not true_right)), feedback=draw(feedback)
            ),
        ]
    if kind == "matching":
        pairs = draw(
            st.lists(
                st.tuples(texts, texts.map(lambda t: t[:500])), min_size=2, max_size=5
            )
        )
        extra = draw(st.lists(texts.map(lambda t: t[:500]), max_size=2))
        return [option(left, match_text=right) for left, right in pairs] + [
            option("", match_text=right) for right in extra
        ]
    if kind == "ordering":
        return [
            option(text, feedback=draw(feedback))
            for text in draw(st.lists(texts, min_size=2, max_size=5))
        ]
    if kind == "multiple":
        right = draw(st.integers(1, 4))
        cuts = sorted(
            draw(
                st.lists(
                    st.integers(1, 99999),
                    min_size=right - 1,
                    max_size=right - 1,
                    unique=True,
                )
            )
        )
        shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100000], strict=True)]
        wrong = draw(
            st.lists(fractions.filter(lambda f: f <= 0), min_size=1, max_size=3)
        )
        values = [Decimal(s) / 100000 for s in shares] + wrong
    else:
        others = draw(
            st.lists(fractions, min_size=1 if kind == "single" else 0, max_size=3)
        )
        if kind != "single":
            others = [abs(f) for f in others]
        values = [Decimal(1), *others]
    result = []
    for value in values:
        if kind == "numeric":
            number = draw(st.integers(-(10**8), 10**8).map(lambda n: Decimal(n) / 1000))
            result.append(
                option(
                    number_text(number),
                    fraction=value,
                    tolerance=draw(tolerances),
                    feedback=draw(feedback),
                )
            )
        else:
            result.append(option(draw(texts), fraction=value, feedback=draw(feedback)))
    return result


@st.composite
def questions(draw: st.DrawFn) -> ParsedQuestion:
    kind = draw(
        st.sampled_from(
            [
                "single",
                "multiple",
                "truefalse",
                "short",
                "numeric",
                "matching",
                "ordering",
            ]
        )
    )
    return ParsedQuestion(
        kind=kind,
        name=draw(texts.map(lambda t: t[:255].strip()).filter(bool)),
        text=draw(texts),
        options=draw(answers(kind)),
        points=draw(points),
        explanation=draw(optional_texts),
        partial_credit=draw(st.booleans()),
        shuffle=draw(st.booleans()),
        tags=draw(
            st.lists(
                texts.map(lambda t: t[:100].strip()).filter(bool),
                max_size=3,
                unique=True,
            )
        ),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(questions(), min_size=1, max_size=4))
def test_it_reads_back_every_question_it_writes(written: list[ParsedQuestion]) -> None:
    result = parse_moodlexml(export_moodlexml(written).encode())
    assert result.skipped == []
    for number, question in enumerate(written, 1):
        question.where = f"question {number}"
    assert result.questions == written
