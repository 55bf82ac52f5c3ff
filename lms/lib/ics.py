"""Calendar events as iCalendar (RFC 5545), for e-mail attachments and feeds.

A pure wrapper around the `icalendar` package: no queries here. Each event has a
stable UID (what it is about, never when), so that a calendar that loaded it before
replaces it; its SEQUENCE goes up with each revision (a moved due date), which the
revision keeper registered by a higher layer counts (`register_revision_keeper`).
Without one every event is revision 0, which calendars take as the first version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from django.conf import settings

from lms.lib import clock

PRODUCT_ID = "-//Onramp//Onramp calendar//EN"
TIMED_EVENT_LENGTH = dt.timedelta(minutes=15)
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class CalendarEvent:
    """Something on a calendar: a whole day (a due date) or a moment (a review
    deadline, shown as a short event starting then)."""

    uid: str
    summary: str
    start: dt.date | dt.datetime
    description: str = ""
    url: str = ""

    @property
    def fingerprint(self) -> str:
        """What makes a new revision: when it is and what it says."""
        text = "\n".join([self.start.isoformat(), self.summary, self.description])
        return hashlib.sha256(text.encode()).hexdigest()[:32]


RevisionKeeper = Callable[[Sequence[CalendarEvent]], dict[str, int]]
_revision_keeper: list[RevisionKeeper] = []


def register_revision_keeper(keeper: RevisionKeeper) -> None:
    """The function that gives each event its SEQUENCE (uid -> revision number)."""
    _revision_keeper[:] = [keeper]


def event_uid(kind: str, pk: int) -> str:
    """A UID that stays the same for the same thing: "assignment-42@host"."""
    host = urlsplit(str(settings.SITE_URL)).hostname or "onramp"
    return f"{kind}-{pk}@{host}"


def calendar_ics(events: Sequence[CalendarEvent], *, name: str) -> bytes:
    """The events as one VCALENDAR, each with its current SEQUENCE."""
    sequences = _revision_keeper[0](events) if _revision_keeper else {}
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = clock.now().replace(microsecond=0)
    for event in events:
        calendar.add_component(_vevent(event, sequences.get(event.uid, 0), stamp))
    return bytes(calendar.to_ical())


def _vevent(event: CalendarEvent, sequence: int, stamp: dt.datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("sequence", sequence)
    vevent.add("summary", event.summary)
    if isinstance(event.start, dt.datetime):
        start = event.start.astimezone(dt.UTC).replace(microsecond=0)
        vevent.add("dtstart", start)
        vevent.add("dtend", start + TIMED_EVENT_LENGTH)
    else:
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.start + dt.timedelta(days=1))
        vevent.add("transp", "TRANSPARENT")
    if event.description:
        vevent.add("description", event.description)
    if event.url:
        vevent.add("url", event.url)
    return vevent
