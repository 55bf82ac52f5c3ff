"""GIFT (Moodle's plain-text question format) to ParsedQuestions.

Understood: ::name::, [html]/[moodle]/[plain]/[markdown] text formats, single choice
(=right ~wrong), multiple response (~%50%weights, no =), per-answer #feedback,
general feedback ####, true/false with right/wrong feedback, short answer, numeric
(value, value:tolerance, low..high, several weighted answers), matching (=a -> b),
missing-word questions (answers inside the text), $CATEGORY: as a tag, // comments
and the \\~ \\= \\# \\{ \\} \\: \\n escapes. GIFT cannot say points, partial credit
or shuffling: questions get 1 point, partial credit and shuffled options. Essays
({}), descriptions (no answers) and anything that is not one of these are skipped
with the reason; a file whose braces or names do not close is refused as a whole.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext

from courses.quizzes.formats import (
    FileRefused,
    ParsedOption,
    ParsedQuestion,
    ParseResult,
    QuestionProblem,
    SkippedItem,
    fraction_from_percent,
    html_to_text,
    number_text,
    option_problems,
    parse_number,
    quantize_tolerance,
    tag_from_category,
)

_ESCAPES = {
    "\\": "\ue000",
    "~": "\ue001",
    "=": "\ue002",
    "#": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    ":": "\ue006",
    "n": "\ue007",
}
_UNESCAPES = {v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()}
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:[.,]\d+)?)%")
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TRUE_FALSE = re.compile(r"^(T|F|TRUE|FALSE)\s*(#.*)?$", re.IGNORECASE | re.DOTALL)
_NAME_LENGTH = 80


def decode(data: bytes) -> str:
    """The file as text: UTF-8 (a byte-order mark is dropped) or UTF-16 with its
    byte-order mark; anything else is refused rather than guessed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileRefused(
                gettext(
                    "The file starts like UTF-16 text but cannot be read as UTF-16."
                )
            ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRefused(
            gettext(
                "The file is not UTF-8 text (line %(line)s has the byte 0x%(byte)s, "
                "which UTF-8 does not allow). Save the file as UTF-8 and import it "
                "again."
            )
            % {"line": line, "byte": f"{data[exc.start]:02X}"}
        ) from exc
    if "\x00" in text:
        raise FileRefused(gettext("The file holds binary data, not GIFT text."))
    return text


def parse_gift(data: bytes) -> ParseResult:
    """Every question of a GIFT file, and the items skipped with their line and
    reason. Raises FileRefused when the file cannot be read as a whole."""
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    if any(ch in text for ch in _UNESCAPES):
        raise FileRefused(
            gettext("The file holds private-use characters GIFT cannot carry.")
        )
    questions: list[ParsedQuestion] = []
    skipped: list[SkippedItem] = []
    tag = ""
    for start, lines in _blocks(text):
        if lines[0].lstrip().startswith("$CATEGORY:"):
            tag = tag_from_category(lines[0].split(":", 1)[1])
            lines = lines[1:]
            start += 1
            if not lines:
                continue
        where = gettext("line %(number)s") % {"number": start}
        escaped = _escape("\n".join(lines))
        try:
            question = _question(escaped, where)
        except QuestionProblem as problem:
            skipped.append(SkippedItem(where, _name_guess(escaped), str(problem)))
            continue
        problems = option_problems(question.kind, question.options)
        if problems:
            skipped.append(SkippedItem(where, question.name, " ".join(problems)))
            continue
        if tag:
            question.tags = [tag]
        questions.append(question)
    if not questions and not skipped:
        raise FileRefused(gettext("The file holds no GIFT questions."))
    return ParseResult(questions=questions, skipped=skipped)


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Questions are separated by blank lines; lines starting with // are
    comments."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            if current:
                blocks.append((start, current))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, current))
    return blocks


def _escape(text: str) -> str:
    return re.sub(
        r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text, flags=re.DOTALL
    )


def _unescape(text: str) -> str:
    for placeholder, char in _UNESCAPES.items():
        text = text.replace(placeholder, char)
    return text


def _plain(text: str, text_format: str) -> str:
    text = _unescape(text).strip()
    if text_format == "html":
        return html_to_text(text)
    return text


def _name_guess(escaped: str) -> str:
    match = re.match(r"\s*::(.*?)::", escaped, re.DOTALL)
    if match:
        return _unescape(match.group(1)).strip()
    return _unescape(escaped.split("{", 1)[0]).strip()[:_NAME_LENGTH]


def _question(escaped: str, where: str) -> ParsedQuestion:
    body = escaped.strip()
    name = ""
    if body.startswith("::"):
        end = body.find("::", 2)
        if end == -1:
            raise FileRefused(
                f"{where}: the question name opened with :: is not closed with ::."
            )
        name = _unescape(body[2:end]).strip()
        body = body[end + 2 :]
    opens, closes = body.count("{"), body.count("}")
    if opens == 0 and closes == 0:
        raise QuestionProblem(
            "A description (text without an answer block {…}) is not a question."
        )
    open_at, close_at = body.find("{"), body.find("}")
    if opens != 1 or closes != 1 or close_at < open_at:
        if opens > closes or (opens == closes == 1 and close_at < open_at):
            problem = "an answer block opened with { is not closed with }"
        elif closes > opens:
            problem = "a } closes no answer block (write \\} for a brace in text)"
        else:
            problem = "a question has one answer block {…}, this one has several"
        raise FileRefused(f"{where}: {problem}.")
    before, answers, after = (
        body[:open_at],
        body[open_at + 1 : close_at],
        body[close_at + 1 :],
    )
    text_format = "moodle"
    format_match = _FORMAT.match(before)
    if format_match:
        text_format = format_match.group(1).lower()
        before = before[format_match.end() :]
    text = _plain(before, text_format)
    if after.strip():
        text = f"{text} _____ {_plain(after, text_format)}".strip()
    if not name:
        name = text.replace("\n", " ")[:_NAME_LENGTH].strip()
    if not text:
        raise QuestionProblem(gettext("The question text is empty."))
    answers, _, general = answers.partition("####")
    question = _answers(answers.strip(), text_format)
    question.name = name
    question.text = text
    question.explanation = _plain(general, text_format)
    question.where = where
    return question


def _answers(answers: str, text_format: str) -> ParsedQuestion:
    if not answers:
        raise QuestionProblem(
            gettext("Essay questions (an empty answer block {}) are not supported.")
        )
    if answers.startswith("#"):
        return _numeric(answers[1:].strip(), text_format)
    true_false = _TRUE_FALSE.match(answers)
    if true_false:
        return _true_false(true_false, text_format)
    if answers[0] not in "=~":
        raise QuestionProblem(
            gettext(
                "Unknown answer format {%(answers)s}: GIFT answers start with = "
                "(right) or ~ (wrong), or are T/F, #number or empty (an essay); GIFT "
                "has no ordering questions (export those from Moodle as Moodle XML)."
            )
            % {"answers": _unescape(answers)[:40]}
        )
    pieces = [p for p in re.split(r"(?=[=~])", answers) if p.strip()]
    has_wrong = any(p.startswith("~") for p in pieces)
    pairs = [p for p in pieces if "->" in p]
    if pairs and not has_wrong:
        if len(pairs) != len(pieces):
            raise QuestionProblem(
                gettext(
                    "Matching answers are written =left -> right; some answers here "
                    "have no ->."
                )
            )
        return ParsedQuestion(
            kind="matching",
            name="",
            text="",
            options=[_pair(p[1:], text_format) for p in pieces],
        )
    if not has_wrong:
        options = [_choice(p[1:], Decimal(1), text_format) for p in pieces]
        return ParsedQuestion(kind="short", name="", text="", options=options)
    single = any(p.startswith("=") for p in pieces)
    options = [
        _choice(p[1:], Decimal(1 if p.startswith("=") else 0), text_format)
        for p in pieces
    ]
    return ParsedQuestion(
        kind="single" if single else "multiple", name="", text="", options=options
    )


def _weight(body: str, default: Decimal) -> tuple[Decimal, str]:
    match = _WEIGHT.match(body)
    if not match:
        return default, body
    return fraction_from_percent(match.group(1)), body[match.end() :]


def _choice(body: str, default: Decimal, text_format: str) -> ParsedOption:
    fraction, body = _weight(body, default)
    text, _, feedback = body.partition("#")
    return ParsedOption(
        text=_plain(text, text_format),
        fraction=fraction,
        feedback=_plain(feedback, text_format),
    )


def _pair(body: str, text_format: str) -> ParsedOption:
    _, body = _weight(body, Decimal(0))
    body, _, feedback = body.partition("#")
    left, _, right = body.partition("->")
    return ParsedOption(
        text=_plain(left, text_format),
        match_text=_plain(right, text_format)[:500],
        feedback=_plain(feedback, text_format),
    )


def _true_false(match: re.Match[str], text_format: str) -> ParsedQuestion:
    answer_is_true = match.group(1).upper().startswith("T")
    feedbacks = (match.group(2) or "").split("#")[1:]
    wrong_feedback = _plain(feedbacks[0], text_format) if feedbacks else ""
    right_feedback = _plain(feedbacks[1], text_format) if len(feedbacks) > 1 else ""
    return ParsedQuestion(
        kind="truefalse",
        name="",
        text="",
        options=[
            ParsedOption(
                text="True",
                fraction=Decimal(1 if answer_is_true else 0),
                feedback=right_feedback if answer_is_true else wrong_feedback,
            ),
            ParsedOption(
                text="False",
                fraction=Decimal(0 if answer_is_true else 1),
                feedback=wrong_feedback if answer_is_true else right_feedback,
            ),
        ],
    )


def _numeric(answers: str, text_format: str) -> ParsedQuestion:
    if answers and answers[0] in "=~":
        pieces = [p for p in re.split(r"(?=[=~])", answers) if p.strip()]
        options = [
            _number(p[1:], Decimal(1 if p.startswith("=") else 0), text_format)
            for p in pieces
        ]
    else:
        options = [_number(answers, Decimal(1), text_format)]
    return ParsedQuestion(kind="numeric", name="", text="", options=options)


def _number(body: str, default: Decimal, text_format: str) -> ParsedOption:
    fraction, body = _weight(body, default)
    spec, _, feedback = body.partition("#")
    spec = _unescape(spec).strip()
    if not spec:
        raise QuestionProblem("A numeric answer is empty.")
    low, dots, high = spec.partition("..")
    if dots:
        low_value, high_value = parse_number(low), parse_number(high)
        if low_value is None or high_value is None:
            raise QuestionProblem(
                gettext("The range %(spec)r is not two numbers.") % {"spec": spec}
            )
        value = (low_value + high_value) / 2
        tolerance = abs(high_value - low_value) / 2
    else:
        number, colon, margin = spec.partition(":")
        parsed = parse_number(number)
        margin_value = parse_number(margin) if colon else Decimal(0)
        if parsed is None or margin_value is None:
            raise QuestionProblem(
                gettext("The answer %(spec)r is not a number.") % {"spec": spec}
            )
        value, tolerance = parsed, margin_value
    return ParsedOption(
        text=number_text(value),
        fraction=fraction,
        tolerance=quantize_tolerance(tolerance),
        feedback=_plain(feedback, text_format),
    )
