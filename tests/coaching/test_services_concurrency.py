"""Requests that arrive at the same moment: simultaneous opens of a review make one
draft per coach, simultaneous submits submit once, simultaneous takes keep the
limits. Threads against PostgreSQL (row locks); SQLite has no row locks, so these
are skipped there."""

from __future__ import annotations

import pytest
from django.db import connection

from coaching import services
from coaching.models import Review, Take
from coaching.services import CoachingRefused
from courses.models import LessonCompletion
from tests.concurrency import at_once
from tests.factories import levels_for

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks between threads need PostgreSQL; SQLite has none.",
    ),
]

THREADS = 4


@pytest.fixture(autouse=True)
def _reset(reset_without_post_migrate: None) -> None:
    """Each test starts from what the migrations made."""


def test_it_makes_one_draft_when_a_coach_opens_a_review_twice_at_once(org, submissions):
    take = submissions.requested().takes.get()

    results, errors = at_once(
        [lambda: services.review_start(take=take, coach=org.east_coach)] * THREADS
    )

    assert errors == []
    assert len({review.pk for review in results}) == 1
    assert Review.objects.filter(take=take).count() == 1


def test_it_gives_each_coach_one_review_when_comments_arrive_together(org, submissions):
    from tests.factories import make_coach

    region_coach = make_coach(org.americas, full_name="Regina Region")
    take = submissions.requested().takes.get()

    def comment(coach, second):  # type: ignore[no-untyped-def]
        return lambda: services.comment_add(
            take=take, author=coach, text="Here", start_seconds=second, kind="praise"
        )

    results, errors = at_once(
        [comment(org.east_coach, 1), comment(region_coach, 1)] * 2
    )

    assert errors == []
    assert len(results) == THREADS
    reviews = Review.objects.filter(take=take)
    assert sorted(reviews.values_list("reviewer__full_name", flat=True)) == [
        "Cora Coach",
        "Regina Region",
    ]
    assert all(review.comments.count() == 2 for review in reviews)


def test_it_submits_a_review_once_when_submits_arrive_together(
    org, practice, practice_take, rubric
):
    practice.self_review = False
    practice.save()
    services.take_send(take=practice_take, user=org.rep_east)
    review = services.review_start(take=practice_take, coach=org.east_coach)

    def submit(outcome):  # type: ignore[no-untyped-def]
        return lambda: services.review_submit(
            review=review,
            coach=org.east_coach,
            levels=levels_for(rubric, 4, 4, 4, 4),
            summary=outcome,
            outcome=outcome,
        )

    results, errors = at_once([submit("approved"), submit("resubmit")] * 2)

    assert len(results) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, CoachingRefused) for error in errors)
    review.refresh_from_db()
    assert review.state == Review.State.SUBMITTED
    assert review.scores.count() == 4
    assert review.outcome == results[0].outcome
    completions = LessonCompletion.objects.filter(user=org.rep_east, lesson=practice)
    assert completions.count() == (1 if review.outcome == "approved" else 0)


def test_it_keeps_the_take_limit_when_takes_arrive_together(org, practice, recording):
    practice.max_takes = 2
    practice.save()
    assets = [recording(org.rep_east) for _ in range(THREADS)]

    results, errors = at_once(
        [
            lambda asset=asset: services.practice_take_add(
                rep=org.rep_east, practice=practice, asset=asset
            )
            for asset in assets
        ]
    )

    assert len(results) == 2
    assert all(isinstance(error, CoachingRefused) for error in errors)
    assert sorted(Take.objects.values_list("number", flat=True)) == [1, 2]
    assert len({take.submission_id for take in results}) == 1
