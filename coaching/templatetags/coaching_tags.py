"""Template helpers of the coaching pages: times on a recording, due times, and the
state of a practice assignment for the page that shows it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template

from coaching import selectors
from lms.lib.durations import format_duration

register = template.Library()


@register.filter
def clock(value: Decimal | float | None) -> str:
    """0:05, 1:02:03: how times on a recording read everywhere."""
    return format_duration(value)


@register.filter
def due(value: dt.datetime | None) -> str:
    return selectors.due_label(value)


@register.simple_tag(takes_context=True)
def practice_state(context: dict[str, Any], practice: Any) -> selectors.PracticeState:
    """The signed-in rep's takes for the practice page (its template is rendered by
    Wagtail with the lesson's context only)."""
    request = context["request"]
    return selectors.practice_state(
        user=request.user,
        practice=practice.specific,
        uploaded=request.GET.get("uploaded", ""),
    )
