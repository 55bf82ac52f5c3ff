"""Evaluation driven by the other apps' events: each queues an evaluation after
commit, and only then; several events issue one certificate."""

from __future__ import annotations

import pytest
from django.db import transaction

from certificates import services
from certificates.models import Certificate, CertificateEvent
from coaching.models import Review
from coaching.signals import review_submitted
from courses.models import CoursePage
from courses.quizzes.models import QuizAttempt
from courses.quizzes.signals import quiz_attempt_graded
from courses.signals import course_completed


@pytest.fixture(autouse=True)
def after_issue(monkeypatch):
    issued: list[int] = []
    monkeypatch.setattr(services, "_after_issue", issued.append)
    return issued


@pytest.fixture
def evaluations(monkeypatch):
    """The people evaluated by the task (which still runs, eagerly)."""
    evaluated: list[int] = []
    original = services.certificates_evaluate

    def recording(*, user_id):
        evaluated.append(user_id)
        return original(user_id=user_id)

    monkeypatch.setattr(services, "certificates_evaluate", recording)
    return evaluated


@pytest.mark.django_db
def test_it_evaluates_after_each_kind_of_event(
    program_kit, org, evaluations, django_capture_on_commit_callbacks
):
    kit = program_kit
    kit.meet_everything(org.rep_east)
    attempt = QuizAttempt.objects.get(user=org.rep_east)
    review = Review.objects.filter(take__submission__rep=org.rep_east).first()
    self_review = kit.approve_review(org.rep_east, self_review=True)

    with django_capture_on_commit_callbacks(execute=True):
        course_completed.send(sender=CoursePage, user=org.rep_east, course=kit.course)
        quiz_attempt_graded.send(sender=QuizAttempt, attempt=attempt)
        review_submitted.send(sender=Review, review=review)
        review_submitted.send(sender=Review, review=self_review)  # not evidence

    assert evaluations == [org.rep_east.pk] * 3
    (certificate,) = Certificate.objects.all()
    assert certificate.user == org.rep_east
    assert certificate.events.get().action == CertificateEvent.Action.ISSUED


@pytest.mark.django_db
def test_it_queues_nothing_when_the_event_is_rolled_back(
    program_kit, org, evaluations, django_capture_on_commit_callbacks
):
    program_kit.meet_everything(org.rep_east)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            course_completed.send(
                sender=CoursePage, user=org.rep_east, course=program_kit.course
            )
            raise RuntimeError("the request failed")

    assert callbacks == []
    assert evaluations == []
    assert not Certificate.objects.exists()
