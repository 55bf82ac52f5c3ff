"""E-mail reminders about assigned training: once each, on the person's own days."""

from __future__ import annotations

import datetime as dt
import smtplib
import zoneinfo
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import (
    Assignment,
    CoursePage,
    LearningPath,
    LessonPage,
)
from courses.reminders import reminders_send
from courses.tasks import reminders_send_task
from lms.notifications.models import NotificationLog
from tests.factories import CoursePageFactory, LessonPageFactory, make_path

pytestmark = pytest.mark.django_db

SEND_MESSAGES = "django.core.mail.backends.locmem.EmailBackend.send_messages"
# 23 November 2026 is a Monday.
MONDAY = dt.date(2026, 11, 23)
FRIDAY_AFTER_NEXT = dt.date(2026, 12, 4)


@pytest.fixture
def course() -> CoursePage:
    course = CoursePageFactory(
        title="Discovery calls", slug="discovery", summary="Ask better questions."
    )
    for title in ("Why discovery", "Open questions"):
        LessonPageFactory(parent=course, title=title)
    return course


@pytest.fixture
def path(course) -> LearningPath:
    """A path of one course with two lessons, other than `course`."""
    other = CoursePageFactory(title="Demo skills", summary="Show, don't tell.")
    for title in ("Open strong", "Close the loop"):
        LessonPageFactory(parent=other, title=title)
    return make_path("Objections & pricing", (other, 14))


@pytest.fixture
def at(time_machine):
    """Moves the clock to a moment in UTC, where it stands still."""

    def move(*parts: int) -> None:
        time_machine.move_to(dt.datetime(*parts, tzinfo=dt.UTC), tick=False)

    return move


def _due(person, day: dt.date) -> dt.datetime:
    zone = zoneinfo.ZoneInfo(person.time_zone)
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone)


def _assign(person, *, course=None, path=None, due: dt.date | None = None):
    assignment, _ = services.assignment_create(
        user=person,
        course=course,
        path=path,
        reason=Assignment.Reason.MANUAL,
        due_at=_due(person, due) if due else None,
    )
    return assignment


def _sent_now() -> set[tuple[str, str]]:
    """(person, kind) of the notices recorded at this (frozen) moment."""
    return {
        (log.user.full_name, log.kind)
        for log in NotificationLog.objects.filter(
            sent_at=timezone.now()
        ).select_related("user")
    }


def test_it_sends_each_reminder_once_over_two_weeks_of_daily_runs(
    at, user_factory, course
):
    maya = user_factory(full_name="Maya Lopez", time_zone="Europe/London")
    at(2026, 11, 23, 7)
    _assign(maya, course=course, due=FRIDAY_AFTER_NEXT)

    sent = []
    for day in range(14):
        at(*(MONDAY + dt.timedelta(days=day)).timetuple()[:3], 8)
        first, again = reminders_send(), reminders_send()
        assert not any(again.values()), f"sent again on day {day}"
        sent += [(timezone.localdate(), kind) for kind, n in first.items() if n]

    assert sent == [
        (MONDAY, "assigned"),
        (MONDAY, "digest"),
        (dt.date(2026, 11, 30), "digest"),
        (dt.date(2026, 12, 1), "due_soon"),
        (dt.date(2026, 12, 5), "overdue"),
    ]
    assert [message.subject for message in mail.outbox] == [
        "New training for you: “Discovery calls”",
        "Your training this week: 1 open",
        "Your training this week: 1 open",
        "“Discovery calls” is due on Friday 4 December",
        "“Discovery calls” is overdue",
    ]
    assert {tuple(message.to) for message in mail.outbox} == {(maya.email,)}


def test_it_decides_today_in_the_reps_own_time_zone(at, user_factory, course):
    tokyo = user_factory(full_name="Kenji Tokyo", time_zone="Asia/Tokyo")
    la = user_factory(full_name="Lena Angeles", time_zone="America/Los_Angeles")
    at(2026, 11, 25, 12)
    for rep in (tokyo, la):
        _assign(rep, course=course, due=FRIDAY_AFTER_NEXT)  # their own Friday
    reminders_send()
    assert _sent_now() == {("Kenji Tokyo", "assigned"), ("Lena Angeles", "assigned")}

    # Monday 30 November, 23:30 UTC: already Tuesday 1 December in Tokyo (three days
    # before Friday), still Monday afternoon in Los Angeles (digest day).
    at(2026, 11, 30, 23, 30)
    reminders_send()
    assert _sent_now() == {("Kenji Tokyo", "due_soon"), ("Lena Angeles", "digest")}

    at(2026, 12, 1, 7, 30)  # 23:30 on Monday in Los Angeles
    reminders_send()
    assert _sent_now() == set()

    at(2026, 12, 1, 8, 30)  # 00:30 on Tuesday in Los Angeles
    reminders_send()
    assert _sent_now() == {("Lena Angeles", "due_soon")}


def test_it_shows_due_dates_in_the_reps_own_time_zone(at, user_factory, course):
    manager = user_factory(time_zone="America/Los_Angeles")
    tokyo = user_factory(full_name="Kenji Tokyo", time_zone="Asia/Tokyo")
    at(2026, 11, 25, 12)
    # Due at the end of Friday in Los Angeles: Saturday afternoon in Tokyo.
    services.assignment_create(
        user=tokyo,
        course=course,
        reason=Assignment.Reason.MANUAL,
        due_at=_due(manager, FRIDAY_AFTER_NEXT),
    )

    reminders_send()

    (message,) = mail.outbox
    assert "It is due on Saturday 5 December." in message.body


def test_it_sends_the_digest_only_to_those_who_want_it(at, user_factory, course):
    keen = user_factory(full_name="Kim Keen")
    busy = user_factory(full_name="Bo Busy", weekly_digest=False)
    done = user_factory(full_name="Di Done")
    at(2026, 11, 20, 9)  # a Friday: nothing but the notices of new training
    for rep in (keen, busy, done):
        _assign(rep, course=course, due=dt.date(2026, 11, 24))
    Assignment.objects.filter(user=done).update(completed_at=timezone.now())
    reminders_send()
    assert _sent_now() == {("Kim Keen", "assigned"), ("Bo Busy", "assigned")}

    at(2026, 11, 23, 9)  # Monday, the day before it is due
    reminders_send()

    assert _sent_now() == {
        ("Kim Keen", "due_soon"),
        ("Kim Keen", "digest"),
        ("Bo Busy", "due_soon"),
    }


def test_it_lists_all_open_training_in_the_digest(
    at, user_factory, course, path, settings
):
    settings.SITE_URL = "https://learn.example.com"
    maya = user_factory(full_name="Maya Lopez", time_zone="Europe/Lisbon")
    at(2026, 11, 16, 9)
    _assign(maya, course=course, due=dt.date(2026, 11, 20))
    _assign(maya, path=path, due=FRIDAY_AFTER_NEXT)
    lesson = LessonPage.objects.child_of(course).first()
    services.lesson_complete(user=maya, lesson=lesson, how="read")
    reminders_send()
    mail.outbox.clear()

    at(2026, 11, 23, 9)
    reminders_send()

    digest = next(m for m in mail.outbox if m.subject.startswith("Your training"))
    assert digest.subject == "Your training this week: 2 open, 1 overdue"
    assert (
        "- Discovery calls: OVERDUE, was due on Friday 20 November. "
        "1 of 2 lessons done (50%).\n"
        "  https://learn.example.com/courses/discovery/\n" in digest.body
    )
    assert (
        "- Objections & pricing: due on Friday 4 December. "
        "Not started: 2 lessons to do.\n"
        "  https://learn.example.com/learning/\n" in digest.body
    )
    assert "https://learn.example.com/accounts/profile/" in digest.body
    ((html, _),) = digest.alternatives
    assert "Objections &amp; pricing" in html
    assert 'href="https://learn.example.com/courses/discovery/"' in html
    assert 'href="https://learn.example.com/accounts/profile/"' in html


def test_it_writes_each_email_as_html_and_text_with_absolute_links(
    at, user_factory, course, path, settings
):
    settings.SITE_URL = "https://learn.example.com"
    maya = user_factory(full_name="Maya Lopez")
    at(2026, 11, 25, 9)
    _assign(maya, course=course, due=FRIDAY_AFTER_NEXT)
    _assign(maya, path=path, due=FRIDAY_AFTER_NEXT)
    reminders_send()
    mail.outbox.clear()

    at(2026, 12, 1, 9)
    reminders_send()

    by_subject = {message.subject: message for message in mail.outbox}
    message = by_subject["“Discovery calls” is due on Friday 4 December"]
    assert message.body.startswith(
        "Maya, “Discovery calls” is due on Friday 4 December.\n"
    )
    assert "https://learn.example.com/courses/discovery/" in message.body
    assert "https://learn.example.com/learning/" in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert 'href="https://learn.example.com/courses/discovery/"' in html
    assert 'href="https://learn.example.com/learning/"' in html

    message = by_subject["“Objections & pricing” is due on Friday 4 December"]
    assert "Maya, “Objections & pricing” is due" in message.body
    ((html, _),) = message.alternatives
    assert "Maya, “Objections &amp; pricing” is due" in html
    assert 'href="https://learn.example.com/learning/"' in html


def test_it_says_in_the_new_training_email_that_it_is_due_soon_and_says_it_once(
    at, user_factory, course
):
    maya = user_factory(full_name="Maya Lopez")
    at(2026, 12, 3, 9)
    _assign(maya, course=course, due=FRIDAY_AFTER_NEXT)

    reminders_send()
    (message,) = mail.outbox
    assert message.subject == "New training for you: “Discovery calls”"
    assert "It is due tomorrow, Friday 4 December." in message.body

    at(2026, 12, 4, 9)
    assert not any(reminders_send().values())
    at(2026, 12, 5, 9)
    assert reminders_send()["overdue"] == 1


def test_it_sends_nothing_about_completed_or_withdrawn_training_or_to_leavers(
    at, user_factory, course, path
):
    at(2026, 11, 20, 9)
    finished, withdrawn, leaver = user_factory(), user_factory(), user_factory()
    for rep in (finished, withdrawn, leaver):
        _assign(rep, course=course, due=dt.date(2026, 11, 21))
    Assignment.objects.filter(user=finished).update(completed_at=timezone.now())
    services.assignment_unassign(assignment=Assignment.objects.get(user=withdrawn))
    leaver.is_active = False
    leaver.save()

    at(2026, 11, 23, 9)  # a Monday, and all of it would be overdue
    assert not any(reminders_send().values())
    assert mail.outbox == []


def test_it_sends_on_the_next_run_what_a_failing_mail_server_did_not_take(
    at, user_factory, course
):
    maya = user_factory(full_name="Maya Lopez")
    at(2026, 11, 25, 9)
    _assign(maya, course=course, due=FRIDAY_AFTER_NEXT)

    with (
        mock.patch(SEND_MESSAGES, side_effect=smtplib.SMTPServerDisconnected("gone")),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        reminders_send()
    assert not NotificationLog.objects.exists()
    assert mail.outbox == []

    at(2026, 11, 25, 10)
    assert reminders_send()["assigned"] == 1
    assert len(mail.outbox) == 1


def test_it_keeps_going_when_the_mail_server_refuses_one_address(
    at, user_factory, course
):
    refused = user_factory(email="gone@example.com")
    maya = user_factory(full_name="Maya Lopez")
    at(2026, 11, 25, 9)
    for rep in (refused, maya):
        _assign(rep, course=course, due=FRIDAY_AFTER_NEXT)
    send_messages = EmailBackend.send_messages

    def refuse_one(backend, messages):
        if messages[0].to == [refused.email]:
            raise smtplib.SMTPRecipientsRefused({refused.email: (550, b"No such user")})
        return send_messages(backend, messages)

    with mock.patch(SEND_MESSAGES, autospec=True, side_effect=refuse_one):
        counts = reminders_send()

    assert (counts["assigned"], counts["refused"]) == (1, 1)
    assert [message.to for message in mail.outbox] == [[maya.email]]
    at(2026, 11, 25, 10)
    assert reminders_send()["assigned"] == 1


def test_it_finds_what_is_left_to_send_in_two_queries(
    at, user_factory, course, path, django_assert_num_queries
):
    at(2026, 11, 23, 9)  # a Monday: digests too
    for _ in range(2):
        rep = user_factory()
        _assign(rep, course=course, due=FRIDAY_AFTER_NEXT)
        _assign(rep, path=path, due=dt.date(2026, 11, 20))
    reminders_send()
    with django_assert_num_queries(2):
        assert not any(reminders_send().values())

    for _ in range(3):
        _assign(user_factory(), path=path, due=dt.date(2026, 11, 20))
    reminders_send()
    with django_assert_num_queries(2):
        assert not any(reminders_send().values())


def test_it_lets_people_switch_the_digest_off_on_their_profile(client, user_factory):
    maya = user_factory(full_name="Maya Lopez")
    client.force_login(maya)

    page = client.get(reverse("profile"))
    assert "Send me a weekly digest of open training" in page.content.decode()
    client.post(reverse("profile"), {"full_name": "Maya Lopez", "time_zone": "UTC"})

    maya.refresh_from_db()
    assert maya.weekly_digest is False


def test_it_runs_as_a_task_that_reports_what_it_sent(at, user_factory, course):
    at(2026, 11, 25, 9)
    _assign(user_factory(), course=course, due=FRIDAY_AFTER_NEXT)

    assert reminders_send_task.delay().get() == {
        "assigned": 1,
        "due_soon": 0,
        "overdue": 0,
        "digest": 0,
        "refused": 0,
    }


@pytest.mark.worker
def test_it_sends_reminders_through_the_worker(celery_worker, user_factory):
    maya = user_factory(email="maya@example.com", weekly_digest=False)
    path = LearningPath.objects.create(title="First 30 days")
    services.assignment_create(user=maya, path=path, reason="onboarding")

    reminders_send_task.delay()

    (message,) = celery_worker.wait_for(celery_worker.mails, what="the reminder")
    assert "To: maya@example.com" in message
    assert "/learning/" in message
    assert NotificationLog.objects.filter(user=maya, kind="assigned").exists()
