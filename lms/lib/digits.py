"""Numbers in the reader's own digits: one display-only layer for the whole site.

Some languages write numbers with digits of their own: Bengali writes 2026 as ২০২৬.
Which digits a language writes is CLDR's data (its locale's default numbering
system, through Babel), so adding such a language needs nothing here. Onramp computes,
stores and formats with Western digits everywhere; only what a person reads is
converted, at the last moment: the text of an HTML page (`LocalDigitsMiddleware`), the
text and HTML parts of an e-mail, the dates of a certificate PDF.

What keeps its Western digits, because a machine or another system reads it, or
because it is a code rather than a quantity:
- every HTML attribute (href, value, datetime, data-*, ids), and the content of
  <script>, <style>, <textarea>, <pre>, <code>, <kbd> and <samp>, comments and CDATA;
- an element marked `data-digits="latin"` or `translate="no"`, or whose `lang` names a
  language that writes other digits (an English text in a Bengali page), with all it
  contains;
- digits in a word with Latin letters ("G2", "v1.2", an e-mail address, a URL, a
  certificate number such as "NW-2026-000042"), or right after a Latin word and a space
  ("ISO 8601", "SCORM 2004", "Windows 11");
- character references (`&#123;`) as written;
- everything that is not a page or a message: JSON, CSV, Excel, calendars, the API,
  e-mail headers other than the subject, URLs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, TypeVar

from babel import Locale, UnknownLocaleError
from django.utils.translation import to_locale

WESTERN = "0123456789"
# Set on a response whose HTML the digits layer must leave as written.
AS_WRITTEN = "digits_as_written"

View = TypeVar("View", bound=Callable[..., Any])

# The digit zero of each numbering system that is some CLDR locale's default (CLDR's
# numberingSystems.xml; Babel ships which system a locale uses, not its digits). Each
# system's ten digits follow its zero in Unicode.
_ZERO_OF = {
    "adlm": "\U0001e950",
    "arab": "\u0660",
    "arabext": "\u06f0",
    "beng": "\u09e6",
    "cakm": "\U00011136",
    "deva": "\u0966",
    "hmnp": "\U0001e140",
    "mtei": "\uabf0",
    "mymr": "\u1040",
    "nkoo": "\u07c0",
    "olck": "\u1c50",
    "tibt": "\u0f20",
}


@lru_cache(maxsize=64)
def language_digits(language: str | None) -> str | None:
    """The ten digits `language` ("bn", "pt-br") writes numbers with, or None when
    they are the Western ones (or the language is unknown)."""
    if not language:
        return None
    try:
        system = Locale.parse(to_locale(language)).default_numbering_system
    except (UnknownLocaleError, ValueError):
        return None
    zero = _ZERO_OF.get(system)
    if zero is None:
        return None
    return "".join(chr(ord(zero) + value) for value in range(10))


@lru_cache(maxsize=16)
def _table(digits: str) -> dict[int, int]:
    return str.maketrans(WESTERN, digits)


_DIGIT_RUN = re.compile(r"[0-9]+")
# What ends a word: white space, and the "&", ";", "<" and ">" around character
# references and tags.
_WORD_ENDS = frozenset(" \t\n\r\f\v\u00a0&;<>")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
# A Latin word and one space just before a number: "ISO 8601".
_AFTER_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f](?:[ \u00a0]|&nbsp;|&#160;)\Z")


def localize_digits(text: str, digits: str) -> str:
    """`text` (plain text, or the text between two tags of an HTML page) with the
    numbers a person reads written in `digits`, codes and Latin words left as they
    are (see the module's rules)."""
    table = _table(digits)
    length = len(text)

    def convert(run: re.Match[str]) -> str:
        start, end = run.span()
        while start and text[start - 1] not in _WORD_ENDS:
            start -= 1
        while end < length and text[end] not in _WORD_ENDS:
            end += 1
        word = text[start:end]
        if (
            (word[0] == "#" and text[start - 1 : start] == "&")  # &#123;
            or _LATIN_LETTER.search(word)
            or _AFTER_LATIN_WORD.search(text, max(0, start - 7), start)
        ):
            return run.group()
        return run.group().translate(table)

    return _DIGIT_RUN.sub(convert, text)


# Elements whose content is kept as written: raw text (ended by its end tag alone),
# and code (which may hold other elements).
_RAW_TEXT = ("script", "style", "textarea")
_CODE = ("pre", "code", "kbd", "samp")
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
_ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
# Comments, CDATA, and the start tags of the elements kept as written.
# (Tag names in either case, without re.IGNORECASE: three times faster.)
_KEPT = re.compile(
    r"<(?:!--.*?-->|!\[CDATA\[.*?\]\]>"
    rf"|(?P<name>{'|'.join(_RAW_TEXT + _CODE)}|{'|'.join(_RAW_TEXT + _CODE).upper()})"
    rf"\b{_ATTRIBUTES}>)",
    re.DOTALL,
)
# A run of text (after a ">") with a digit in it. Possessive, so that the engine
# never backtracks through a paragraph without digits: the scan costs a few
# nanoseconds a character, and Python sees only the runs to convert.
_TEXT = re.compile(r">([^<>0-9]*+[0-9][^<>]*+)")
# The attributes that can mark an element, and a start tag.
_MARKS = ("data-digits", "translate", "lang")
_MARK = re.compile(
    r"""\s(data-digits|translate|lang)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
    re.IGNORECASE,
)
_START_TAG = re.compile(rf"<([A-Za-z][\w:-]*){_ATTRIBUTES}>")


def _keeps_its_digits(tag: str, digits: str) -> bool:
    """Whether an element's start tag marks its content as keeping Western digits."""
    for name, *values in _MARK.findall(tag):
        value = next((v for v in values if v), "").strip().lower()
        name = name.lower()
        if name == "data-digits" and value == "latin":
            return True
        if name == "translate" and value == "no":
            return True
        if name == "lang" and value and language_digits(value) != digits:
            return True
    return False


@lru_cache(maxsize=32)
def _tags_of(name: str) -> re.Pattern[str]:
    if name in _RAW_TEXT:  # its content is text: only its end tag ends it
        return re.compile(rf"</({name})\s*>", re.IGNORECASE)
    return re.compile(rf"<(/?){re.escape(name)}\b{_ATTRIBUTES}>", re.IGNORECASE)


def _end_of_element(html: str, name: str, start: int) -> int:
    """Where the element `name`, whose start tag ends at `start`, ends (after its
    end tag, counting elements of the same name inside it); the document's end
    when it is never closed."""
    depth = 1
    for tag in _tags_of(name.lower()).finditer(html, start):
        if tag.group(1):
            depth -= 1
            if depth == 0:
                return tag.end()
        elif not tag.group().endswith("/>"):
            depth += 1
    return len(html)


def _kept_parts(html: str, digits: str) -> list[tuple[int, int]]:
    """Where the parts of the page kept as written start and end, in order: comments,
    CDATA, scripts, styles, text areas and code, and the elements marked to keep
    their digits (found with plain substring searches: most pages have one mark,
    <html lang>, which keeps nothing)."""
    kept = []
    position = 0
    while (found := _KEPT.search(html, position)) is not None:
        name = found.group("name")
        end = _end_of_element(html, name, found.end()) if name else found.end()
        kept.append((found.start(), end))
        position = end
    for mark in _MARKS:
        at = html.find(mark + "=")
        while at != -1:
            if html[at - 1].isspace():
                start = html.rfind("<", 0, at)
                tag = _START_TAG.match(html, start) if start != -1 else None
                if (
                    tag is not None
                    and tag.end() > at
                    and tag.group(1).lower() not in _VOID
                    and not tag.group().endswith("/>")
                    and _keeps_its_digits(tag.group(), digits)
                ):
                    end = _end_of_element(html, tag.group(1), tag.end())
                    kept.append((start, end))
            at = html.find(mark + "=", at + 1)
    return sorted(kept)


def localize_digits_in_html(html: str, digits: str) -> str:
    """The HTML document with the numbers of its text written in `digits`, and
    everything else (attributes, scripts, marked elements…) as it was."""
    kept = _kept_parts(html, digits)
    parts: list[str] = []
    written = 0  # html[:written] is in parts
    part = 0
    for run in _TEXT.finditer(html):
        start = run.start(1)
        while part < len(kept) and kept[part][1] <= start:
            part += 1
        if part < len(kept) and kept[part][0] <= start:
            continue  # text inside a part kept as written
        parts.append(html[written:start])
        parts.append(localize_digits(run.group(1), digits))
        written = run.end()
    parts.append(html[written:])
    return "".join(parts)


def localize_digits_for(language: str | None, *, text: str, html: bool = False) -> str:
    """`text` (plain, or an HTML document with `html`) in the digits of `language`;
    unchanged for a language that writes Western digits."""
    digits = language_digits(language)
    if digits is None:
        return text
    return (
        localize_digits_in_html(text, digits) if html else localize_digits(text, digits)
    )


def digits_as_written(view: View) -> View:
    """For a view whose HTML is not Onramp's own words (a SCORM package's pages, in
    whatever language and encoding their author chose): the digits layer leaves its
    pages as written."""

    @wraps(view)
    def as_written(*args: Any, **kwargs: Any) -> Any:
        response = view(*args, **kwargs)
        setattr(response, AS_WRITTEN, True)
        return response

    return as_written  # type: ignore[return-value]
