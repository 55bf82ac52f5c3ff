"""The message language of nudge sequences: `{{ variable }}` and nothing else.

Authors write messages with a fixed list of variables. This is deliberately not
Django's template language: there are no tags, no filters and no attribute
access, so a message cannot reach a person's password, run a query or include a
file. The rules, enforced here:

- `{{ name }}` where `name` is one of VARIABLES (a dotted name such as
  `next_step.title` is one fixed name, not a lookup);
- anything else between `{{` and `}}`, any `{%` or `{#`, and an unknown name is
  refused when the sequence is saved (`template_check`), never at send time;
- in the HTML e-mail each value is escaped (`escape_for`); the plain text goes
  out as written, and each chat channel escapes it for itself when it builds
  its message (automation/channels: Slack's control characters, Teams' Markdown),
  so a text that falls back from Slack to e-mail is not escaped for Slack.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

VARIABLES: dict[str, str] = {
    "first_name": "The person's first name.",
    "full_name": "The person's full name.",
    "next_step.title": "The next lesson they have to do.",
    "next_step.url": "A link to that lesson (counts the click).",
    "course.title": "The training the sequence is about.",
    "due_date": "Its due date, in the person's time zone.",
    "progress": "How far they are, in per cent.",
    "manager.name": "Their manager's name.",
    "coach.name": "Their coach's name.",
    "certificate.title": "The certificate that expires.",
    "certificate.expires_on": "When it expires.",
    "days_inactive": "Days since their last activity.",
    "item.title": "The library item that was updated.",
    "item.url": "A link to that item (counts the click).",
}

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_NAME = re.compile(r"^\s*([a-z_]+(?:\.[a-z_]+)?)\s*$")
_FORBIDDEN = re.compile(r"\{%|%\}|\{#|#\}")


def template_check(source: str) -> None:
    """Raise ValidationError naming every problem in the message."""
    problems = []
    if _FORBIDDEN.search(source):
        problems.append(
            gettext("Tags and comments ({% … %}, {# … #}) are not allowed.")
        )
    for match in _PLACEHOLDER.finditer(source):
        inside = match.group(1)
        name = _NAME.match(inside)
        if name is None:
            problems.append(
                gettext(
                    "{{%(inside)s}} is not a variable: write {{ name }} "
                    "with no filters or expressions."
                )
                % {"inside": inside}
            )
        elif name.group(1) not in VARIABLES:
            problems.append(
                gettext("Unknown variable {{ %(name)s }}.") % {"name": name.group(1)}
            )
    rest = _PLACEHOLDER.sub("", source)
    if "{{" in rest or "}}" in rest:
        problems.append(gettext("A {{ or }} is not closed."))
    if problems:
        raise ValidationError(problems)


def escape_for(channel: str, value: str) -> str:
    """The value made inert for e-mail's HTML part ("html"); plain text as is."""
    return html.escape(value) if channel == "html" else value


def render(source: str, values: Mapping[str, str], *, channel: str) -> str:
    """The message with each variable replaced by its escaped value. The source
    was checked at save; a variable without a value renders empty."""
    return "".join(
        static if name is None else escape_for(channel, values.get(name, ""))
        for static, name in _compiled(source, channel)
    )


@lru_cache(maxsize=256)
def _compiled(source: str, channel: str) -> tuple[tuple[str, str | None], ...]:
    """The source as its parts, in order: the author's own text (escaped for
    the channel once) and the variables' names. A tick renders each step's
    message for thousands of people: it is parsed once, not for each."""
    parts: list[tuple[str, str | None]] = []
    position = 0
    for match in _PLACEHOLDER.finditer(source):
        # The author's own text is escaped for HTML too (it is text, not markup).
        parts.append((_static(channel, source[position : match.start()]), None))
        name = _NAME.match(match.group(1))
        if name is not None and name.group(1) in VARIABLES:
            parts.append(("", name.group(1)))
        position = match.end()
    parts.append((_static(channel, source[position:]), None))
    return tuple(parts)


def _static(channel: str, text: str) -> str:
    return escape_for(channel, text) if channel == "html" else text
