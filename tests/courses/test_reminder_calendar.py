"""Every e-mail about assigned training with a due date carries the due date as a
calendar event (.ics), the same event (UID) as in the person's calendar feed."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.core import mail

from courses import services
from courses.models import Assignment
from courses.reminders import reminders_send
from lms.lib.ics import event_uid
from tests.factories import CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.django_db

TUESDAY = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def course():
    course = CoursePageFactory(title="Discovery calls")
    LessonPageFactory(parent=course, title="Why discovery")
    return course


def _events(message) -> list[icalendar.Event]:
    assert message.attachments, message.subject
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert filename in ("due-date.ics", "due-dates.ics")
    assert mimetype == "text/calendar"
    raw = content.encode() if isinstance(content, str) else content
    return list(icalendar.Calendar.from_ical(raw).walk("VEVENT"))


def test_the_assigned_and_overdue_emails_carry_the_due_date(
    time_machine, rep_factory, course
):
    time_machine.move_to(TUESDAY, tick=False)
    rep = rep_factory(time_zone="America/New_York")
    due = dt.datetime(2026, 11, 27, 23, 59, 59, tzinfo=zoneinfo.ZoneInfo(rep.time_zone))
    assignment, _ = services.assignment_create(
        user=rep, course=course, reason=Assignment.Reason.MANUAL, due_at=due
    )
    reminders_send()
    (event,) = _events(mail.outbox[-1])
    assert str(event["UID"]) == event_uid("assignment", assignment.pk)
    assert event.decoded("DTSTART") == dt.date(2026, 11, 27)
    assert int(event["SEQUENCE"]) == 0

    assignment.due_at = due - dt.timedelta(days=1)
    assignment.save()
    time_machine.move_to(TUESDAY + dt.timedelta(days=4), tick=False)
    reminders_send()

    assert "overdue" in mail.outbox[-1].subject
    (event,) = _events(mail.outbox[-1])
    assert event.decoded("DTSTART") == dt.date(2026, 11, 26)
    assert int(event["SEQUENCE"]) == 1


def test_an_assignment_without_a_due_date_has_no_attachment(
    time_machine, rep_factory, course
):
    time_machine.move_to(TUESDAY, tick=False)
    services.assignment_create(
        user=rep_factory(), course=course, reason=Assignment.Reason.MANUAL
    )
    reminders_send()
    assert mail.outbox[-1].attachments == []


def test_the_monday_digest_carries_every_open_due_date(
    time_machine, rep_factory, course
):
    monday = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(monday - dt.timedelta(days=1), tick=False)
    rep = rep_factory(weekly_digest=True)
    other = CoursePageFactory(title="Demo skills")
    assignments = [
        services.assignment_create(
            user=rep,
            course=page,
            reason=Assignment.Reason.MANUAL,
            due_at=monday + dt.timedelta(days=days),
        )[0]
        for page, days in ((course, 10), (other, 20))
    ]
    reminders_send()
    time_machine.move_to(monday, tick=False)
    reminders_send()

    digest = mail.outbox[-1]
    assert digest.subject.startswith("Your training this week")
    assert {str(event["UID"]) for event in _events(digest)} == {
        event_uid("assignment", assignment.pk) for assignment in assignments
    }
