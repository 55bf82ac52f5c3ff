"""Moodle XML questions to ParsedQuestions, and ParsedQuestions to Moodle XML.

Read: multichoice (single and multiple), multichoiceset (all-or-nothing multiple
response), truefalse, shortanswer, numerical, matching, ordering (qtype_ordering),
categories as tags, <tags>, defaultgrade as points, generalfeedback as explanation,
answer fractions and feedback, <shuffleanswers>. HTML text is turned into plain text.
Other question types (essay, description, cloze, calculated...) and questions with
empty answers are skipped with the reason; a file that is not well-formed XML, not a
Moodle <quiz>, or not in its declared encoding is refused as a whole. The XML is read
with defusedxml: entity declarations and external references are refused.

Written: one <question> per question with plain-text formats, so that importing an
exported file gives the same questions back. Moodle ignores the one element it does
not know, <partialcredit>, which carries partial credit for kinds Moodle has no
setting for.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element, ParseError, SubElement, indent, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext

from courses.quizzes.formats import (
    FRACTION_PLACES,
    FRACTION_SUM_SLACK,
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
    percent,
    quantize_points,
    quantize_tolerance,
    tag_from_category,
)

SUPPORTED_TYPES = frozenset(
    {
        "multichoice",
        "multichoiceset",
        "truefalse",
        "shortanswer",
        "numerical",
        "matching",
        "ordering",
    }
)
_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ALL_OR_NOTHING = "ALL_OR_NOTHING"


def parse_moodlexml(data: bytes) -> ParseResult:
    """Every question of a Moodle XML file, and the questions skipped with their
    number (counting questions, not categories) and reason. Raises FileRefused when
    the file cannot be read as a whole."""
    root = _root(data)
    questions: list[ParsedQuestion] = []
    skipped: list[SkippedItem] = []
    tag = ""
    number = 0
    for element in root:
        if element.tag != "question":
            continue
        qtype = (element.get("type") or "").strip().lower()
        if qtype == "category":
            tag = tag_from_category(_text(element, "category"))
            continue
        number += 1
        where = gettext("question %(number)s") % {"number": number}
        name = _text(element, "name")
        if qtype not in SUPPORTED_TYPES:
            skipped.append(
                SkippedItem(
                    where,
                    name,
                    gettext(
                        "The Moodle question type %(type)r is not supported: Onramp "
                        "has single choice, multiple response, true/false, short "
                        "answer, numeric, matching and ordering questions."
                    )
                    % {"type": qtype or "(none)"},
                )
            )
            continue
        try:
            question = _question(element, qtype, where)
        except QuestionProblem as problem:
            skipped.append(SkippedItem(where, name, str(problem)))
            continue
        problems = option_problems(question.kind, question.options)
        if problems:
            skipped.append(SkippedItem(where, question.name, " ".join(problems)))
            continue
        if tag and tag not in question.tags:
            question.tags.insert(0, tag)
        questions.append(question)
    if not questions and not skipped:
        raise FileRefused(gettext("The file holds no questions."))
    return ParseResult(questions=questions, skipped=skipped)


def _root(data: bytes) -> Element:
    if not data.strip():
        raise FileRefused(gettext("The file is empty."))
    declared = _DECLARATION.match(data.lstrip(b"\xef\xbb\xbf"))
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and (
        declared is None or declared.group(1).lower() in ("utf-8", "utf8")
    ):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise FileRefused(
                gettext(
                    "The file is not UTF-8 (line %(line)s has the byte 0x%(byte)s) and "
                    "declares no other encoding. Save it as UTF-8, or declare its "
                    'encoding in <?xml ... encoding="..."?>.'
                )
                % {"line": line, "byte": f"{data[exc.start]:02X}"}
            ) from exc
    try:
        root: Element = fromstring(data)
    except DefusedXmlException as exc:
        raise FileRefused(
            gettext(
                "The file declares entities or external references, which question "
                "files do not need and which are not accepted."
            )
        ) from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":")[0]
        raise FileRefused(
            gettext(
                "The file is not well-formed XML (%(reason)s at line %(line)s, "
                "column %(column)s)."
            )
            % {"reason": reason, "line": line, "column": column + 1}
        ) from exc
    except (LookupError, ValueError) as exc:
        raise FileRefused(
            gettext("The file's encoding cannot be read: %(error)s.") % {"error": exc}
        ) from exc
    if root.tag != "quiz":
        raise FileRefused(
            gettext(
                "This is not a Moodle XML question file: it starts with <%(tag)s>, "
                "not <quiz>."
            )
            % {"tag": root.tag}
        )
    return root


def _text(element: Element, path: str) -> str:
    """The plain text of <path><text>…</text></path> (HTML turned into text)."""
    holder = element.find(path)
    if holder is None:
        return ""
    text_element = holder.find("text")
    raw = (text_element.text if text_element is not None else holder.text) or ""
    if (holder.get("format") or "").lower() == "html":
        return html_to_text(raw)
    return raw.strip()


def _value(element: Element, path: str, default: str = "") -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else default


def _flag(element: Element, path: str, default: bool) -> bool:
    value = _value(element, path).lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    return default


def _question(element: Element, qtype: str, where: str) -> ParsedQuestion:
    text = _text(element, "questiontext")
    if not text:
        raise QuestionProblem(gettext("The question text is empty."))
    name = _text(element, "name") or text.replace("\n", " ")[:80]
    grade = parse_number(_value(element, "defaultgrade", "1") or "1")
    if grade is None:
        raise QuestionProblem(gettext("The default grade is not a number."))
    kind, options, partial_credit = _options(element, qtype)
    tags = [
        (tag_element.text or "").strip()[:100]
        for tag_element in element.findall("tags/tag/text")
        if (tag_element.text or "").strip()
    ]
    return ParsedQuestion(
        kind=kind,
        name=name[:255],
        text=text,
        options=options,
        points=quantize_points(grade),
        explanation=_text(element, "generalfeedback"),
        partial_credit=_flag(element, "partialcredit", partial_credit),
        shuffle=_flag(element, "shuffleanswers", True),
        tags=list(dict.fromkeys(tags)),
        where=where,
    )


def _answer_fraction(answer: Element) -> Decimal:
    return fraction_from_percent(answer.get("fraction") or "0")


def _options(element: Element, qtype: str) -> tuple[str, list[ParsedOption], bool]:
    answers = element.findall("answer")
    if qtype in ("multichoice", "multichoiceset"):
        single = qtype == "multichoice" and _flag(element, "single", True)
        options = [
            ParsedOption(
                text=_text(a, "."),
                fraction=_answer_fraction(a),
                feedback=_text(a, "feedback"),
            )
            for a in answers
        ]
        right = [o for o in options if o.fraction > 0]
        total = sum((o.fraction for o in right), Decimal(0))
        if qtype == "multichoiceset" and right and abs(total - 1) > FRACTION_SUM_SLACK:
            # All-or-nothing questions written by Moodle mark each right option
            # 100%: each holds an equal share of the points here.
            share = (Decimal(1) / len(right)).quantize(FRACTION_PLACES)
            for option in right:
                option.fraction = share
            right[0].fraction += 1 - share * len(right)
        return ("single" if single else "multiple"), options, qtype != "multichoiceset"
    if qtype == "truefalse":
        by_value: dict[str, ParsedOption] = {}
        for a in answers:
            value = _text(a, ".").lower()
            if value not in ("true", "false"):
                raise QuestionProblem(
                    gettext("A true/false answer reads %(value)r, not true or false.")
                    % {"value": value}
                )
            by_value[value] = ParsedOption(
                text=value.capitalize(),
                fraction=_answer_fraction(a),
                feedback=_text(a, "feedback"),
            )
        return (
            "truefalse",
            [by_value[v] for v in ("true", "false") if v in by_value],
            True,
        )
    if qtype == "shortanswer":
        options = [
            ParsedOption(
                text=_text(a, "."),
                fraction=_answer_fraction(a),
                feedback=_text(a, "feedback"),
            )
            for a in answers
        ]
        return "short", options, True
    if qtype == "numerical":
        return "numeric", _numeric_options(answers), True
    if qtype == "matching":
        options = []
        for sub in element.findall("subquestion"):
            options.append(
                ParsedOption(
                    text=_text(sub, "."),
                    match_text=_text(sub, "answer")[:500],
                    feedback=_text(sub, "feedback"),
                )
            )
        return "matching", options, True
    # ordering: the plugin numbers the items in their right order in `fraction`.
    items = [(_ordering_position(a), index, a) for index, a in enumerate(answers)]
    positions = [p for p, _, _ in items]
    if None not in positions and len(set(positions)) == len(positions):
        items.sort(key=lambda item: (item[0], item[1]))
    options = [
        ParsedOption(text=_text(a, "."), feedback=_text(a, "feedback"))
        for _, _, a in items
    ]
    grading = _value(element, "gradingtype").upper()
    return "ordering", options, grading != _ALL_OR_NOTHING


def _ordering_position(answer: Element) -> Decimal | None:
    return parse_number(answer.get("fraction") or "")


def _numeric_options(answers: list[Element]) -> list[ParsedOption]:
    options = []
    for a in answers:
        value_text = _text(a, ".")
        fraction = _answer_fraction(a)
        if value_text == "*":
            if fraction > 0:
                raise QuestionProblem(
                    gettext(
                        "The answer * (anything) earns points; Onramp only grades "
                        "numbers."
                    )
                )
            continue  # Moodle's catch-all for other answers: it earns nothing.
        value = parse_number(value_text)
        if value is None:
            raise QuestionProblem(
                gettext("The answer %(value)r is not a number.") % {"value": value_text}
            )
        tolerance = parse_number(_value(a, "tolerance", "0") or "0")
        if tolerance is None:
            raise QuestionProblem(
                gettext("The tolerance of %(value)r is not a number.")
                % {"value": value_text}
            )
        options.append(
            ParsedOption(
                text=number_text(value),
                fraction=fraction,
                tolerance=quantize_tolerance(tolerance),
                feedback=_text(a, "feedback"),
            )
        )
    return options


def export_moodlexml(questions: list[ParsedQuestion]) -> str:
    """A Moodle XML file holding these questions (plain-text formats)."""
    quiz = Element("quiz")
    for question in questions:
        quiz.append(_question_element(question))
    indent(quiz, space="  ")
    # XML parsers turn a raw carriage return into a newline; written as a character
    # reference it survives, so texts typed in a browser (CRLF) come back unchanged.
    body = tostring(quiz, encoding="unicode").replace("\r", "&#13;")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _add_text(parent: Element, tag: str, text: str, **attrs: str) -> Element:
    holder = SubElement(parent, tag, attrs)
    SubElement(holder, "text").text = _clean(text)
    return holder


def _add_value(parent: Element, tag: str, value: str) -> None:
    SubElement(parent, tag).text = value


def _percent_attr(fraction: Decimal) -> str:
    return percent(fraction)


def _question_element(question: ParsedQuestion) -> Element:
    qtype = {
        "single": "multichoice",
        "multiple": "multichoice" if question.partial_credit else "multichoiceset",
        "truefalse": "truefalse",
        "short": "shortanswer",
        "numeric": "numerical",
        "matching": "matching",
        "ordering": "ordering",
    }[question.kind]
    element = Element("question", {"type": qtype})
    plain: dict[str, Any] = {"format": "plain_text"}
    _add_text(element, "name", question.name)
    _add_text(element, "questiontext", question.text, **plain)
    _add_text(element, "generalfeedback", question.explanation, **plain)
    _add_value(element, "defaultgrade", number_text(question.points))
    _add_value(element, "shuffleanswers", "1" if question.shuffle else "0")
    _add_value(element, "partialcredit", "1" if question.partial_credit else "0")
    if question.kind in ("single", "multiple"):
        if qtype == "multichoice":
            _add_value(
                element, "single", "true" if question.kind == "single" else "false"
            )
        _add_value(element, "answernumbering", "abc")
        for option in question.options:
            answer = _add_text(
                element,
                "answer",
                option.text,
                fraction=_percent_attr(option.fraction),
                **plain,
            )
            _add_text(answer, "feedback", option.feedback, **plain)
    elif question.kind in ("truefalse", "short", "numeric"):
        if question.kind == "short":
            _add_value(element, "usecase", "0")
        for option in question.options:
            text = option.text
            if question.kind == "truefalse":
                text = text.lower()
            elif question.kind == "numeric":
                number = parse_number(text)
                text = number_text(number) if number is not None else text
            answer = _add_text(
                element,
                "answer",
                text,
                fraction=_percent_attr(option.fraction),
                **plain,
            )
            _add_text(answer, "feedback", option.feedback, **plain)
            if question.kind == "numeric":
                _add_value(answer, "tolerance", number_text(option.tolerance))
    elif question.kind == "matching":
        for option in question.options:
            sub = _add_text(element, "subquestion", option.text, **plain)
            _add_text(sub, "answer", option.match_text)
            if option.feedback:
                _add_text(sub, "feedback", option.feedback, **plain)
    else:
        _add_value(element, "layouttype", "VERTICAL")
        _add_value(element, "selecttype", "ALL")
        _add_value(element, "selectcount", "0")
        _add_value(
            element,
            "gradingtype",
            "ABSOLUTE_POSITION" if question.partial_credit else _ALL_OR_NOTHING,
        )
        for position, option in enumerate(question.options, 1):
            answer = _add_text(
                element, "answer", option.text, fraction=str(position), **plain
            )
            if option.feedback:
                _add_text(answer, "feedback", option.feedback, **plain)
    if question.tags:
        tags = SubElement(element, "tags")
        for tag in question.tags:
            _add_text(tags, "tag", tag)
    return element
