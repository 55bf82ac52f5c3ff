"""Question file formats (GIFT, Moodle XML): pure parsers that turn a file into
ParsedQuestions and skipped items, with the checks every question kind must pass.
The import service and the Wagtail question form share these checks, so a question
that the admin would refuse is never imported either."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from html.parser import HTMLParser

from django.utils.translation import gettext

MAX_FILE_BYTES = 10 * 1024 * 1024
KINDS = ("single", "multiple", "truefalse", "short", "numeric", "matching", "ordering")

POINTS_PLACES = Decimal("0.01")
FRACTION_PLACES = Decimal("0.00001")
TOLERANCE_PLACES = Decimal("0.000001")
MAX_POINTS = Decimal("9999.99")
MAX_TOLERANCE = Decimal("99999999.999999")
# Weights such as 33.333% three times never add up to exactly 100%.
FRACTION_SUM_SLACK = Decimal("0.001")


class FileRefused(ValueError):
    """The file cannot be read as a whole (bad syntax, not XML, wrong encoding...):
    nothing of it is imported. str(exc) is the message for the author."""


@dataclass
class ParsedOption:
    text: str
    match_text: str = ""
    fraction: Decimal = Decimal("0")
    tolerance: Decimal = Decimal("0")
    feedback: str = ""


@dataclass
class ParsedQuestion:
    kind: str
    name: str
    text: str
    options: list[ParsedOption]
    points: Decimal = Decimal("1.00")
    explanation: str = ""
    partial_credit: bool = True
    shuffle: bool = True
    tags: list[str] = field(default_factory=list)
    # Where the question starts in the file: "line 12" (GIFT), "question 3" (XML).
    where: str = ""


@dataclass
class SkippedItem:
    where: str
    name: str
    reason: str

    def __str__(self) -> str:
        label = f" ({self.name})" if self.name else ""
        return f"{self.where}{label}: {self.reason}"


@dataclass
class ParseResult:
    questions: list[ParsedQuestion]
    skipped: list[SkippedItem]


class QuestionProblem(ValueError):
    """A single question cannot be imported; the file as a whole still can."""


def option_problems(kind: str, options: list[ParsedOption]) -> list[str]:
    """What is wrong with the answers of a question of this kind (empty when
    nothing). Used by the importers (to skip) and by the admin form (to refuse)."""
    problems: list[str] = []
    if kind not in KINDS:
        return [gettext("Unknown question kind %(kind)r.") % {"kind": kind}]
    if kind == "matching":
        pairs = [o for o in options if o.text.strip() and o.match_text.strip()]
        if len(pairs) < 2:
            problems.append(
                gettext(
                    "A matching question needs at least two pairs, each with a left "
                    "and a right side."
                )
            )
        if any(o.text.strip() and not o.match_text.strip() for o in options):
            problems.append(gettext("Every left side of a pair needs a right side."))
        if not any(o.text.strip() or o.match_text.strip() for o in options):
            problems.append(gettext("The answers are empty."))
        return problems
    empty = [str(i) for i, o in enumerate(options, 1) if not o.text.strip()]
    if not options:
        return [gettext("The question has no answers.")]
    if empty:
        problems.append(
            gettext("Answer %(number)s is empty.") % {"number": empty[0]}
            if len(empty) == 1
            else gettext("Answers %(numbers)s are empty.")
            % {"numbers": ", ".join(empty)}
        )
    best = max(o.fraction for o in options)
    if kind == "ordering":
        if len(options) < 2:
            problems.append(gettext("An ordering question needs at least two items."))
        return problems
    if kind == "truefalse":
        texts = sorted(o.text.strip() for o in options)
        if texts != ["False", "True"]:
            problems.append(
                gettext(
                    'A true/false question has exactly two answers, "True" and "False".'
                )
            )
        elif sorted(o.fraction for o in options) != [Decimal(0), Decimal(1)]:
            problems.append(
                gettext(
                    "In a true/false question one answer is worth 100% and the "
                    "other 0%."
                )
            )
        return problems
    if kind in ("single", "multiple") and len(options) < 2:
        problems.append(gettext("A choice question needs at least two options."))
    if kind == "numeric":
        for i, o in enumerate(options, 1):
            if o.text.strip() and parse_number(o.text) is None:
                problems.append(
                    gettext("Answer %(number)s (%(text)r) is not a number.")
                    % {"number": i, "text": o.text.strip()}
                )
    if kind == "multiple":
        positive = sum((o.fraction for o in options if o.fraction > 0), Decimal(0))
        if positive <= 0:
            problems.append(
                gettext("A multiple response question needs right options.")
            )
        elif abs(positive - 1) > FRACTION_SUM_SLACK:
            problems.append(
                gettext(
                    "The right options of a multiple response question must add up "
                    "to 100%% (they add up to %(percent)s%%)."
                )
                % {"percent": percent(positive)}
            )
    elif best != 1:
        problems.append(gettext("One answer must be worth 100% (the right answer)."))
    if kind in ("truefalse", "short", "numeric") and any(
        o.fraction < 0 for o in options
    ):
        problems.append(gettext("Only choice options may be worth less than 0%."))
    return problems


def percent(fraction: Decimal) -> str:
    return format((fraction * 100).normalize(), "f")


def parse_number(text: str) -> Decimal | None:
    """A number as an author writes it ("3.14", "3,14", "-2e3"); None if it isn't."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    # Beyond what the answer fields hold; "1e999999" would also write a million
    # digits when shown plainly.
    if value and not -12 <= value.adjusted() <= 15:
        return None
    return value


def fraction_from_percent(text: str) -> Decimal:
    """A weight given in percent ("33.33333", "-50") as a share of the points."""
    value = parse_number(text)
    if value is None:
        raise QuestionProblem(
            gettext("The weight %(text)r is not a number.") % {"text": text}
        )
    fraction = (value / 100).quantize(FRACTION_PLACES, rounding=ROUND_HALF_UP)
    if not Decimal(-1) <= fraction <= Decimal(1):
        raise QuestionProblem(
            gettext("The weight %(text)s%% is outside -100%%..100%%.") % {"text": text}
        )
    return fraction


def quantize_points(value: Decimal) -> Decimal:
    points = value.quantize(POINTS_PLACES, rounding=ROUND_HALF_UP)
    if not Decimal("0.01") <= points <= MAX_POINTS:
        raise QuestionProblem(
            gettext("The points (%(value)s) must be from 0.01 to 9999.99.")
            % {"value": value}
        )
    return points


def quantize_tolerance(value: Decimal) -> Decimal:
    tolerance = abs(value).quantize(TOLERANCE_PLACES, rounding=ROUND_HALF_UP)
    if tolerance > MAX_TOLERANCE:
        raise QuestionProblem(
            gettext("The tolerance %(value)s is too large.") % {"value": value}
        )
    return tolerance


def number_text(value: Decimal) -> str:
    """A number written plainly, without exponent or trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


class _TextExtractor(HTMLParser):
    _BLOCKS = frozenset(
        {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table"}
    )
    _SKIPPED = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self._skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            if alt.strip():
                self.parts.append(f"[{alt.strip()}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: tags dropped (scripts and styles with their
    content), paragraphs kept as blank lines, entities decoded. The result is stored
    and shown as text, so nothing in it is ever rendered as HTML."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    text = "".join(extractor.parts)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def tag_from_category(path: str) -> str:
    """A Moodle category path ("$course$/top/Sales/Discovery") as a tag: its last
    part ("Discovery"); "top" and the context prefix are not categories anyone
    named."""
    parts = [p.strip() for p in re.split(r"(?<!/)/(?!/)", path.strip()) if p.strip()]
    parts = [p.replace("//", "/") for p in parts if not re.fullmatch(r"\$\w+\$", p)]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return parts[-1][:100] if parts else ""
