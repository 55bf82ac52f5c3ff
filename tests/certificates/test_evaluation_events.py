"""Evaluation driven by the other apps' events: each queues an evaluation after
commit; events arriving twice, or together from several threads (PostgreSQL), issue
one certificate."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from certificates import services
from certificates.models import Certificate, CertificateEvent
from certificates.services import certificates_evaluate
from coaching.models import Review
from coaching.signals import review_submitted
from courses.models import CoursePage
from courses.quizzes.models import QuizAttempt
from courses.quizzes.signals import quiz_attempt_graded
from courses.signals import course_completed

THREADS = 4


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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_issues_one_certificate_when_events_arrive_together(
    reset_without_post_migrate, program_kit, org, after_issue
):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks between threads need PostgreSQL; SQLite has none.")
    program_kit.meet_everything(org.rep_east)
    start = threading.Barrier(THREADS)
    results: list[list[Certificate]] = []
    errors: list[BaseException] = []

    def evaluate() -> None:
        try:
            start.wait()
            results.append(certificates_evaluate(user_id=org.rep_east.pk))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=evaluate) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(len(issued) for issued in results) == [0] * (THREADS - 1) + [1]
    (certificate,) = Certificate.objects.all()
    assert certificate.events.count() == 1
    assert after_issue == [certificate.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_gives_different_people_different_serials_at_once(
    reset_without_post_migrate, program_kit, org
):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL; SQLite serialises them.")
    people = [org.rep_east, org.rep_east2, org.rep_west, org.rep_north]
    for person in people:
        program_kit.meet_everything(person)
    start = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def evaluate(user_id: int) -> None:
        try:
            start.wait()
            certificates_evaluate(user_id=user_id)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=evaluate, args=(person.pk,)) for person in people
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert [serial[-6:] for serial in serials] == [
        "000001",
        "000002",
        "000003",
        "000004",
    ]
