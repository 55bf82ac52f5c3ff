"""E-mail reminders about assigned training, so that nobody learns from a dashboard
that they are overdue: a notice when something is assigned, when it is due within a
few days, when it becomes overdue, and a Monday digest of everything open.

Each notice is sent once (lms.notifications.notify_once), so the job may run as
often as convenient; days are the person's own, in their time zone.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from smtplib import SMTPRecipientsRefused
from typing import Any

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from courses.calendar import assignment_event
from courses.models import Assignment
from lms.accounts.models import User
from lms.lib import clock
from lms.lib.ics import calendar_ics
from lms.lib.urls import absolute_url, site_url
from lms.notifications.models import NotificationLog
from lms.notifications.services import notice_record, notify_once

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 3
ASSIGNED, DUE_SOON, OVERDUE, DIGEST = "assigned", "due_soon", "overdue", "digest"
MANDATORY = (ASSIGNED, DUE_SOON, OVERDUE)
# Days near the person's today that a reminder names rather than dates.
NEARBY_DAYS = (-1, 0, 1)


def _nearby_day(days_left: int) -> str:
    return {
        -1: pgettext("was due", "yesterday"),
        0: pgettext("is due", "today"),
        1: pgettext("is due", "tomorrow"),
    }[days_left]


Sent = set[tuple[int, str, str]]


def reminders_send(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send the reminders that are due about open assignments (not completed, not
    withdrawn) of active people. Run by `reminders_send_task` (beat, hourly).

    - assigned: once, on the first run after the assignment was made;
    - due_soon: once, when the due day is 0 to 3 of the person's days away and the
      due moment has not passed;
    - overdue: once, on the first run after the due moment;
    - digest: on the person's Monday, all their open assignments, once a week,
      unless they switched it off (the others cannot be switched off).

    At most one of these goes out per assignment per run: an "assigned" notice
    that already says the work is due soon or overdue stands for that notice too.

    Two queries find what is still to send, however many assignments are open; each
    e-mail sent then costs a few more. A recipient the mail server refuses is logged
    and skipped (retried on the next run); any other sending error stops the run,
    leaving the rest to the next one. Returns how many of each kind were sent, and
    how many were refused.
    """
    now = now or clock.now()
    open_assignments = Assignment.objects.open().filter(user__is_active=True)
    reminders = [
        Reminder(assignment, now)
        for assignment in open_assignments.select_related(
            "user", "path", "course", "assigned_by"
        ).order_by("user_id", F("due_at").asc(nulls_last=True), "assigned_at", "pk")
    ]
    digest_keys = {r.digest_key for r in reminders if r.today.weekday() == 0}
    sent = _notices_sent(open_assignments, digest_keys)
    counts = dict.fromkeys([*MANDATORY, DIGEST, "refused"], 0)
    with get_connection() as connection:
        for _, group in groupby(reminders, key=lambda r: r.assignment.user_id):
            for kind in _send_to_one(list(group), sent, connection):
                counts[kind] += 1
    return counts


@dataclass
class Reminder:
    """One open assignment as the reminders show it, seen from the person's day."""

    assignment: Assignment
    now: dt.datetime

    @property
    def person(self) -> User:
        return self.assignment.user

    @cached_property
    def today(self) -> dt.date:
        return timezone.localtime(self.now, self._zone).date()

    @cached_property
    def due_date(self) -> dt.date | None:
        if self.assignment.due_at is None:
            return None
        return timezone.localtime(self.assignment.due_at, self._zone).date()

    @property
    def days_left(self) -> int | None:
        """The person's due day minus their today: 0 on the day it is due."""
        return None if self.due_date is None else (self.due_date - self.today).days

    @property
    def overdue(self) -> bool:
        return self.assignment.due_at is not None and self.assignment.due_at < self.now

    @property
    def due_soon(self) -> bool:
        return (
            not self.overdue
            and self.days_left is not None
            and 0 <= self.days_left <= DUE_SOON_DAYS
        )

    @property
    def title(self) -> str:
        return self.assignment.title

    @property
    def due_label(self) -> str:
        """ "Friday 4 December" (with the year when it is not this year)."""
        if self.due_date is None:
            return ""
        same_year = self.due_date.year == self.today.year
        # Translators: PHP-style date formats (Django's `date` filter): a weekday,
        # day and month, in the order and with the words the language writes.
        if same_year:
            return dateformat.format(self.due_date, pgettext("date format", "l j F"))
        return dateformat.format(self.due_date, pgettext("date format", "l j F Y"))

    @property
    def when(self) -> str:
        """When it is or was due, to follow "due": "today", "on Friday 4 December"."""
        if self.days_left is None:
            return ""
        if self.days_left in NEARBY_DAYS:
            return _nearby_day(self.days_left)
        return pgettext("is due on a date", "on %(date)s") % {"date": self.due_label}

    @property
    def when_in_full(self) -> str:
        """ "tomorrow, Friday 4 December" or "on Friday 4 December"."""
        if self.days_left in NEARBY_DAYS:
            return pgettext("a near day, then its date", "%(day)s, %(date)s") % {
                "day": self.when,
                "date": self.due_label,
            }
        return self.when

    @property
    def progress(self) -> str:
        done, total = self.assignment.required_done, self.assignment.required_total
        if not total:
            return _("No lessons yet")
        if not done:
            return ngettext(
                "Not started: %(total)d lesson to do",
                "Not started: %(total)d lessons to do",
                total,
            ) % {"total": total}
        return ngettext(
            "%(done)d of %(total)d lesson done (%(percent)d%%)",
            "%(done)d of %(total)d lessons done (%(percent)d%%)",
            total,
        ) % {
            "done": done,
            "total": total,
            "percent": self.assignment.progress_percent,
        }

    @property
    def course_url(self) -> str:
        """The course's page, for a course that is live ("" for a path: its steps
        are on My learning)."""
        course = self.assignment.course
        parts = course.get_url_parts() if course is not None and course.live else None
        return site_url(parts[2]) if parts else ""

    @property
    def key(self) -> str:
        return f"assignment:{self.assignment.pk}"

    @property
    def digest_key(self) -> str:
        year, week, _ = self.today.isocalendar()
        return f"digest:{year}-W{week:02d}"

    @cached_property
    def _zone(self) -> zoneinfo.ZoneInfo:
        return clock.zone(self.person.time_zone)


def _notices_sent(
    open_assignments: QuerySet[Assignment], digest_keys: set[str]
) -> Sent:
    """(user id, kind, key) of the notices already sent that this run could send
    again: about the open assignments, and this week's digests. One query."""
    assignment_keys = open_assignments.annotate(
        notice_key=Concat(Value("assignment:"), Cast("pk", CharField()))
    ).values("notice_key")
    return set(
        NotificationLog.objects.filter(user_id__in=open_assignments.values("user_id"))
        .filter(
            Q(kind__in=MANDATORY, key__in=assignment_keys)
            | Q(kind=DIGEST, key__in=digest_keys)
        )
        .values_list("user_id", "kind", "key")
    )


def _send_to_one(
    reminders: list[Reminder], sent: Sent, connection: BaseEmailBackend
) -> Iterable[str]:
    """The notices due to one person, in order; yields the kind of each one sent,
    or "refused" (and stops) when the mail server refuses their address."""
    person = reminders[0].person
    try:
        for reminder in reminders:
            kind = _due_notice(reminder, sent)
            if kind is not None and _send(kind, reminder, connection):
                yield kind
                if kind == ASSIGNED:
                    _covered_by_assigned(reminder, sent)
        first = reminders[0]
        if (
            person.weekly_digest
            and first.today.weekday() == 0
            and (person.pk, DIGEST, first.digest_key) not in sent
            and _send_digest(reminders, connection)
        ):
            yield DIGEST
    except SMTPRecipientsRefused:
        logger.exception("Reminders to %s refused; next run tries again", person.pk)
        yield "refused"


def _due_notice(reminder: Reminder, sent: Sent) -> str | None:
    """The one mandatory notice to send about the assignment now, if any."""
    for kind, due in (
        (ASSIGNED, True),
        (OVERDUE, reminder.overdue),
        (DUE_SOON, reminder.due_soon),
    ):
        if due and (reminder.person.pk, kind, reminder.key) not in sent:
            return kind
    return None


def _covered_by_assigned(reminder: Reminder, sent: Sent) -> None:
    """The assigned e-mail said when it is due: that stands for the due soon or
    overdue notice, so nobody gets two e-mails about one thing at once."""
    kind = OVERDUE if reminder.overdue else DUE_SOON if reminder.due_soon else None
    if kind is not None:
        notice_record(user=reminder.person, kind=kind, key=reminder.key)
        sent.add((reminder.person.pk, kind, reminder.key))


def _subject(kind: str, reminder: Reminder) -> str:
    title = reminder.title
    if kind == ASSIGNED:
        return _("New training for you: “%(title)s”") % {"title": title}
    if kind == DUE_SOON:
        return _("“%(title)s” is due %(when)s") % {
            "title": title,
            "when": reminder.when,
        }
    return _("“%(title)s” is overdue") % {"title": title}


def _send(kind: str, reminder: Reminder, connection: BaseEmailBackend) -> bool:
    with translation.override(reminder.person.preferred_language):
        subject = _subject(kind, reminder)
        attachments = _due_date_events([reminder], name=reminder.title)
    return notify_once(
        user=reminder.person,
        kind=kind,
        key=reminder.key,
        subject=subject,
        template=f"courses/email/{kind}",
        context={**_common_context(reminder.person), "reminder": reminder},
        connection=connection,
        attachments=attachments,
    )


def _due_date_events(
    reminders: list[Reminder], *, name: str
) -> list[tuple[str, bytes, str]]:
    """The due dates as calendar events (one .ics), for the person's calendar; none
    without a due date."""
    events = [
        event
        for reminder in reminders
        if (event := assignment_event(reminder.assignment)) is not None
    ]
    if not events:
        return []
    filename = "due-date.ics" if len(events) == 1 else "due-dates.ics"
    return [(filename, calendar_ics(events, name=name), "text/calendar")]


def _send_digest(reminders: list[Reminder], connection: BaseEmailBackend) -> bool:
    first = reminders[0]
    overdue = sum(reminder.overdue for reminder in reminders)
    with translation.override(first.person.preferred_language):
        if overdue:
            subject = _(
                "Your training this week: %(open)d open, %(overdue)d overdue"
            ) % {"open": len(reminders), "overdue": overdue}
        else:
            subject = _("Your training this week: %(open)d open") % {
                "open": len(reminders)
            }
        attachments = _due_date_events(reminders, name=_("Your training"))
    return notify_once(
        user=first.person,
        kind=DIGEST,
        key=first.digest_key,
        subject=subject,
        template="courses/email/digest",
        context={
            **_common_context(first.person),
            "reminders": reminders,
            "overdue_count": overdue,
            "profile_url": absolute_url("profile"),
        },
        connection=connection,
        attachments=attachments,
    )


def _common_context(person: User) -> dict[str, Any]:
    return {
        "person": person,
        "first_name": person.get_short_name(),
        "my_learning_url": absolute_url("my_learning"),
    }
