"""The HTML e-mail of a sequence step, its frame rendered once and filled in for
each person.

A tick sends a step to thousands of people, and Django's template engine took
longer over the frame (the page, its table, the footer, the button) than over
anything else of a message. The frame says the same to everyone who reads the
same language, except in a few places: the subject, the paragraphs, the link and
its label. So `automation/email/sequence_step.html` is rendered once per
language and shape (how many paragraphs, whether there is a link and a label:
the template's only choices) with a hole in each of those places, and each
person's message is the frame with their values put in the holes, escaped as the
template's autoescape escapes them. The paragraphs are markup already (escaped
by automation.sequences.template, with `<br>` for line breaks) and go in as
they are, as the template would put in a safe string.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

TEMPLATE = "automation/email/sequence_step.html"

# Characters of Unicode's private use area: never in the template's own text,
# and only the frame's render sees them (a person's values go in afterwards).
_OPEN, _CLOSE = "\ue000", "\ue001"
_HOLE = re.compile(f"{_OPEN}([a-z0-9]+){_CLOSE}")


def step_email_html(
    *, subject: str, paragraphs: Sequence[SafeString], url: str, url_label: str
) -> str:
    """The step's HTML e-mail in the active language, exactly as
    `render_to_string(TEMPLATE, ...)` renders it with these values."""
    parts = _frame(
        get_language(),
        str(settings.ORGANISATION_NAME),
        str(settings.SITE_URL),
        paragraphs=len(paragraphs),
        has_url=bool(url),
        has_label=bool(url_label),
    )
    values = {
        "subject": conditional_escape(subject),
        "url": conditional_escape(url),
        "label": conditional_escape(url_label),
    }
    for number, paragraph in enumerate(paragraphs):
        values[f"p{number}"] = paragraph
    # Even places are the frame's own text, odd ones the names of its holes.
    return "".join(
        part if index % 2 == 0 else values[part] for index, part in enumerate(parts)
    )


@lru_cache(maxsize=256)
def _frame(
    language: str | None,
    organisation: str,
    site_url: str,
    *,
    paragraphs: int,
    has_url: bool,
    has_label: bool,
) -> tuple[str, ...]:
    """The frame for one language and shape, split at its holes: the frame's
    text and the holes' names, alternately. The arguments are its cache key:
    all that the template's output depends on besides the holes."""
    rendered = render_to_string(
        TEMPLATE,
        {
            "subject": _hole("subject"),
            "paragraphs": [_hole(f"p{number}") for number in range(paragraphs)],
            "organisation": organisation,
            "site_url": site_url,
            "url": _hole("url") if has_url else "",
            "url_label": _hole("label") if has_label else "",
        },
    )
    return tuple(_HOLE.split(rendered))


def _hole(name: str) -> SafeString:
    return mark_safe(f"{_OPEN}{name}{_CLOSE}")  # noqa: S308 (letters and digits)
