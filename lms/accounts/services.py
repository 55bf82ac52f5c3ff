"""Writes to people and teams: one door for each change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.accounts import visibility
from lms.accounts.models import (
    INVITATION_SALT,
    Invitation,
    Team,
    User,
    new_invitation_nonce,
)
from lms.accounts.signals import user_team_changed
from lms.lib.digits import localize_digits_for


class InvitationError(Exception):
    """An invitation that cannot be made or used; the message is for the user."""


@dataclass(frozen=True)
class InvitationRequest:
    email: str
    full_name: str
    team: Team
    role: str
    start_date: dt.date | None


def can_invite_to(inviter: User, team: Team) -> bool:
    """Admins invite into any team; managers into the teams they manage."""
    return visibility.can_manage_team(inviter, team)


@transaction.atomic
def invitation_create(*, invited_by: User, request: InvitationRequest) -> Invitation:
    """Record an invitation and e-mail it once the transaction commits."""
    email = request.email.strip().lower()
    if not can_invite_to(invited_by, request.team):
        raise InvitationError(_("You can only invite people into teams you manage."))
    if User.objects.filter(email__iexact=email).exists():
        raise InvitationError(_("%(email)s already has an account.") % {"email": email})
    earlier = (
        Invitation.objects.select_for_update()
        .filter(email=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if earlier is not None and not earlier.is_expired:
        raise InvitationError(
            f"{email} has already been invited; resend that invitation instead."
        )
    if earlier is not None:  # an expired link: this invitation replaces it
        earlier.revoked_at = timezone.now()
        earlier.save(update_fields=["revoked_at"])
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                email=email,
                full_name=request.full_name.strip(),
                team=request.team,
                role=request.role,
                start_date=request.start_date,
                invited_by=invited_by,
            )
    except IntegrityError:  # the same address, invited a moment ago by someone else
        raise InvitationError(
            f"{email} has already been invited; resend that invitation instead."
        ) from None
    _send_after_commit(invitation)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Send a fresh link, valid from now; the previous one stops working."""
    locked = _lock_pending(invitation)
    locked.nonce = new_invitation_nonce()
    locked.send_requested_at = timezone.now()
    locked.sent_at = None
    locked.save(update_fields=["nonce", "send_requested_at", "sent_at"])
    _send_after_commit(locked)
    return locked


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    locked = _lock_pending(invitation)
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    return locked


def _lock_pending(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at:
        raise InvitationError(_("This invitation has already been accepted."))
    if locked.revoked_at:
        raise InvitationError(_("This invitation has already been withdrawn."))
    return locked


def invitation_send(*, invitation_id: int) -> bool:
    """E-mail a pending invitation whose current link has not been sent yet.

    Runs in a worker; no lock is held while the mail server answers. Should two
    workers run it at once, the person may get the same link twice, never a stale one.
    """
    invitation = (
        Invitation.objects.select_related("team", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending or invitation.sent_at:
        return False
    context = {
        "invitation": invitation,
        "organisation": settings.ORGANISATION_NAME,
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    # The invited person has no language yet: the inviter's, who knows them.
    language = invitation.invited_by.preferred_language
    with translation.override(language):
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        message = render_to_string("accounts/email/invitation_message.txt", context)
        send_mail(
            subject=localize_digits_for(language, text=subject.strip()),
            message=localize_digits_for(language, text=message),
            from_email=None,
            recipient_list=[invitation.email],
        )
    Invitation.objects.filter(
        pk=invitation.pk, nonce=invitation.nonce, sent_at__isnull=True
    ).update(sent_at=timezone.now())
    return True


def invitations_send_stuck(*, older_than: dt.timedelta) -> int:
    """Enqueue again the pending invitations whose e-mail never went out (a worker
    or broker was down). Gives up on links that have expired meanwhile."""
    now = timezone.now()
    stuck = Invitation.objects.filter(
        sent_at__isnull=True,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        send_requested_at__lt=now - older_than,
        send_requested_at__gt=now - dt.timedelta(days=settings.INVITATION_VALID_DAYS),
    ).values_list("pk", flat=True)
    from lms.accounts.tasks import invitation_send_task

    count = 0
    for invitation_id in stuck:
        invitation_send_task.delay(invitation_id)
        count += 1
    return count


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation a link points to, or InvitationError saying why not."""
    try:
        data = signing.Signer(salt=INVITATION_SALT).unsign_object(token)
    except signing.BadSignature:
        raise InvitationError(_("This invitation link is not valid.")) from None
    invitation = Invitation.objects.filter(pk=data.get("id")).first()
    if invitation is None or invitation.nonce != data.get("nonce"):
        raise InvitationError(
            _(
                "This invitation link has been replaced by a newer one. Use the "
                "latest e-mail, or ask for the invitation to be resent."
            )
        )
    if invitation.accepted_at:
        raise InvitationError(_("This invitation has already been accepted: sign in."))
    if invitation.revoked_at:
        raise InvitationError(_("This invitation has been withdrawn."))
    if invitation.is_expired:
        raise InvitationError(
            _(
                "This invitation has expired. Ask the person who invited you to "
                "resend it."
            )
        )
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, full_name: str, password: str, time_zone: str = "UTC"
) -> User:
    """Create the invited person's account with their own password."""
    invitation = invitation_from_token(token)
    Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation = invitation_from_token(
        token
    )  # again, now that nobody else can change it
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError(
            _("%(email)s already has an account: sign in.")
            % {"email": invitation.email}
        )
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                invitation.email,
                password,
                full_name=full_name.strip() or invitation.full_name,
                start_date=invitation.start_date,
                time_zone=time_zone,
            )
    except IntegrityError:  # an account for this address appeared a moment ago
        raise InvitationError(
            f"{invitation.email} already has an account: sign in."
        ) from None
    # The link arrived by e-mail, so the address is proven.
    EmailAddress.objects.create(
        user=user, email=user.email, primary=True, verified=True
    )
    if invitation.role == Invitation.Role.REP:
        user_move_to_team(user=user, team=invitation.team)
    elif invitation.role == Invitation.Role.COACH:
        invitation.team.coaches.add(user)
    else:
        invitation.team.managers.add(user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user


@transaction.atomic
def user_move_to_team(*, user: User, team: Team | None) -> User:
    """Put a user in a team (or none). Who sees them changes at once."""
    previous = user.team
    if previous == team:
        return user
    user.team = team
    user.save(update_fields=["team"])
    user.__dict__.pop("roles", None)
    transaction.on_commit(
        lambda: user_team_changed.send(
            sender=User, user=user, previous_team=previous, team=team
        )
    )
    return user


def _send_after_commit(invitation: Invitation) -> None:
    from lms.accounts.tasks import invitation_send_task

    invitation_id = invitation.pk
    # robust: a broker that is down must not fail the request; the sweeper retries.
    transaction.on_commit(
        lambda: invitation_send_task.delay(invitation_id), robust=True
    )
