"""Moving people between teams: the service, its event, and the operators' admin."""

from __future__ import annotations

import pytest

from lms.accounts.services import user_move_to_team
from lms.accounts.signals import user_team_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def moves():
    heard = []

    def receiver(sender, user, previous_team, team, **kwargs):
        heard.append((user, previous_team, team))

    user_team_changed.connect(receiver)
    yield heard
    user_team_changed.disconnect(receiver)


def test_it_announces_a_move_after_commit(
    org, moves, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_move_to_team(user=org.rep_east, team=org.west)
    assert moves == [(org.rep_east, org.east, org.west)]


def test_it_announces_nothing_when_the_team_is_unchanged(
    org, moves, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_move_to_team(user=org.rep_east, team=org.east)
    assert moves == []


def test_it_routes_a_team_change_in_the_django_admin_through_the_service(
    client, org, moves, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    rep = org.rep_east
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/django-admin/accounts/user/{rep.pk}/change/",
            {
                "email": rep.email,
                "full_name": rep.full_name,
                "start_date": rep.start_date.isoformat(),
                "time_zone": "UTC",
                "team": org.north.pk,
                "is_active": "on",
                "date_joined_0": "2026-01-01",
                "date_joined_1": "09:00:00",
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    rep.refresh_from_db()
    assert rep.team == org.north
    assert moves == [(rep, org.east, org.north)]
