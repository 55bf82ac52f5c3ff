"""The overdue chase: reminders to coaches before the turnaround target, escalation
to the rep's managers after it, each once; with the clock moved, and through a real
worker."""

from __future__ import annotations

import datetime as dt

import pytest

from coaching import notices, services
from coaching.models import Submission
from coaching.tasks import reviews_chase_overdue_task
from tests.factories import levels_for

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def at(time_machine):
    """Moves the clock to START + the given hours, where it stands still."""

    def move(hours: float) -> None:
        time_machine.move_to(START + dt.timedelta(hours=hours), tick=False)

    return move


def _sent(mailoutbox) -> list[tuple[str, str]]:
    sent = sorted((message.to[0], message.subject) for message in mailoutbox)
    mailoutbox.clear()
    return sent


def test_it_reminds_the_coaches_then_escalates_to_the_managers_once_each(
    org, submissions, mailoutbox, settings, at
):
    settings.COACHING_TURNAROUND_HOURS = 48
    at(0)
    submission = submissions.requested()
    assert submission.due_at == START + dt.timedelta(hours=48)

    at(35.9)  # more than 12 hours left
    assert notices.reviews_chase_overdue() == (0, 0)
    at(36)  # due within 12 hours
    assert notices.reviews_chase_overdue() == (1, 0)
    assert _sent(mailoutbox) == [
        (org.east_coach.email, "Due soon: coaching for Rae East, “Acme discovery call”")
    ]
    at(40)
    assert notices.reviews_chase_overdue() == (0, 0)
    at(47.99)
    assert notices.reviews_chase_overdue() == (0, 0)

    at(48)  # the turnaround is missed
    assert notices.reviews_chase_overdue() == (0, 2)
    assert _sent(mailoutbox) == sorted(
        (manager.email, "Overdue coaching: Rae East, “Acme discovery call”")
        for manager in (org.east_manager, org.region_manager)
    )
    for hours in (49, 72, 200):
        at(hours)
        assert notices.reviews_chase_overdue() == (0, 0)
    assert mailoutbox == []


def test_it_names_the_coaches_in_the_escalation(org, submissions, mailoutbox, at):
    at(0)
    submissions.requested()
    assert notices.reviews_chase_overdue(now=START + dt.timedelta(days=3)) == (0, 2)
    message = next(m for m in mailoutbox if m.to == [org.east_manager.email])
    assert "It is with Cora Coach." in message.body
    assert "was due Wednesday 4 March, 09:00 (UTC)" in message.body


def test_it_chases_a_request_in_review_but_not_a_reviewed_one(
    org, submissions, mailoutbox, at
):
    at(0)
    in_review = submissions.in_review()
    assert in_review.take.submission.state == Submission.State.IN_REVIEW
    reviewed = submissions.reviewed(rep=org.rep_east2)
    mailoutbox.clear()
    at(49)
    assert notices.reviews_chase_overdue() == (0, 2)
    assert {message.to[0] for message in mailoutbox} == {
        org.east_manager.email,
        org.region_manager.email,
    }
    assert all("Reid East" not in message.subject for message in mailoutbox)
    assert reviewed.take.submission.state == Submission.State.REVIEWED


def test_it_chases_each_new_take_afresh(
    org, practice, practice_take, recording, rubric, mailoutbox, at
):
    practice.self_review = False
    practice.save()
    at(0)
    services.take_send(take=practice_take, user=org.rep_east)
    at(50)
    assert notices.reviews_chase_overdue() == (0, 2)
    review = services.review_start(take=practice_take, coach=org.east_coach)
    services.review_submit(
        review=review,
        coach=org.east_coach,
        levels=levels_for(rubric, 2, 2, 2, 2),
        summary="",
        outcome="resubmit",
    )
    second = services.practice_take_add(
        rep=org.rep_east, practice=practice, asset=recording(org.rep_east)
    )
    services.take_send(take=second, user=org.rep_east)
    mailoutbox.clear()
    at(50 + 40)
    assert notices.reviews_chase_overdue() == (1, 0)
    at(50 + 48)
    assert notices.reviews_chase_overdue() == (0, 2)


def test_it_respects_the_turnaround_setting(org, submissions, settings, at):
    settings.COACHING_TURNAROUND_HOURS = 24
    at(0)
    submission = submissions.requested()
    assert submission.due_at == START + dt.timedelta(hours=24)
    at(11.9)
    assert notices.reviews_chase_overdue() == (0, 0)
    at(12)
    assert notices.reviews_chase_overdue() == (1, 0)


def test_it_runs_the_chase_in_a_fixed_number_of_queries_when_nothing_is_due(
    org, submissions, django_assert_num_queries, at
):
    at(0)
    for title in ("A", "B", "C"):
        submissions.requested(title=title)
    with django_assert_num_queries(1):
        assert notices.reviews_chase_overdue() == (0, 0)


def test_it_reads_waiting_requests_and_their_people_once_per_team(
    org, submissions, mailoutbox, django_assert_max_num_queries, at
):
    at(0)
    for title in ("A", "B", "C", "D"):
        submissions.requested(title=title)
    submissions.requested(rep=org.rep_west, title="W")
    at(49)
    assert notices.reviews_chase_overdue() == (0, 4 * 2 + 1)  # West: Rita only
    at(50)
    # What is waiting, their takes, the notices sent; then coaches and managers of
    # East and of West: however many requests wait.
    with django_assert_max_num_queries(3 + 2 * 4):
        assert notices.reviews_chase_overdue() == (0, 0)


@pytest.mark.worker
def test_it_chases_overdue_reviews_through_the_worker(celery_worker, org, rubric):
    from media.models import MediaAsset

    asset = MediaAsset.objects.create(
        owner=org.rep_east,
        title="Acme call",
        upload_length=1,
        upload_offset=1,
        status=MediaAsset.Status.READY,
        duration=3.0,
        playback_content_type="video/mp4",
    )
    submission = services.call_review_request(
        rep=org.rep_east, asset=asset, title="Acme call", rubric=rubric
    )
    # The request's notice to the coach goes through the worker too.
    celery_worker.wait_for(lambda: celery_worker.mails(), what="the request notice")
    Submission.objects.filter(pk=submission.pk).update(
        due_at=submission.due_at - dt.timedelta(days=3)
    )
    reviews_chase_overdue_task.delay()

    def escalations() -> list[int]:
        mails = "".join(celery_worker.mails())
        return [
            mails.count(f"To: {manager.email}")
            for manager in (org.east_manager, org.region_manager)
        ]

    celery_worker.wait_for(lambda: escalations() == [1, 1], what="the escalations")
    reviews_chase_overdue_task.delay()
    reviews_chase_overdue_task.delay()
    celery_worker.wait_for(
        lambda: celery_worker.log().count("reviews_chase_overdue_task[") == 6,
        what="the repeated runs to finish",
    )
    assert "succeeded in" in celery_worker.log().splitlines()[-1]
    assert escalations() == [1, 1]
