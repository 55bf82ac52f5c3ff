"""The sequence engine over simulated weeks: enrolment by trigger, steps on the
person's clock, exit on the goal, and every step once however often ticks run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from automation.sequences.models import (
    DelayUnit,
    Enrolment,
    ExitCondition,
    StepSend,
    Trigger,
)
from automation.sequences.services import sequences_tick
from courses import services as course_services
from courses.models import Assignment, LessonCompletion
from tests.automation.sequence_helpers import make_sequence
from tests.factories import CoursePageFactory, LessonPageFactory, RepFactory, make_path

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, before the working day starts in New York (02:00 there).
MONDAY = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def course():
    course = CoursePageFactory(title="Discovery calls")
    for title in ("Why discovery", "Open questions", "Next steps"):
        LessonPageFactory(parent=course, title=title)
    return course


@pytest.fixture
def first_week(course):
    path = make_path("First 30 days", (course, 10))
    sequence = make_sequence(
        [
            {"delay": 0, "subject": "Welcome, {{ first_name }}"},
            {
                "delay": 2,
                "subject": "Tip: {{ next_step.title }}",
                "message": "Next: {{ next_step.title }} {{ next_step.url }}",
            },
            {
                "delay": 5,
                "only_if_progress_below": 30,
                "to_manager": True,
                "subject": "{{ full_name }} at {{ progress }}",
                "message": "Due {{ due_date }}; manager {{ manager.name }}",
            },
        ],
        name="First week",
        trigger=Trigger.START_DATE,
        path=path,
        exit_condition=ExitCondition.TRAINING_COMPLETE,
    )
    return sequence, path


def _new_hire(org, path, *, zone="America/New_York", start=dt.date(2026, 11, 23)):
    person = RepFactory(
        team=org.east, full_name="Maya Chen", time_zone=zone, start_date=start
    )
    course_services.assignment_create(
        user=person, path=path, reason=Assignment.Reason.ONBOARDING
    )
    return person


def _subjects_to(person) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [person.email]]


def test_it_runs_first_week_over_two_weeks_sending_each_step_once(
    org, first_week, time_machine
):
    sequence, path = first_week
    time_machine.move_to(MONDAY, tick=False)
    maya = _new_hire(org, path)

    sequences_tick()  # 02:00 in New York: enrolled, the welcome waits for 08:00
    assert Enrolment.objects.get(user=maya).next_due_at == dt.datetime(
        2026, 11, 23, 13, 0, tzinfo=dt.UTC
    )
    assert mail.outbox == []

    time_machine.move_to(dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC), tick=False)
    sequences_tick()
    sequences_tick()
    assert _subjects_to(maya) == ["Welcome, Maya"]

    # Two working days later (Wednesday), the tip names the next lesson.
    time_machine.move_to(dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC), tick=False)
    sequences_tick()
    sequences_tick()
    assert _subjects_to(maya)[-1] == "Tip: Why discovery"
    tip = mail.outbox[-1]
    assert "/go/" in tip.body
    assert "Why discovery" in tip.alternatives[0][0]

    # Five working days after Monday is the next Monday: still under 30 %, so the
    # nudge goes to Maya and to her manager.
    time_machine.move_to(dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC), tick=False)
    sequences_tick()
    assert len(mail.outbox) == 2
    time_machine.move_to(dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.UTC), tick=False)
    sequences_tick()
    sequences_tick()
    assert _subjects_to(maya)[-1] == "Maya Chen at 0%"
    assert _subjects_to(org.east_manager) == ["Maya Chen at 0%"]
    assert "manager Ed East" in mail.outbox[-1].body
    assert len(mail.outbox) == 4

    enrolment = Enrolment.objects.get(user=maya)
    assert enrolment.exit_reason == Enrolment.Exit.FINISHED
    assert StepSend.objects.filter(status=StepSend.Status.SENT).count() == 4

    time_machine.move_to(dt.datetime(2026, 12, 14, 14, 0, tzinfo=dt.UTC), tick=False)
    sequences_tick()
    assert len(mail.outbox) == 4
    assert Enrolment.objects.count() == 1


def test_it_lets_a_person_go_as_soon_as_the_course_is_complete(
    org, course, first_week, time_machine
):
    sequence, path = first_week
    time_machine.move_to(dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC), tick=False)
    maya = _new_hire(org, path)
    sequences_tick()
    assert _subjects_to(maya) == ["Welcome, Maya"]

    for lesson in course.get_children().specific():
        course_services.lesson_complete(
            user=maya, lesson=lesson, how=LessonCompletion.How.READ
        )
    time_machine.move_to(dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC), tick=False)
    sequences_tick()

    assert _subjects_to(maya) == ["Welcome, Maya"]
    assert Enrolment.objects.get(user=maya).exit_reason == Enrolment.Exit.GOAL


def test_it_skips_the_nudge_when_the_person_is_far_enough(
    org, course, first_week, time_machine
):
    sequence, path = first_week
    time_machine.move_to(dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC), tick=False)
    maya = _new_hire(org, path)
    sequences_tick()
    first = course.get_children().specific().first()
    course_services.lesson_complete(user=maya, lesson=first, how="read")
    for day in (25, 30):
        time_machine.move_to(dt.datetime(2026, 11, day, 14, 0, tzinfo=dt.UTC))
        sequences_tick()

    assert _subjects_to(maya) == ["Welcome, Maya", "Tip: Open questions"]
    assert _subjects_to(org.east_manager) == []
    assert StepSend.objects.filter(status=StepSend.Status.SKIPPED).count() == 1


def test_it_keeps_quiet_hours_in_each_persons_time_zone(org, time_machine):
    make_sequence(
        [{"delay": 1, "delay_unit": DelayUnit.HOURS}],
        trigger=Trigger.ASSIGNMENT_CREATED,
    )
    course = CoursePageFactory(title="Pricing")
    tokyo = RepFactory(team=org.east, time_zone="Asia/Tokyo")
    new_york = RepFactory(team=org.east, time_zone="America/New_York")
    # 13:00 UTC: 22:00 in Tokyo (quiet), 08:00 in New York (the day has begun).
    time_machine.move_to(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False)
    for person in (tokyo, new_york):
        course_services.assignment_create(
            user=person, course=course, reason=Assignment.Reason.MANUAL
        )
    sequences_tick()
    time_machine.move_to(dt.datetime(2026, 11, 23, 13, 0, tzinfo=dt.UTC), tick=False)
    sequences_tick()

    assert _subjects_to(new_york) and not _subjects_to(tokyo)
    # Tokyo's 08:00 is 23:00 UTC.
    assert Enrolment.objects.get(user=tokyo).next_due_at == dt.datetime(
        2026, 11, 23, 23, 0, tzinfo=dt.UTC
    )
    time_machine.move_to(dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC), tick=False)
    sequences_tick()
    assert _subjects_to(tokyo)


def test_it_enrols_the_overdue_once_per_assignment_and_not_the_other_teams(
    org, course, time_machine
):
    make_sequence(
        [{"delay": 0, "subject": "{{ course.title }} was due {{ due_date }}"}],
        trigger=Trigger.OVERDUE,
        teams=[org.americas],
    )
    time_machine.move_to(dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC), tick=False)
    org.rep_west.time_zone = "America/New_York"
    org.rep_west.save()
    due = dt.datetime(2026, 11, 21, 4, 59, 59, tzinfo=dt.UTC)
    for person in (org.rep_west, org.rep_north):
        course_services.assignment_create(
            user=person, course=course, reason=Assignment.Reason.MANUAL, due_at=due
        )
    time_machine.move_to(dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC), tick=False)
    for _ in range(3):
        sequences_tick()

    assert [m.subject for m in mail.outbox] == [
        "Discovery calls was due 20 November 2026"
    ]
    assert mail.outbox[0].to == [org.rep_west.email]


def test_it_nudges_after_days_without_activity_until_the_person_is_back(
    org, course, time_machine
):
    time_machine.move_to(dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC), tick=False)
    rep = RepFactory(team=org.east, time_zone="Europe/London")
    lesson = course.get_children().specific().first()
    course_services.lesson_complete(user=rep, lesson=lesson, how="read")
    make_sequence(
        [
            {"delay": 0, "subject": "{{ days_inactive }} days"},
            {"delay": 2, "subject": "Still quiet"},
        ],
        trigger=Trigger.NO_ACTIVITY,
        trigger_days=7,
        exit_condition=ExitCondition.ACTIVE_AGAIN,
        teams=[org.east],
        role="rep",
    )
    time_machine.move_to(dt.datetime(2026, 11, 9, 13, 0, tzinfo=dt.UTC), tick=False)
    sequences_tick()
    assert _subjects_to(rep) == ["7 days"]

    course_services.assignment_create(
        user=rep, course=course, reason=Assignment.Reason.MANUAL
    )
    second = course.get_children().specific()[1]
    course_services.lesson_complete(user=rep, lesson=second, how="read")
    time_machine.move_to(dt.datetime(2026, 11, 12, 13, 0, tzinfo=dt.UTC), tick=False)
    sequences_tick()
    assert _subjects_to(rep) == ["7 days"]
    assert Enrolment.objects.get(user=rep).exit_reason == Enrolment.Exit.GOAL


def test_a_paused_sequence_holds_its_people_and_resuming_carries_on(
    org, first_week, time_machine
):
    from automation.sequences.services import sequence_pause, sequence_resume

    sequence, path = first_week
    time_machine.move_to(dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC), tick=False)
    maya = _new_hire(org, path)
    sequence_pause(sequence=sequence)
    sequences_tick()
    assert mail.outbox == []

    sequence_resume(sequence=sequence)
    sequences_tick()
    assert _subjects_to(maya) == ["Welcome, Maya"]


def test_a_ticks_queries_do_not_grow_with_its_due_enrolments(org, course, time_machine):
    make_sequence(
        [
            {
                "delay": 0,
                "to_manager": True,
                "message": "{{ next_step.url }} {{ manager.name }}",
            }
        ],
        trigger=Trigger.ASSIGNMENT_CREATED,
    )
    time_machine.move_to(dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC), tick=False)

    def tick_queries(count: int) -> int:
        people = [RepFactory(team=org.east) for _ in range(count)]
        for person in people:
            course_services.assignment_create(
                user=person, course=course, reason=Assignment.Reason.MANUAL
            )
        mail.outbox = []
        with CaptureQueriesContext(connection) as queries:
            report = sequences_tick()
        # Each person and their manager: the batch's claims, preferences,
        # deliveries, step records and positions are read and written together.
        assert report.sent == len(mail.outbox) == 2 * count
        return len(queries)

    # The first tick also reads the site's root paths for the lessons' links
    # (Wagtail caches them), then each costs the same whatever its size; the
    # positions are one executemany (one round trip on PostgreSQL).
    tick_queries(1)
    assert tick_queries(25) == tick_queries(5)
