"""Who may see and review coaching submissions.

A submission is seen by the rep who sent it, the coaches it is routed to (the coach
the rep named, otherwise every coach of the rep's team or of a team above it; a named
coach only while they still coach the rep's team or a team above it), the
rep's managers (of their team or a team above it) and enablement admins. Nobody else:
not a coach of another team, not another rep, not a manager elsewhere in the tree.
Coaches see a practice submission only once a take has been sent (a draft is the
rep's own). Rules are read from the current team relations on every call.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from coaching.models import Submission, Take
from lms.accounts import visibility
from lms.accounts.models import User
from media.models import MediaAsset


def routed_coaches(submission: Submission) -> QuerySet[User]:
    """The coaches a submission is routed to: the coach the rep named (while they
    still coach the rep), otherwise the coaches of the rep's team (and of the teams
    above it). Never the rep."""
    coaches = visibility.coaches_of(submission.rep)
    if submission.requested_coach_id is not None:
        coaches = coaches.filter(pk=submission.requested_coach_id)
    return coaches.filter(is_active=True).exclude(pk=submission.rep_id)


def coaches_to_choose(rep: User) -> QuerySet[User]:
    """The coaches a rep may name for a request: active coaches of their team or of
    a team above it, never the rep."""
    return visibility.coaches_of(rep).filter(is_active=True).exclude(pk=rep.pk)


def submissions_visible_to(user: User) -> QuerySet[Submission]:
    """Every submission the user may open (queue, review screen, exports)."""
    if not user.is_authenticated or not user.is_active:
        return Submission.objects.none()
    if user.is_enablement_admin:
        return Submission.objects.all()
    as_coach = (
        Q(rep__team__in=visibility.coached_teams(user))
        & (Q(requested_coach=user) | Q(requested_coach__isnull=True))
        & ~Q(state=Submission.State.DRAFT)
    )
    as_manager = Q(rep__team__in=visibility.managed_teams(user))
    return Submission.objects.filter(Q(rep=user) | as_coach | as_manager)


def can_see_submission(user: User, submission: Submission) -> bool:
    """Whether the user may open this submission (views answer 404 otherwise)."""
    return submissions_visible_to(user).filter(pk=submission.pk).exists()


def can_review(user: User, submission: Submission) -> bool:
    """Whether the user is one of the coaches this submission is routed to, so may
    open a review, comment and score it when its state allows. Managers and
    admins see submissions but do not review them unless they are routed coaches."""
    if not user.is_authenticated or not user.is_active or user.pk == submission.rep_id:
        return False
    if submission.state == Submission.State.DRAFT:
        return False
    return routed_coaches(submission).filter(pk=user.pk).exists()


def take_recording_grant(viewer: User, asset: MediaAsset) -> bool:
    """The recording grant coaching gives (media.permissions): a recording plays for
    whoever may open a sent take that holds it, so for a coach only while the
    request routes to them (the named coach, or the team's coaches when none is
    named), never for a practice draft. Registered in CoachingConfig.ready()."""
    return Take.objects.filter(
        asset=asset,
        sent_at__isnull=False,
        submission__in=submissions_visible_to(viewer),
    ).exists()
