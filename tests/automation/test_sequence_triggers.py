"""The other triggers: N days before a due date, a certificate expiring (and
leaving once it is renewed), a failed quiz; and the demo's three sequences."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from automation import demo
from automation.sequences.models import (
    DelayUnit,
    Enrolment,
    ExitCondition,
    Sequence,
    Trigger,
)
from automation.sequences.services import sequences_tick
from certificates.models import Certificate, CertificationProgram
from courses import services as course_services
from courses.models import Assignment
from courses.quizzes.models import QuizAttempt
from tests.automation.sequence_helpers import make_sequence
from tests.factories import CoursePageFactory, LessonPageFactory, QuizPageFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)


def _certificate(person, *, cycle: int, expires_at: dt.datetime, issued_at):
    program = CertificationProgram.objects.get_or_create(
        title="Certified Discovery Seller", defaults={"validity_months": 12}
    )[0]
    return Certificate.objects.create(
        program=program,
        user=person,
        cycle=cycle,
        serial=f"NW-{person.pk}-{cycle}",
        verification_code=f"code-{person.pk}-{cycle}",
        holder_name=person.full_name,
        program_title=program.title,
        issued_at=issued_at,
        expires_at=expires_at,
    )


def test_certificate_renewal_sends_30_and_7_days_before_and_stops_once_renewed(
    org, time_machine
):
    time_machine.move_to(NOW, tick=False)
    make_sequence(
        [
            {"delay": 0, "delay_unit": DelayUnit.DAYS, "subject": "30 days"},
            {"delay": 23, "delay_unit": DelayUnit.DAYS, "subject": "7 days"},
        ],
        trigger=Trigger.CERTIFICATE_EXPIRING,
        trigger_days=30,
        exit_condition=ExitCondition.CERTIFICATE_RENEWED,
    )
    expires = dt.datetime(2026, 12, 20, 15, 0, tzinfo=dt.UTC)
    _certificate(
        org.rep_east,
        cycle=1,
        expires_at=expires,
        issued_at=dt.datetime(2025, 12, 20, tzinfo=dt.UTC),
    )
    _certificate(
        org.rep_west,
        cycle=1,
        expires_at=expires,
        issued_at=dt.datetime(2025, 12, 20, tzinfo=dt.UTC),
    )
    sequences_tick()
    sequences_tick()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [org.rep_east.email, org.rep_west.email]
    )

    # Rae renews; Wes does not, and gets the 7-day reminder.
    _certificate(
        org.rep_east,
        cycle=2,
        expires_at=expires + dt.timedelta(days=365),
        issued_at=NOW + dt.timedelta(days=5),
    )
    time_machine.move_to(dt.datetime(2026, 12, 13, 15, 0, tzinfo=dt.UTC), tick=False)
    sequences_tick()

    assert [(m.to[0], m.subject) for m in mail.outbox[2:]] == [
        (org.rep_west.email, "7 days")
    ]
    assert Enrolment.objects.get(user=org.rep_east).exit_reason == "goal"


def test_it_reminds_n_days_before_a_due_date_once(org, time_machine):
    time_machine.move_to(NOW, tick=False)
    course = CoursePageFactory(title="Pricing")
    LessonPageFactory(parent=course, title="Price anchors")
    make_sequence(
        [{"subject": "{{ course.title }} is due {{ due_date }}"}],
        trigger=Trigger.DUE_IN_DAYS,
        trigger_days=3,
        course=course,
    )
    org.rep_east.time_zone = "UTC"
    org.rep_east.save()
    course_services.assignment_create(
        user=org.rep_east,
        course=course,
        reason=Assignment.Reason.MANUAL,
        due_at=dt.datetime(2026, 11, 30, 23, 59, tzinfo=dt.UTC),
    )
    sequences_tick()
    assert mail.outbox == []

    time_machine.move_to(dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC), tick=False)
    sequences_tick()
    sequences_tick()
    assert [m.subject for m in mail.outbox] == ["Pricing is due 30 November 2026"]


def test_a_failed_quiz_enrols_the_person_once_per_attempt(org, time_machine):
    time_machine.move_to(NOW, tick=False)
    make_sequence([{"subject": "Try again"}], trigger=Trigger.QUIZ_FAILED)
    course = CoursePageFactory(title="Discovery calls")
    quiz = QuizPageFactory(parent=course, title="Discovery quiz")
    for number, passed in ((1, False), (2, True)):
        QuizAttempt.objects.create(
            quiz=quiz,
            quiz_title=quiz.title,
            user=org.rep_east,
            number=number,
            state=QuizAttempt.State.SUBMITTED,
            passed=passed,
            pass_mark_percent=80,
            closed_at=NOW,
        )
    sequences_tick()
    sequences_tick()
    assert [m.subject for m in mail.outbox] == ["Try again"]


def test_the_demo_sequences_are_seeded_once(db):
    demo.seed_sequences(lambda line: None)
    demo.seed_sequences(lambda line: None)

    sequences = {s.name: s for s in Sequence.objects.prefetch_related("steps")}
    assert sorted(sequences) == ["Certificate renewal", "First week", "Stalled rep"]
    assert [s.delay for s in sequences["First week"].steps.all()] == [0, 2, 5]
    assert all(
        step.channel == "email"
        for sequence in sequences.values()
        for step in sequence.steps.all()
    )
    assert all(s.status == Sequence.Status.ACTIVE for s in sequences.values())
