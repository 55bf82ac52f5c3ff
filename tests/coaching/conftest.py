"""Coaching fixtures: a valid rubric, a practice step in the `catalogue` course, and
submissions in each state with real ready recordings (tests/media_fixtures.py).

With the `org` fixture: Rae East (rep_east) is coached by Cora Coach (east_coach),
managed by Ed East (east_manager) and Rita Region (region_manager).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from coaching import services
from coaching.models import (
    PracticePage,
    Review,
    Rubric,
    Submission,
    Take,
)
from lms.accounts.models import User
from tests.factories import levels_for, make_rubric


@pytest.fixture
def rubric(db: None) -> Rubric:
    """ "Discovery call": agenda 20%, questioning 30%, listening 30%, next steps
    20%; passes at 3.00."""
    return make_rubric()


@pytest.fixture
def practice(catalogue: Any, rubric: Rubric) -> PracticePage:
    """ "Handle the pricing objection" (max 120 s, 3 takes, self-review asked) as
    the last step of the catalogue course "Discovery calls"."""
    return catalogue.course.add_child(
        instance=PracticePage(
            title="Handle the pricing objection",
            prompt="Handle the pricing objection in under two minutes.",
            rubric=rubric,
            max_seconds=120,
            max_takes=3,
            self_review=True,
        )
    )


@pytest.fixture
def recording(make_ready_recording: Callable[..., Any]) -> Callable[..., Any]:
    """recording(owner, title=...): a real ready 3-second recording of `owner`."""

    def make(owner: User, **fields: Any) -> Any:
        return make_ready_recording(owner, **fields)

    return make


class Submissions:
    """Factory of submissions from `org` people, walked through the real services."""

    def __init__(self, org: Any, rubric: Rubric, recording: Callable[..., Any]):
        self.org, self.rubric, self.recording = org, rubric, recording

    def requested(
        self, rep: User | None = None, coach: User | None = None, title: str = "Acme"
    ) -> Submission:
        """A call review request, waiting for review."""
        rep = rep or self.org.rep_east
        return services.call_review_request(
            rep=rep,
            asset=self.recording(rep, title=f"{title} call"),
            title=f"{title} discovery call",
            rubric=self.rubric,
            deal_stage=Submission.DealStage.DISCOVERY,
            feedback_wanted="How I handled the budget question.",
            coach=coach,
        )

    def in_review(self, rep: User | None = None, coach: User | None = None) -> Review:
        """A request a coach opened, with one draft comment at 0:01; returns the
        coach's draft review."""
        submission = self.requested(rep=rep, title="Globex")
        coach = coach or self.org.east_coach
        take = submission.takes.get()
        services.comment_add(
            take=take,
            author=coach,
            text="Good opener.",
            start_seconds=1,
            kind="praise",
        )
        return services.review_start(take=take, coach=coach)

    def reviewed(
        self,
        rep: User | None = None,
        coach: User | None = None,
        outcome: str = Submission.Outcome.APPROVED,
        levels: tuple[int, ...] = (4, 3, 4, 5),
    ) -> Review:
        """A reviewed call (approved by default); returns the submitted review."""
        review = self.in_review(rep=rep, coach=coach)
        return services.review_submit(
            review=review,
            coach=review.reviewer,
            levels=levels_for(self.rubric, *levels),
            summary="Clear agenda; ask one more question about budget.",
            outcome=outcome,
        )


@pytest.fixture
def submissions(org: Any, rubric: Rubric, recording: Callable[..., Any]) -> Submissions:
    return Submissions(org, rubric, recording)


@pytest.fixture
def practice_take(org: Any, practice: PracticePage, recording: Any) -> Take:
    """Rae East's first practice take (a draft submission, not yet sent)."""
    return services.practice_take_add(
        rep=org.rep_east, practice=practice, asset=recording(org.rep_east)
    )
