"""Reads for the coaching pages: the coach's queue, the review screen, a rep's
submissions and score history, and the state of a practice assignment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, ngettext

from coaching.models import (
    Comment,
    CriterionScore,
    PracticePage,
    Review,
    RubricCriterion,
    Submission,
    Take,
)
from coaching.permissions import (
    can_review,
    can_see_submission,
    coaches_to_choose,
    submissions_visible_to,
)
from lms.accounts.models import User
from lms.accounts.visibility import coached_teams
from lms.lib import clock
from media.models import MediaAsset

QUEUE_TABS: dict[str, tuple[str | Promise, list[str]]] = {
    "to_review": (gettext_lazy("To review"), [Submission.State.REQUESTED]),
    "in_progress": (gettext_lazy("In progress"), [Submission.State.IN_REVIEW]),
    "done": (gettext_lazy("Done"), [Submission.State.REVIEWED]),
}
DONE_SHOWN = 50


# The coach's queue.


@dataclass
class QueueRow:
    submission: Submission
    take: Take | None
    reviewers: list[User]

    @property
    def overdue(self) -> bool:
        return (
            self.submission.state != Submission.State.REVIEWED
            and self.submission.due_at is not None
            and self.submission.due_at < clock.now()
        )


def routed_to(coach: User) -> QuerySet[Submission]:
    """Submissions sent to this coach: named, or for a team they coach."""
    return submissions_visible_to(coach).filter(
        Q(rep__team__in=coached_teams(coach))
        & (Q(requested_coach=coach) | Q(requested_coach__isnull=True))
    )


def queue_counts(*, coach: User) -> dict[str, int]:
    routed = routed_to(coach)
    return {
        tab: routed.filter(state__in=states).count()
        for tab, (_, states) in QUEUE_TABS.items()
    }


def coach_queue(*, coach: User, tab: str) -> list[QueueRow]:
    """The tab's submissions, oldest due first (Done: latest first)."""
    states = QUEUE_TABS[tab][1]
    submissions = (
        routed_to(coach)
        .filter(state__in=states)
        .select_related("rep", "rep__team", "rubric", "practice")
        .prefetch_related(
            Prefetch(
                "takes",
                queryset=Take.objects.sent().prefetch_related(
                    Prefetch(
                        "reviews",
                        queryset=Review.objects.by_coaches().select_related("reviewer"),
                    )
                ),
            )
        )
    )
    if tab == "done":
        submissions = submissions.order_by("-requested_at")[:DONE_SHOWN]
    else:
        submissions = submissions.order_by("due_at", "requested_at", "pk")
    rows = []
    for submission in submissions:
        takes = list(submission.takes.all())
        take = takes[-1] if takes else None
        reviewers = [review.reviewer for review in take.reviews.all()] if take else []
        rows.append(QueueRow(submission=submission, take=take, reviewers=reviewers))
    return rows


# The review screen.


@dataclass
class CriterionLine:
    criterion: RubricCriterion
    self_level: int | None
    draft_level: int | None


@dataclass
class ReviewedCriterion:
    criterion: RubricCriterion
    level: int | None
    self_level: int | None


@dataclass
class SubmittedReview:
    review: Review
    lines: list[ReviewedCriterion]


@dataclass
class ReviewScreen:
    take: Take
    submission: Submission
    takes: list[Take]
    asset: MediaAsset | None
    comments: list[Comment]
    criteria: list[CriterionLine]
    reviews: list[SubmittedReview]
    self_review: Review | None
    draft: Review | None
    can_review: bool
    can_reply: bool
    is_latest: bool
    markers: list[dict[str, object]] = field(default_factory=list)


def visible_take(*, viewer: User, take_id: int) -> Take | None:
    """The take, if the viewer may see its submission."""
    return (
        Take.objects.sent()
        .filter(pk=take_id, submission__in=submissions_visible_to(viewer))
        .select_related(
            "submission",
            "submission__rep",
            "submission__rubric",
            "submission__practice",
            "submission__requested_coach",
            "asset",
        )
        .first()
    )


def take_is_open_for(*, viewer: User, take: Take) -> bool:
    """Whether the viewer may review this take now: a routed coach, the latest take,
    waiting or in review, and not already reviewed by them."""
    submission = take.submission
    if not submission.is_pending:
        return False
    if viewer.pk == submission.rep_id or not can_review(viewer, submission):
        return False
    latest = current_take(submission)
    if latest is None or latest.pk != take.pk:
        return False
    return not take.reviews.submitted().filter(reviewer=viewer).exists()


def review_screen(*, viewer: User, take: Take) -> ReviewScreen:
    submission = take.submission
    takes = list(submission.takes.sent().order_by("number"))
    criteria = list(submission.rubric.criteria.all())
    reviews = list(
        take.reviews.select_related("reviewer").prefetch_related(
            Prefetch("scores", queryset=CriterionScore.objects.all())
        )
    )
    self_review = next(
        (r for r in reviews if r.is_self_review and r.state == Review.State.SUBMITTED),
        None,
    )
    draft = next(
        (
            r
            for r in reviews
            if r.reviewer_id == viewer.pk
            and not r.is_self_review
            and r.state == Review.State.DRAFT
        ),
        None,
    )
    self_levels = _levels(self_review)
    draft_levels = _levels(draft)
    visible = comments_visible_to(viewer, take)
    comments = list(
        visible.filter(parent__isnull=True)
        .select_related("author", "review")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=visible.filter(parent__isnull=False)
                .select_related("author", "review")
                .order_by("created_at"),
            )
        )
        .order_by("start_seconds", "created_at")
    )
    open_for_viewer = take_is_open_for(viewer=viewer, take=take)
    screen = ReviewScreen(
        take=take,
        submission=submission,
        takes=takes,
        asset=take.asset,
        comments=comments,
        criteria=[
            CriterionLine(
                criterion=c,
                self_level=self_levels.get(c.pk),
                draft_level=draft_levels.get(c.pk),
            )
            for c in criteria
        ],
        reviews=[
            SubmittedReview(
                review=r,
                lines=[
                    ReviewedCriterion(
                        criterion=c,
                        level=_levels(r).get(c.pk),
                        self_level=self_levels.get(c.pk),
                    )
                    for c in criteria
                ],
            )
            for r in reviews
            if r.is_submitted_by_coach
        ],
        self_review=self_review,
        draft=draft,
        can_review=open_for_viewer,
        can_reply=viewer.pk == submission.rep_id or can_review(viewer, submission),
        is_latest=bool(takes) and takes[-1].pk == take.pk,
    )
    return screen


def _levels(review: Review | None) -> dict[int, int]:
    if review is None:
        return {}
    return {score.criterion_id: score.level for score in review.scores.all()}


def exportable_review(*, viewer: User, review_id: int) -> Review | None:
    """A submitted coach review the viewer may see (or the viewer's own draft)."""
    review = (
        Review.objects.by_coaches()
        .filter(pk=review_id, take__submission__in=submissions_visible_to(viewer))
        .select_related("take", "take__submission", "reviewer")
        .first()
    )
    if review is None:
        return None
    if review.state != Review.State.SUBMITTED and review.reviewer_id != viewer.pk:
        return None
    return review


# The rep's pages.


@dataclass
class SubmissionRow:
    submission: Submission
    latest_take: Take | None
    latest_review: Review | None


def my_submissions(*, rep: User) -> list[SubmissionRow]:
    """The rep's submissions, newest first, with the latest sent take and the latest
    submitted coach review."""
    submissions = (
        Submission.objects.filter(rep=rep)
        .select_related("rubric", "practice", "requested_coach")
        .prefetch_related(
            Prefetch("takes", queryset=Take.objects.order_by("number")),
            Prefetch(
                "takes__reviews",
                queryset=Review.objects.by_coaches()
                .submitted()
                .select_related("reviewer"),
            ),
        )
        .order_by("-created_at")
    )
    rows = []
    for submission in submissions:
        takes = [take for take in submission.takes.all() if take.sent_at]
        reviews = [review for take in takes for review in take.reviews.all()]
        reviews.sort(key=lambda r: r.submitted_at or r.started_at)
        rows.append(
            SubmissionRow(
                submission=submission,
                latest_take=takes[-1] if takes else None,
                latest_review=reviews[-1] if reviews else None,
            )
        )
    return rows


@dataclass
class HistoryPoint:
    review: Review
    levels: dict[int, int]


@dataclass
class RubricHistory:
    """A rep's submitted coach reviews on one rubric, oldest first."""

    rubric_name: str
    criteria: list[RubricCriterion]
    points: list[HistoryPoint]

    def rows(self) -> list[tuple[Review, list[int | None]]]:
        return [
            (point.review, [point.levels.get(c.pk) for c in self.criteria])
            for point in self.points
        ]


def score_history(*, rep: User) -> list[RubricHistory]:
    reviews = (
        Review.objects.by_coaches()
        .submitted()
        .filter(take__submission__rep=rep)
        .select_related("take__submission__rubric", "reviewer", "take__submission")
        .prefetch_related("scores")
        .order_by("submitted_at", "pk")
    )
    by_rubric: dict[int, RubricHistory] = {}
    for review in reviews:
        rubric = review.take.submission.rubric
        if rubric.pk not in by_rubric:
            by_rubric[rubric.pk] = RubricHistory(
                rubric_name=rubric.name,
                criteria=list(rubric.criteria.all()),
                points=[],
            )
        by_rubric[rubric.pk].points.append(
            HistoryPoint(review=review, levels=_levels(review))
        )
    return sorted(by_rubric.values(), key=lambda h: h.rubric_name)


# A practice assignment, as the rep sees it.


@dataclass
class PracticeState:
    practice: PracticePage
    submission: Submission | None
    takes: list[Take]
    takes_left: int
    pending: Take | None
    unsent: list[Take]
    self_reviewed: set[int]
    approved: bool
    recordings: list[MediaAsset]
    coaches: list[User]
    max_upload_bytes: int
    just_uploaded: MediaAsset | None

    @property
    def max_label(self) -> str:
        minutes, seconds = divmod(self.practice.max_seconds, 60)
        if minutes and seconds:
            return gettext("%(minutes)s min %(seconds)s s") % {
                "minutes": minutes,
                "seconds": seconds,
            }
        if minutes:
            return gettext("%(minutes)s min") % {"minutes": minutes}
        return gettext("%(seconds)s s") % {"seconds": seconds}


def practice_state(
    *, user: User, practice: PracticePage, uploaded: str = ""
) -> PracticeState:
    """The rep's takes of a practice and what they may do next. `uploaded` is the
    public id of the recording the uploader just came back with, if any."""
    submission = practice_open_submission(rep=user, practice=practice)
    takes: list[Take] = []
    self_reviewed: set[int] = set()
    if submission is not None:
        takes = list(
            submission.takes.select_related("asset")
            .prefetch_related(
                Prefetch(
                    "reviews",
                    queryset=Review.objects.submitted().select_related("reviewer"),
                )
            )
            .order_by("number")
        )
        self_reviewed = {
            take.pk
            for take in takes
            if any(r.is_self_review for r in take.reviews.all())
        }
    used = {take.asset_id for take in takes if take.asset_id}
    recordings = [
        asset
        for asset in MediaAsset.objects.filter(
            owner=user,
            kind=MediaAsset.Kind.RECORDING,
            status__in=[
                MediaAsset.Status.UPLOADED,
                MediaAsset.Status.PROCESSING,
                MediaAsset.Status.READY,
            ],
        ).order_by("-created_at")[:30]
        if asset.pk not in used
    ]
    pending = None
    if submission is not None and submission.is_pending:
        pending = next((t for t in reversed(takes) if t.sent_at), None)
    return PracticeState(
        practice=practice,
        submission=submission,
        takes=takes,
        takes_left=max(0, practice.max_takes - len(takes)),
        pending=pending,
        unsent=[take for take in takes if take.sent_at is None],
        self_reviewed=self_reviewed,
        approved=submission is not None
        and submission.state == Submission.State.REVIEWED
        and submission.outcome == Submission.Outcome.APPROVED,
        recordings=recordings,
        coaches=list(coaches_to_choose(user)),
        max_upload_bytes=settings.MEDIA_MAX_UPLOAD_BYTES,
        just_uploaded=next(
            (r for r in recordings if str(r.public_id) == uploaded), None
        ),
    )


def due_label(due_at: dt.datetime | None) -> str:
    if due_at is None:
        return ""
    delta = due_at - clock.now()
    hours = int(abs(delta.total_seconds()) // 3600)
    if delta.total_seconds() >= 0:
        if hours < 48:
            return gettext("due in %(hours)s h") % {"hours": hours}
        days = hours // 24
        return ngettext("due in %(days)s day", "due in %(days)s days", days) % {
            "days": days
        }
    if hours < 48:
        return gettext("%(hours)s h overdue") % {"hours": hours}
    days = hours // 24
    return ngettext("%(days)s day overdue", "%(days)s days overdue", days) % {
        "days": days
    }


def practice_open_submission(*, rep: User, practice: PracticePage) -> Submission | None:
    """The rep's submission for this practice (the latest one), if any."""
    return (
        Submission.objects.filter(
            rep=rep, practice=practice, kind=Submission.Kind.PRACTICE
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def current_take(submission: Submission) -> Take | None:
    """The latest take sent for review (the one a coach reviews now)."""
    return submission.takes.sent().order_by("-number").first()


def comments_visible_to(user: User, take: Take) -> QuerySet[Comment]:
    """The take's comments the user may read: none if they may not see the
    submission; a draft review's comments (and replies within them) only for
    their author."""
    if not can_see_submission(user, take.submission):
        return Comment.objects.none()
    return (
        Comment.objects.filter(take=take)
        .exclude(Q(review__state=Review.State.DRAFT) & ~Q(author=user))
        .select_related("author", "review")
    )
