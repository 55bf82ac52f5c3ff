"""The CMI data Onramp keeps from a SCO, checked field by field: a pure module.

The player (scorm-again in the parent page) posts its whole CMI object on each
commit. Onramp keeps the elements below, each checked against its SCORM vocabulary,
length or range; a value that fails is refused with its element's name and the rule,
and nothing of that commit is stored. Elements not listed are not kept (the LMS
owns the read-only ones: entry, credit, mode, student id and name...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from courses.scorm.packaging import SCORM_12, SCORM_2004

Check = Callable[[str], str | None]  # the problem with the value, or None


def _vocabulary(*words: str) -> Check:
    def check(value: str) -> str | None:
        if value in words:
            return None
        return "must be one of " + ", ".join(repr(word) for word in words)

    return check


def _at_most(length: int) -> Check:
    def check(value: str) -> str | None:
        return None if len(value) <= length else f"is longer than {length} characters"

    return check


def _decimal(low: Decimal | None, high: Decimal | None) -> Check:
    def check(value: str) -> str | None:
        if value == "":
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            return "is not a number"
        if not number.is_finite():
            return "is not a number"
        if (low is not None and number < low) or (high is not None and number > high):
            return f"is outside {low} to {high}"
        return None

    return check


_TIMESPAN_12 = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
_DURATION_2004 = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$"
)


def _pattern(regex: re.Pattern[str], what: str) -> Check:
    def check(value: str) -> str | None:
        return None if value == "" or regex.match(value) else f"is not {what}"

    return check


# One session of a learning package lasts at most a day: longer is a client's error
# (and would overflow the time kept per attempt).
MAX_SESSION_SECONDS = 24 * 3600


def _session_time(regex: re.Pattern[str], what: str, standard: str) -> Check:
    well_formed = _pattern(regex, what)

    def check(value: str) -> str | None:
        problem = well_formed(value)
        if problem is None and value:
            element = (
                "cmi.core.session_time" if standard == SCORM_12 else "cmi.session_time"
            )
            if session_seconds(standard, {element: value}) > MAX_SESSION_SECONDS:
                return "is longer than 24 hours"
        return problem

    return check


FIELDS_12: dict[str, Check] = {
    "cmi.core.lesson_status": _vocabulary(
        "passed", "completed", "failed", "incomplete", "browsed", "not attempted"
    ),
    "cmi.core.lesson_location": _at_most(255),
    "cmi.core.score.raw": _decimal(Decimal(0), Decimal(100)),
    "cmi.core.score.min": _decimal(Decimal(0), Decimal(100)),
    "cmi.core.score.max": _decimal(Decimal(0), Decimal(100)),
    "cmi.core.session_time": _session_time(
        _TIMESPAN_12, "a time span (HHHH:MM:SS.SS)", SCORM_12
    ),
    "cmi.core.exit": _vocabulary("", "time-out", "suspend", "logout"),
    "cmi.suspend_data": _at_most(4096),
}
FIELDS_2004: dict[str, Check] = {
    "cmi.completion_status": _vocabulary(
        "completed", "incomplete", "not attempted", "unknown"
    ),
    "cmi.success_status": _vocabulary("passed", "failed", "unknown"),
    "cmi.location": _at_most(1000),
    "cmi.score.scaled": _decimal(Decimal(-1), Decimal(1)),
    "cmi.score.raw": _decimal(None, None),
    "cmi.score.min": _decimal(None, None),
    "cmi.score.max": _decimal(None, None),
    "cmi.progress_measure": _decimal(Decimal(0), Decimal(1)),
    "cmi.session_time": _session_time(
        _DURATION_2004, "an ISO 8601 duration", SCORM_2004
    ),
    "cmi.exit": _vocabulary("", "time-out", "suspend", "logout", "normal"),
    "cmi.suspend_data": _at_most(64000),
}


class CmiRefused(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(
            "; ".join(f"{key} {problem}" for key, problem in errors.items())
        )
        self.errors = errors


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"cmi": {"core": {"lesson_status": "passed"}}} -> {"cmi.core.lesson_status":
    "passed"}; lists (interactions, objectives) are left out."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            flat.update(flatten(value, name))
        elif not isinstance(value, list):
            flat[name] = value
    return flat


def cmi_clean(standard: str, committed: Mapping[str, Any]) -> dict[str, str]:
    """The elements Onramp keeps from a commit (already flat, or nested under
    "cmi"), checked; CmiRefused names every element that failed."""
    flat = flatten(committed) if "cmi" in committed else dict(committed)
    fields = FIELDS_12 if standard == SCORM_12 else FIELDS_2004
    kept: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, check in fields.items():
        if name not in flat or flat[name] is None:
            continue
        value = flat[name]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            errors[name] = "is not a text or a number"
            continue
        text = str(value)
        problem = check(text)
        if problem:
            errors[name] = problem
        else:
            kept[name] = text
    if errors:
        raise CmiRefused(errors)
    return kept


@dataclass(frozen=True)
class Outcome:
    completion_status: str  # completed, incomplete, not attempted, unknown
    success_status: str  # passed, failed, unknown
    score_scaled: Decimal | None
    done: bool


def _number(value: str | None) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(value)


def outcome(
    standard: str,
    cmi: Mapping[str, str],
    *,
    mastery_score: Decimal | None,
    scaled_passing_score: Decimal | None,
) -> Outcome:
    """Where a SCO stands after its CMI values. SCORM 1.2: with a mastery score and
    a raw score, passed means raw >= mastery (the LMS decides, per the 1.2 RTE);
    otherwise "passed" or "completed" counts. SCORM 2004: with a scaled passing
    score and a scaled score, success is decided by them; the SCO is done when it
    passed, or when it completed and reports no success status."""
    if standard == SCORM_12:
        status = cmi.get("cmi.core.lesson_status", "not attempted")
        raw = _number(cmi.get("cmi.core.score.raw"))
        if mastery_score is not None and raw is not None and status != "not attempted":
            status = "passed" if raw >= mastery_score else "failed"
        completion = {
            "passed": "completed",
            "completed": "completed",
            "failed": "completed",
            "incomplete": "incomplete",
            "browsed": "incomplete",
        }.get(status, "not attempted")
        success = status if status in ("passed", "failed") else "unknown"
        maximum = _number(cmi.get("cmi.core.score.max")) or Decimal(100)
        minimum = _number(cmi.get("cmi.core.score.min")) or Decimal(0)
        # Raw, min and max may come in different commits: a raw outside them still
        # scales into -1..1, as SCORM 2004's scaled score does.
        scaled = (
            max(
                Decimal(-1),
                min(Decimal(1), (raw - minimum) / (maximum - minimum)),
            ).quantize(Decimal("0.0000001"))
            if raw is not None and maximum > minimum
            else None
        )
        return Outcome(completion, success, scaled, status in ("passed", "completed"))
    completion = cmi.get("cmi.completion_status", "unknown")
    success = cmi.get("cmi.success_status", "unknown")
    scaled = _number(cmi.get("cmi.score.scaled"))
    if scaled_passing_score is not None and scaled is not None:
        success = "passed" if scaled >= scaled_passing_score else "failed"
    done = success == "passed" or (completion == "completed" and success == "unknown")
    return Outcome(completion, success, scaled, done)


_TIMESPAN_PARTS = re.compile(r"^(\d+):(\d+):(\d+(?:\.\d+)?)$")
_DURATION_PARTS = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$"
)


def session_seconds(standard: str, cmi: Mapping[str, str]) -> Decimal:
    """The session time a commit reports, in seconds (0 when none). Years and
    months count as 365 and 30 days."""
    if standard == SCORM_12:
        match = _TIMESPAN_PARTS.match(cmi.get("cmi.core.session_time", ""))
        if not match:
            return Decimal(0)
        hours, minutes, seconds = match.groups()
        return Decimal(hours) * 3600 + Decimal(minutes) * 60 + Decimal(seconds)
    match = _DURATION_PARTS.match(cmi.get("cmi.session_time", ""))
    if not match:
        return Decimal(0)
    years, months, days, hours, minutes, seconds = (
        Decimal(part or 0) for part in match.groups()
    )
    return (
        ((years * 365 + months * 30 + days) * 24 + hours) * 3600
        + minutes * 60
        + seconds
    )
