"""Every page in accounts, for every kind of visitor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db

# Who looks at rep_east's profile, and what they get.
PROFILE_CASES = [
    ("self", "rep_east", 200),
    ("other rep", "rep_east2", 404),
    ("own coach", "east_coach", 200),
    ("own manager", "east_manager", 200),
    ("manager above", "region_manager", 200),
    ("other team's manager", "emea_manager", 404),
    ("other team's coach", "multi_coach", 404),
    ("admin", "admin", 200),
]


def test_it_sends_anonymous_visitors_to_sign_in(client, org):
    for url in [
        "/",
        reverse("person_detail", args=[org.rep_east.pk]),
        reverse("team_overview"),
        reverse("invitation_new"),
        reverse("profile"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize(("who", "viewer", "status"), PROFILE_CASES)
def test_it_shows_a_profile_only_to_those_who_may_see_it(
    client, org, who, viewer, status
):
    client.force_login(org[viewer])
    response = client.get(reverse("person_detail", args=[org.rep_east.pk]))
    assert response.status_code == status, who
    if status == 200:
        assert org.rep_east.email in response.content.decode()


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("rep_east", 403), ("east_coach", 403), ("east_manager", 200), ("admin", 200)],
)
def test_it_opens_my_team_to_managers_and_admins_only(client, org, viewer, status):
    client.force_login(org[viewer])
    assert client.get(reverse("team_overview")).status_code == status
    assert client.get(reverse("invitation_new")).status_code == status


def test_it_lists_only_the_managers_own_subtree(client, org):
    client.force_login(org.east_manager)
    page = client.get(reverse("team_overview")).content.decode()
    assert org.rep_east.full_name in page
    assert org.rep_west.full_name not in page
    assert org.rep_north.full_name not in page


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("rep_east", 403),
        ("east_manager", 302),
        ("region_manager", 302),
        ("emea_manager", 404),
        ("admin", 302),
    ],
)
@pytest.mark.parametrize("action", ["invitation_resend", "invitation_revoke"])
def test_it_lets_only_the_teams_managers_act_on_an_invitation(
    client, org, viewer, status, action
):
    invitation = InvitationFactory(team=org.east, invited_by=org.east_manager)
    client.force_login(org[viewer])
    assert client.post(reverse(action, args=[invitation.pk])).status_code == status
    invitation.refresh_from_db()
    assert (invitation.revoked_at is not None) == (
        action == "invitation_revoke" and status == 302
    )


def test_it_refuses_invitation_actions_by_get(client, org):
    invitation = InvitationFactory(team=org.east, invited_by=org.east_manager)
    client.force_login(org.east_manager)
    assert (
        client.get(reverse("invitation_revoke", args=[invitation.pk])).status_code
        == 405
    )


def test_it_saves_the_profile_and_rejects_unknown_time_zones(client, org):
    client.force_login(org.rep_east)
    bad = client.post(
        reverse("profile"), {"full_name": "Rae E.", "time_zone": "Mars/Base"}
    )
    assert bad.status_code == 200
    org.rep_east.refresh_from_db()
    assert org.rep_east.full_name == "Rae East"

    good = client.post(
        reverse("profile"), {"full_name": "Rae E.", "time_zone": "Europe/Lisbon"}
    )
    assert good.status_code == 302
    org.rep_east.refresh_from_db()
    assert (org.rep_east.full_name, org.rep_east.time_zone) == (
        "Rae E.",
        "Europe/Lisbon",
    )


def test_it_shows_an_invitation_page_to_a_signed_in_person_without_using_it(
    client, org
):
    invitation = InvitationFactory(team=org.east, invited_by=org.east_manager)
    client.force_login(org.rep_west)
    page = client.get(reverse("invitation_accept", args=[invitation.token]))
    assert "already signed in" in page.content.decode()


def test_it_serves_friendly_error_pages(client, org):
    client.force_login(org.rep_east)
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert "could not find that page" in not_found.content.decode()
    forbidden = client.get(reverse("team_overview"))
    assert "do not have access" in forbidden.content.decode()
