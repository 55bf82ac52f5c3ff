"""Invitations: who may invite whom, the e-mailed link, accepting, resending."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lms.accounts import services
from lms.accounts.models import Invitation, User
from lms.accounts.services import InvitationError, InvitationRequest
from lms.accounts.tasks import invitations_send_stuck_task
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def _invite(inviter, team, email="new.rep@example.com", role=Invitation.Role.REP):
    return services.invitation_create(
        invited_by=inviter,
        request=InvitationRequest(
            email=email, full_name="New Rep", team=team, role=role, start_date=None
        ),
    )


def _link_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_it_emails_the_invitation_after_commit(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(org.east_manager, org.east)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.rep@example.com"]
    assert "Ed East invited you" in mail.outbox[0].subject
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_it_sends_each_invitation_once(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(org.east_manager, org.east)
    assert services.invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def test_it_lets_a_manager_invite_only_into_their_subtree(org):
    _invite(org.region_manager, org.west)
    with pytest.raises(InvitationError):
        _invite(org.east_manager, org.west, email="other@example.com")
    with pytest.raises(InvitationError):
        _invite(org.rep_east, org.east, email="third@example.com")


def test_it_refuses_an_address_that_already_has_an_account(org):
    with pytest.raises(InvitationError, match="already has an account"):
        _invite(org.admin, org.east, email=org.rep_west.email.upper())


def test_it_refuses_a_second_pending_invitation_for_one_address(org):
    _invite(org.admin, org.east)
    with pytest.raises(InvitationError, match="already been invited"):
        _invite(org.admin, org.west)
    assert Invitation.objects.count() == 1


def test_it_creates_the_account_when_the_invitation_is_accepted(
    client, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(org.east_manager, org.east)
    path = _link_path(mail.outbox[0])

    page = client.get(path)
    assert page.status_code == 200
    assert "new.rep@example.com" in page.content.decode()

    response = client.post(
        path,
        {
            "time_zone": "Europe/Lisbon",
            "full_name": "Nia New",
            "password1": "sunny meadow 42",
            "password2": "sunny meadow 42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.rep@example.com")
    assert user.full_name == "Nia New"
    assert user.team == org.east
    assert user.time_zone == "Europe/Lisbon"
    assert user.check_password("sunny meadow 42")
    assert user.emailaddress_set.get().verified
    assert int(client.session["_auth_user_id"]) == user.pk

    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "already been accepted" in again.content.decode()


def test_it_makes_an_invited_coach_a_coach_of_the_team(
    client, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(
            org.admin, org.west, email="coach@example.com", role=Invitation.Role.COACH
        )
    client.post(
        _link_path(mail.outbox[0]),
        {
            "full_name": "Cal Coach",
            "time_zone": "UTC",
            "password1": "sunny meadow 42",
            "password2": "sunny meadow 42",
        },
    )
    coach = User.objects.get(email="coach@example.com")
    assert coach.team is None
    assert org.west in coach.coached_teams.all()


def test_it_rejects_mismatched_or_weak_passwords_and_creates_nothing(
    client, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(org.east_manager, org.east)
    path = _link_path(mail.outbox[0])
    form = {"full_name": "N", "time_zone": "UTC"}
    mismatch = client.post(
        path, {**form, "password1": "sunny meadow 42", "password2": "other meadow 42"}
    )
    weak = client.post(path, {**form, "password1": "12345678", "password2": "12345678"})
    assert "differ" in mismatch.content.decode()
    assert weak.context["form"].errors["password1"]
    assert not User.objects.filter(email="new.rep@example.com").exists()


def test_it_invalidates_the_old_link_when_resent(
    client, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(org.east_manager, org.east)
    old_path = _link_path(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation)
    new_path = _link_path(mail.outbox[1])
    assert old_path != new_path
    assert client.get(old_path).status_code == 410
    assert client.get(new_path).status_code == 200


def test_it_refuses_expired_and_tampered_links(
    client, org, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(org.east_manager, org.east)
    path = _link_path(mail.outbox[0])
    assert client.get(path[:-3] + "xx/").status_code == 410
    settings.INVITATION_VALID_DAYS = 0
    response = client.get(path)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_it_refuses_a_withdrawn_invitation(
    client, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(org.east_manager, org.east)
    services.invitation_revoke(invitation=invitation)
    assert "withdrawn" in client.get(_link_path(mail.outbox[0])).content.decode()


def test_it_invites_through_the_form(client, org, django_capture_on_commit_callbacks):
    client.force_login(org.east_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitation_new"),
            {
                "email": "form@example.com",
                "full_name": "Fay Form",
                "team": org.east.pk,
                "role": "rep",
                "start_date": "2026-12-01",
                "next": "/team/?status=overdue",
            },
        )
    assert response.status_code == 302
    assert response.url == "/team/?status=overdue"
    invitation = Invitation.objects.get(email="form@example.com")
    assert str(invitation.start_date) == "2026-12-01"
    assert invitation.invited_by == org.east_manager
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "next_url", ["", "https://evil.example/team/", "//evil.example/", "javascript:x"]
)
def test_it_returns_to_the_start_page_without_a_safe_next_address(
    client, org, next_url
):
    client.force_login(org.east_manager)
    response = client.post(
        reverse("invitation_new"),
        {
            "email": "next@example.com",
            "full_name": "Nat Next",
            "team": org.east.pk,
            "role": "rep",
            "next": next_url,
        },
    )
    assert response.status_code == 302
    assert response.url == "/"


def test_it_offers_a_cancel_link_back_to_where_the_form_was_opened(client, org):
    client.force_login(org.east_manager)
    page = client.get(reverse("invitation_new"), {"next": "/team/?team=3"})
    assert 'href="/team/?team=3">Cancel' in page.content.decode()


def test_it_offers_a_manager_only_the_teams_they_manage(client, org):
    client.force_login(org.east_manager)
    response = client.post(
        reverse("invitation_new"),
        {
            "email": "x@example.com",
            "full_name": "X",
            "team": org.north.pk,
            "role": "rep",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["team"]
    assert not Invitation.objects.exists()


def test_it_sends_again_an_invitation_whose_email_never_went_out(org):
    stuck = InvitationFactory(team=org.east, invited_by=org.east_manager)
    fresh = InvitationFactory(team=org.east, invited_by=org.east_manager)
    expired = InvitationFactory(team=org.east, invited_by=org.east_manager)
    Invitation.objects.filter(pk=stuck.pk).update(
        send_requested_at=timezone.now() - dt.timedelta(minutes=11)
    )
    Invitation.objects.filter(pk=expired.pk).update(
        send_requested_at=timezone.now() - dt.timedelta(days=15)
    )

    assert invitations_send_stuck_task.delay().get() == 1

    assert [message.to for message in mail.outbox] == [[stuck.email]]
    fresh.refresh_from_db()
    assert fresh.sent_at is None


def test_it_writes_names_into_plain_text_emails_unescaped(
    org, django_capture_on_commit_callbacks
):
    org.east_manager.full_name = "Dan O'Kafor & Co"
    org.east_manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            invited_by=org.east_manager,
            request=InvitationRequest(
                email="zoe@example.com",
                full_name="Zoë <Z>",
                team=org.east,
                role="rep",
                start_date=None,
            ),
        )
    (message,) = mail.outbox
    assert message.subject == "Dan O'Kafor & Co invited you to Onramp"
    assert message.body.startswith("Hello Zoë <Z>,")


def test_it_refuses_line_breaks_in_names(client, org):
    client.force_login(org.rep_east)
    response = client.post(
        reverse("profile"),
        {"full_name": "Rae\r\nBcc: x@example.com", "time_zone": "UTC"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"]


def test_it_replaces_an_expired_pending_invitation(
    org, django_capture_on_commit_callbacks
):
    old = _invite(org.east_manager, org.east)
    Invitation.objects.filter(pk=old.pk).update(
        send_requested_at=timezone.now() - dt.timedelta(days=15)
    )
    new = _invite(org.east_manager, org.east)
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert new.is_pending


def test_it_refuses_to_accept_when_the_address_already_has_an_account(
    client, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(org.east_manager, org.east)
    from tests.factories import UserFactory

    UserFactory(email="new.rep@example.com")
    response = client.post(
        _link_path(mail.outbox[0]),
        {
            "full_name": "N",
            "time_zone": "UTC",
            "password1": "sunny meadow 42",
            "password2": "sunny meadow 42",
        },
    )
    assert "already has an account" in response.content.decode()
    assert User.objects.filter(email="new.rep@example.com").count() == 1


def test_it_never_lets_an_accepted_invitation_be_withdrawn(
    client, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(org.east_manager, org.east)
    client.post(
        _link_path(mail.outbox[0]),
        {
            "full_name": "N",
            "time_zone": "UTC",
            "password1": "sunny meadow 42",
            "password2": "sunny meadow 42",
        },
    )
    with pytest.raises(InvitationError, match="already been accepted"):
        services.invitation_revoke(invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
