"""The sequence tick through a real Celery worker: beat's job enrols a person whose
training was just assigned and e-mails them the first step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from automation.sequences.models import Enrolment, Trigger
from automation.tasks import sequences_tick_task
from courses import services as course_services
from courses.models import Assignment
from tests.automation.sequence_helpers import make_sequence
from tests.factories import CoursePageFactory, LessonPageFactory

pytestmark = pytest.mark.worker


def test_the_tick_sends_the_first_step_in_the_worker(celery_worker, org):
    course = CoursePageFactory(title="Pricing")
    LessonPageFactory(parent=course, title="Price anchors")
    make_sequence(
        [{"subject": "Welcome to {{ course.title }}, {{ first_name }}"}],
        trigger=Trigger.ASSIGNMENT_CREATED,
        counts_from=timezone.now() - dt.timedelta(hours=1),
        quiet_from=dt.time(0, 0),
        quiet_until=dt.time(0, 0),
    )
    course_services.assignment_create(
        user=org.rep_east, course=course, reason=Assignment.Reason.MANUAL
    )

    sequences_tick_task.delay()

    (message,) = celery_worker.wait_for(celery_worker.mails, what="the e-mail")
    assert f"To: {org.rep_east.email}" in message
    assert "Welcome to Pricing, Rae" in message
    # The batch commits its progress after its messages went out.
    assert celery_worker.wait_for(
        lambda: Enrolment.objects.get().next_index == 1, what="the step recorded"
    )
