"""Coaching state changes: review requests and practice takes, reviews and
time-stamped comments. The notices they queue after commit are in coaching/notices.py,
what the pages read in coaching/selectors.py.

Submissions move draft (practice takes not yet sent) -> requested -> in_review (a
coach opened a draft review) -> reviewed (approved | resubmit). After "resubmit" the
rep adds another take and sends it: requested again; earlier takes keep their
reviews. Every function here checks who may do it; a refusal raises
`CoachingRefused`, whose message is meant for the person, and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, ngettext

from coaching.analytics import call_analysis_request
from coaching.models import (
    Comment,
    CriterionScore,
    PracticePage,
    Review,
    Rubric,
    RubricCriterion,
    Submission,
    Take,
)
from coaching.permissions import can_review
from coaching.rubrics import rubric_problems
from coaching.selectors import (
    comments_visible_to,
    current_take,
    practice_open_submission,
)
from coaching.signals import review_submitted
from courses.models import CoursePage, LessonCompletion
from courses.selectors import lock_reason
from courses.services import lesson_complete
from lms.accounts import visibility
from lms.accounts.models import User
from lms.lib import clock
from lms.lib.durations import format_duration
from media.models import MediaAsset

logger = logging.getLogger(__name__)

COMMENT_MAX_CHARS = 2000
SUMMARY_MAX_CHARS = 5000
# A take may run this much over the practice's limit: containers round durations.
TAKE_SLACK_SECONDS = 1.0


class CoachingRefused(Exception):
    """A coaching action that may not happen; str(exc) says why, for the person."""


# Scores


def weighted_score(criteria_weights_and_levels: Iterable[tuple[int, int]]) -> Decimal:
    """sum(weight × level) / 100 for (weight in percent, level 1–5) pairs, to two
    places rounded half up: weights 33/33/34 with levels 4/4/5 give 4.34."""
    total = sum(
        (
            Decimal(weight) * Decimal(level)
            for weight, level in criteria_weights_and_levels
        ),
        Decimal(0),
    )
    return (total / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _scored_criteria(
    rubric: Rubric, levels: dict[int, int]
) -> list[tuple[RubricCriterion, int]]:
    criteria = list(rubric.criteria.all())
    problems = rubric_problems(rubric)
    if problems:
        raise CoachingRefused(
            gettext("The rubric “%(rubric)s” is not usable: %(problem)s")
            % {"rubric": rubric, "problem": problems[0]}
        )
    unknown = set(levels) - {criterion.pk for criterion in criteria}
    if unknown:
        raise CoachingRefused(
            gettext("Some scores are for criteria not in this rubric.")
        )
    scored = []
    for criterion in criteria:
        level = levels.get(criterion.pk)
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
            raise CoachingRefused(
                gettext("Score “%(criterion)s” from 1 to 5.")
                % {"criterion": criterion.name}
            )
        scored.append((criterion, level))
    return scored


def _record_scores(review: Review, rubric: Rubric, levels: dict[int, int]) -> None:
    scored = _scored_criteria(rubric, levels)
    review.scores.all().delete()
    CriterionScore.objects.bulk_create(
        CriterionScore(review=review, criterion=criterion, level=level)
        for criterion, level in scored
    )
    review.score = weighted_score(
        (criterion.weight, level) for criterion, level in scored
    )
    review.passed = review.score >= rubric.pass_threshold


# Sending recordings for review


def _due_at(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(hours=settings.COACHING_TURNAROUND_HOURS)


def _check_asset(rep: User, asset: MediaAsset) -> None:
    if asset.owner_id != rep.pk or asset.kind != MediaAsset.Kind.RECORDING:
        raise CoachingRefused(gettext("Choose one of your own recordings."))
    if asset.status != MediaAsset.Status.READY or not asset.duration:
        raise CoachingRefused(
            gettext(
                "This recording is still being processed (or failed); send it once it "
                "is ready to play."
            )
        )
    if Take.objects.filter(asset=asset).exists():
        raise CoachingRefused(gettext("This recording was already sent for coaching."))


def _check_coach(rep: User, coach: User | None) -> None:
    if coach is not None:
        if (
            coach.pk == rep.pk
            or not visibility.coaches_of(rep)
            .filter(pk=coach.pk, is_active=True)
            .exists()
        ):
            raise CoachingRefused(
                gettext(
                    "%(coach)s does not coach your team; choose one of your coaches."
                )
                % {"coach": coach}
            )
    elif (
        not visibility.coaches_of(rep)
        .filter(is_active=True)
        .exclude(pk=rep.pk)
        .exists()
    ):
        raise CoachingRefused(
            gettext(
                "Nobody coaches your team yet, so there is nobody to send this to. "
                "Ask your manager."
            )
        )


@transaction.atomic
def call_review_request(
    *,
    rep: User,
    asset: MediaAsset,
    title: str,
    rubric: Rubric,
    deal_stage: str = "",
    feedback_wanted: str = "",
    coach: User | None = None,
    rep_channel: int = 0,
) -> Submission:
    """A rep asks for a review of a real call (a ready recording of theirs), with
    its context, from a coach they name or else from their team's coaches, who are
    e-mailed. Used by the "Request a review" page. Due after the turnaround target
    (settings.COACHING_TURNAROUND_HOURS). The recording's conversation analytics are
    queued, with the rep on `rep_channel` of a two-channel recording."""
    # One line: the title goes into e-mail subjects, where a line break is refused.
    title = " ".join(title.split())
    if not title:
        raise CoachingRefused(gettext("Give the call a title."))
    if len(title) > 200:
        raise CoachingRefused(gettext("Keep the title under 200 characters."))
    if deal_stage and deal_stage not in Submission.DealStage.values:
        raise CoachingRefused(gettext("Choose a deal stage from the list."))
    if len(feedback_wanted) > SUMMARY_MAX_CHARS:
        raise CoachingRefused(
            gettext("Keep what you want feedback on under %(limit)s characters.")
            % {"limit": SUMMARY_MAX_CHARS}
        )
    problems = rubric_problems(rubric)
    if problems:
        raise CoachingRefused(
            gettext("The rubric “%(rubric)s” is not usable: %(problem)s")
            % {"rubric": rubric, "problem": problems[0]}
        )
    _check_coach(rep, coach)
    # One request per recording, even when the same form is sent twice at once.
    MediaAsset.objects.select_for_update().filter(pk=asset.pk).first()
    _check_asset(rep, asset)
    now = clock.now()
    submission = Submission.objects.create(
        kind=Submission.Kind.CALL,
        rep=rep,
        title=title,
        rubric=rubric,
        deal_stage=deal_stage,
        feedback_wanted=feedback_wanted.strip(),
        requested_coach=coach,
        state=Submission.State.REQUESTED,
        created_at=now,
        requested_at=now,
        due_at=_due_at(now),
    )
    take = Take.objects.create(
        submission=submission, number=1, asset=asset, created_at=now, sent_at=now
    )
    _after_commit_notify_coaches(take)
    call_analysis_request(take=take, rep_channel=rep_channel)
    return submission


@transaction.atomic
def practice_take_add(*, rep: User, practice: PracticePage, asset: MediaAsset) -> Take:
    """Add a recording (made in the browser or uploaded) as the rep's next take of a
    practice assignment; the practice page calls it. Limits come from the page:
    at most `max_takes` takes, each at most `max_seconds` long (measured by the
    pipeline, never reported by the browser)."""
    if not practice.live:
        raise CoachingRefused(gettext("This practice is not open."))
    course = CoursePage.objects.get(pk=practice.get_parent().pk)
    locked = lock_reason(user=rep, course=course)
    if locked:
        raise CoachingRefused(locked)
    # One take at a time per rep, so numbers and limits hold under double submits.
    User.objects.select_for_update().filter(pk=rep.pk).first()
    _check_asset(rep, asset)
    assert asset.duration is not None
    if asset.duration > practice.max_seconds + TAKE_SLACK_SECONDS:
        raise CoachingRefused(
            gettext("This take is %(length)s long; the limit is %(limit)s.")
            % {
                "length": format_duration(asset.duration),
                "limit": format_duration(practice.max_seconds),
            }
        )
    submission = practice_open_submission(rep=rep, practice=practice)
    if submission is None:
        submission = Submission.objects.create(
            kind=Submission.Kind.PRACTICE,
            rep=rep,
            title=practice.title,
            practice=practice,
            rubric=practice.rubric,
            state=Submission.State.DRAFT,
        )
    if submission.outcome == Submission.Outcome.APPROVED:
        raise CoachingRefused(gettext("This practice is already approved."))
    if submission.is_pending:
        raise CoachingRefused(
            gettext("Your take is waiting for review; add another once it is reviewed.")
        )
    count = submission.takes.count()
    if count >= practice.max_takes:
        raise CoachingRefused(
            ngettext(
                "You have used the %(count)s take this practice allows.",
                "You have used all %(count)s takes of this practice.",
                practice.max_takes,
            )
            % {"count": practice.max_takes}
        )
    return Take.objects.create(submission=submission, number=count + 1, asset=asset)


def _locked_submission(take: Take) -> Submission:
    return Submission.objects.select_for_update().get(pk=take.submission_id)


@transaction.atomic
def self_review_save(*, take: Take, user: User, levels: dict[int, int]) -> Review:
    """The rep scores their own take on the rubric before sending it (criterion id
    -> level 1–5); shown beside the coach's scores. Saving again replaces it."""
    submission = _locked_submission(take)
    if user.pk != submission.rep_id:
        raise CoachingRefused(
            gettext("Only the rep who recorded a take reviews it themself.")
        )
    if take.sent_at is not None:
        raise CoachingRefused(
            gettext("This take was already sent; its self-review is final.")
        )
    review, _ = Review.objects.get_or_create(
        take=take, reviewer=user, defaults={"is_self_review": True}
    )
    _record_scores(review, submission.rubric, levels)
    review.state = Review.State.SUBMITTED
    review.submitted_at = clock.now()
    review.save()
    return review


@transaction.atomic
def take_send(*, take: Take, user: User, coach: User | None = None) -> Submission:
    """The rep sends a practice take for review, to a coach they name or else to
    their team's coaches (e-mailed); due after the turnaround target. One take
    waits for review at a time; the practice may ask for a self-review first."""
    submission = _locked_submission(take)
    take.refresh_from_db()
    if user.pk != submission.rep_id:
        raise CoachingRefused(gettext("Only the rep who recorded a take sends it."))
    if submission.kind != Submission.Kind.PRACTICE:
        raise CoachingRefused(gettext("This recording was already sent for review."))
    if take.sent_at is not None:
        raise CoachingRefused(gettext("This take was already sent."))
    if submission.outcome == Submission.Outcome.APPROVED:
        raise CoachingRefused(gettext("This practice is already approved."))
    if submission.is_pending:
        raise CoachingRefused(
            gettext("Another take of yours is already waiting for review.")
        )
    practice = submission.practice
    if practice is None:
        raise CoachingRefused(gettext("This practice no longer exists."))
    if (
        practice.self_review
        and not take.reviews.filter(reviewer=user, is_self_review=True).exists()
    ):
        raise CoachingRefused(
            gettext("Score your take on the rubric before sending it.")
        )
    _check_coach(submission.rep, coach)
    now = clock.now()
    take.sent_at = now
    take.save(update_fields=["sent_at"])
    submission.requested_coach = coach
    submission.state = Submission.State.REQUESTED
    submission.outcome = ""
    submission.requested_at = now
    submission.due_at = _due_at(now)
    submission.save(
        update_fields=["requested_coach", "state", "outcome", "requested_at", "due_at"]
    )
    _after_commit_notify_coaches(take)
    return submission


# Reviews


@transaction.atomic
def review_start(*, take: Take, coach: User) -> Review:
    """The coach opens their review of a take (the review screen calls it): their
    draft, made once however often or concurrently it is opened; the submission is
    then in review. Returns the coach's existing review when there is one."""
    submission = _locked_submission(take)
    if not can_review(coach, submission):
        raise CoachingRefused(
            gettext("You are not a coach of this rep for this request.")
        )
    existing = Review.objects.filter(take=take, reviewer=coach).first()
    if existing is not None:
        return existing
    latest = current_take(submission)
    if not submission.is_pending or latest is None or latest.pk != take.pk:
        raise CoachingRefused(gettext("This take is not waiting for review."))
    try:
        with transaction.atomic():
            review = Review.objects.create(take=take, reviewer=coach)
    except IntegrityError:
        # Only where the lock above did not serialise (it always does on
        # PostgreSQL): the other request made it.
        return Review.objects.get(take=take, reviewer=coach)
    if submission.state == Submission.State.REQUESTED:
        submission.state = Submission.State.IN_REVIEW
        submission.save(update_fields=["state"])
    return review


@transaction.atomic
def review_submit(
    *,
    review: Review,
    coach: User,
    levels: dict[int, int],
    summary: str,
    outcome: str,
) -> Review:
    """The coach scores every criterion (1–5), writes a summary and approves the take
    or asks for another. The weighted score is computed here; the submission is
    reviewed with that outcome; an approved practice completes its lesson step; the
    rep is e-mailed and `review_submitted` is sent after commit."""
    review = Review.objects.select_related("take").get(pk=review.pk)
    submission = _locked_submission(review.take)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.reviewer_id != coach.pk or review.is_self_review:
        raise CoachingRefused(gettext("This is not your review."))
    if review.state != Review.State.DRAFT:
        raise CoachingRefused(gettext("This review was already submitted."))
    if not can_review(coach, submission):
        raise CoachingRefused(
            gettext("You are not a coach of this rep for this request.")
        )
    latest = current_take(submission)
    if not submission.is_pending or latest is None or latest.pk != review.take_id:
        raise CoachingRefused(gettext("This take was already reviewed."))
    if outcome not in Submission.Outcome.values:
        raise CoachingRefused(gettext("Choose approve or resubmit."))
    summary = summary.strip()
    if len(summary) > SUMMARY_MAX_CHARS:
        raise CoachingRefused(
            gettext("Keep the summary under %(limit)s characters.")
            % {"limit": SUMMARY_MAX_CHARS}
        )
    _record_scores(review, submission.rubric, levels)
    now = clock.now()
    review.summary = summary
    review.outcome = outcome
    review.state = Review.State.SUBMITTED
    review.submitted_at = now
    review.save()
    submission.state = Submission.State.REVIEWED
    submission.outcome = outcome
    submission.save(update_fields=["state", "outcome"])
    if (
        outcome == Submission.Outcome.APPROVED
        and submission.kind == Submission.Kind.PRACTICE
        and submission.practice is not None
    ):
        lesson_complete(
            user=submission.rep,
            lesson=submission.practice,
            how=LessonCompletion.How.PRACTICE_APPROVED,
        )
    review_id = review.pk
    transaction.on_commit(lambda: _enqueue_review_notice(review_id))
    transaction.on_commit(
        lambda: review_submitted.send(
            sender=Review, review=Review.objects.get(pk=review_id)
        )
    )
    return review


# Comments


def _seconds(value: object, what: str) -> Decimal:
    refusal = CoachingRefused(
        gettext("The start time must be a number of seconds.")
        if what == "start"
        else gettext("The end time must be a number of seconds.")
    )
    try:
        if isinstance(value, bool):
            raise TypeError
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise refusal from None
    if not number.is_finite():
        raise refusal
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CoachingRefused(gettext("Write something first."))
    if len(text) > COMMENT_MAX_CHARS:
        raise CoachingRefused(
            gettext("Keep comments under %(limit)s characters.")
            % {"limit": COMMENT_MAX_CHARS}
        )
    return text


@transaction.atomic
def comment_add(
    *,
    take: Take,
    author: User,
    text: str,
    start_seconds: object = None,
    end_seconds: object = None,
    kind: str = "",
    parent: Comment | None = None,
) -> Comment:
    """A comment on the take's timeline. A coach's top-level comment is at a moment
    (or over a range) within the recording, of a kind (praise / improve /
    question), and belongs to their draft review (started here if needed): private
    until they submit it. Replies, by the rep or a routed coach, thread under the
    top-level comment (a reply to a reply joins its root) and carry no time."""
    submission = take.submission
    text = _clean_text(text)
    if parent is not None:
        return _reply_add(take=take, author=author, text=text, parent=parent)
    if not can_review(author, submission):
        raise CoachingRefused(
            gettext("Only the rep's coaches comment on the timeline.")
        )
    if kind not in Comment.Kind.values:
        raise CoachingRefused(gettext("Choose praise, improve or question."))
    if start_seconds is None:
        raise CoachingRefused(gettext("A comment needs a time on the recording."))
    asset = take.asset
    if asset is None or not asset.duration:
        raise CoachingRefused(gettext("This take's recording is gone."))
    duration = Decimal(str(asset.duration)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    start = _seconds(start_seconds, "start")
    end = None if end_seconds in (None, "") else _seconds(end_seconds, "end")
    if not 0 <= start <= duration:
        raise CoachingRefused(
            gettext("The time %(time)s is outside the recording (0:00–%(end)s).")
            % {
                "time": format_duration(float(start)),
                "end": format_duration(float(duration)),
            }
        )
    if end is not None and not start < end <= duration:
        raise CoachingRefused(
            gettext(
                "A range ends after it starts and within the recording (0:00–%(end)s)."
            )
            % {"end": format_duration(float(duration))}
        )
    review = review_start(take=take, coach=author)
    if review.state != Review.State.DRAFT:
        raise CoachingRefused(
            gettext(
                "Your review of this take is submitted; reply to a comment instead."
            )
        )
    return Comment.objects.create(
        take=take,
        review=review,
        author=author,
        kind=kind,
        start_seconds=start,
        end_seconds=end,
        text=text,
    )


def _reply_add(*, take: Take, author: User, text: str, parent: Comment) -> Comment:
    submission = take.submission
    if author.pk != submission.rep_id and not can_review(author, submission):
        raise CoachingRefused(
            gettext("Only the rep and their coaches reply to comments.")
        )
    root = parent
    if root.parent_id is not None:
        root = Comment.objects.get(pk=root.parent_id)
    if (
        parent.take_id != take.pk
        or not comments_visible_to(author, take).filter(pk=root.pk).exists()
    ):
        raise CoachingRefused(gettext("That comment is not there any more."))
    # A reply inside one's own draft stays in that draft (private with it).
    in_draft = (
        root.review is not None
        and root.review.state == Review.State.DRAFT
        and root.review.reviewer_id == author.pk
    )
    return Comment.objects.create(
        take=take,
        review=root.review if in_draft else None,
        parent=root,
        author=author,
        text=text,
    )


def _check_editable(comment: Comment, author: User) -> None:
    if comment.author_id != author.pk:
        raise CoachingRefused(gettext("You can only change your own comments."))
    if comment.review_id is None:
        return
    # Locked, so that a review submitted at the same moment keeps what it showed.
    state = (
        Review.objects.select_for_update()
        .filter(pk=comment.review_id)
        .values_list("state", flat=True)
        .get()
    )
    if state != Review.State.DRAFT:
        raise CoachingRefused(
            gettext("This review is submitted; its comments are final.")
        )


@transaction.atomic
def comment_delete(*, comment: Comment, author: User) -> None:
    """Delete one's own comment and its replies (a coach's, while their review is a
    draft)."""
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("review")
        .get(pk=comment.pk)
    )
    _check_editable(comment, author)
    if comment.replies.exclude(author=author).exists():
        raise CoachingRefused(gettext("Others have replied to this comment; it stays."))
    comment.delete()


# After commit: the notices (coaching/notices.py) go out from the worker.


def _after_commit_notify_coaches(take: Take) -> None:
    from coaching.tasks import take_notify_coaches_task

    take_id = take.pk
    transaction.on_commit(lambda: take_notify_coaches_task.delay(take_id))


def _enqueue_review_notice(review_id: int) -> None:
    from coaching.tasks import review_notify_rep_task

    review_notify_rep_task.delay(review_id)
