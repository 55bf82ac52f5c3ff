"""The coaching terms named once on the QuerySets: a coach's submitted review, a
submission waiting for a coach, a take sent for review."""

from __future__ import annotations

import pytest

from coaching.models import Review, Submission, Take

pytestmark = pytest.mark.django_db


def test_it_names_coaches_submitted_reviews(org, submissions):
    draft = submissions.in_review()
    verdict = submissions.reviewed()
    own = Review.objects.create(
        take=verdict.take,
        reviewer=verdict.take.submission.rep,
        is_self_review=True,
        state=Review.State.SUBMITTED,
    )

    assert set(Review.objects.by_coaches()) == {draft, verdict}
    assert set(Review.objects.submitted()) == {verdict, own}
    assert list(Review.objects.by_coaches().submitted()) == [verdict]
    assert verdict.is_submitted_by_coach
    assert not own.is_submitted_by_coach and not draft.is_submitted_by_coach


def test_it_names_submissions_waiting_for_a_coach(org, submissions):
    requested = submissions.requested()
    opened = submissions.in_review().take.submission
    done = submissions.reviewed().take.submission

    assert set(Submission.objects.pending()) == {requested, opened}
    assert requested.is_pending and opened.is_pending
    assert not done.is_pending


def test_it_names_takes_sent_for_review(org, submissions, practice_take):
    sent = submissions.requested().takes.get()

    assert list(Take.objects.sent()) == [sent]
    assert practice_take.sent_at is None
