"""Who may play a recording used in coaching: a coach only while a request for it
routes to them; a practice draft never reaches a coach."""

from __future__ import annotations

import pytest

from coaching import services
from tests.factories import levels_for, make_coach

pytestmark = pytest.mark.django_db


def _plays(client, user, asset) -> bool:
    client.force_login(user)
    statuses = {
        client.get(url).status_code
        for url in (
            asset.playback_url,
            asset.poster_url,
            asset.status_url,
            asset.get_absolute_url(),
        )
    }
    assert len(statuses) == 1, statuses  # the same answer from every view
    return statuses == {200}


@pytest.fixture
def named_coach(org):
    """A second coach of East, whom Rae names for her request."""
    return make_coach(org.east, full_name="Nico Named")


@pytest.fixture
def sent_to_named_coach(submissions, org, named_coach):
    return submissions.requested(coach=named_coach).takes.get().asset


@pytest.mark.parametrize(
    ("viewer", "plays"),
    [
        ("rep_east", True),  # the owner
        ("named_coach", True),  # the coach the request routes to
        ("east_coach", False),  # coaches Rae's team, but the request names another
        ("multi_coach", False),  # another team's coach
        ("rep_east2", False),  # another rep of the team
        ("east_manager", True),  # the rep's manager
        ("region_manager", True),  # the manager of the region above
        ("emea_manager", False),  # another team's manager
        ("admin", True),
        ("loner", False),
    ],
)
def test_it_plays_a_request_only_for_the_coach_it_routes_to(
    client, org, named_coach, sent_to_named_coach, viewer, plays
):
    user = named_coach if viewer == "named_coach" else org[viewer]
    assert _plays(client, user, sent_to_named_coach) is plays


def test_it_answers_anonymous_visitors_with_404(client, sent_to_named_coach):
    assert client.get(sent_to_named_coach.playback_url).status_code == 404


def test_it_plays_a_team_request_for_every_coach_of_the_team(
    client, org, submissions, named_coach
):
    asset = submissions.requested().takes.get().asset
    assert _plays(client, org.east_coach, asset)
    assert _plays(client, named_coach, asset)
    assert not _plays(client, org.multi_coach, asset)


def test_it_keeps_a_coach_from_recordings_never_sent(client, org, recording):
    asset = recording(org.rep_east)
    assert not _plays(client, org.east_coach, asset)
    assert _plays(client, org.east_manager, asset)


def test_it_ends_a_coachs_access_when_the_request_goes(client, org, submissions):
    submission = submissions.requested()
    asset = submission.takes.get().asset
    assert _plays(client, org.east_coach, asset)
    submission.delete()
    assert not _plays(client, org.east_coach, asset)


def test_it_ends_a_coachs_access_when_they_stop_coaching_the_team(
    client, org, submissions
):
    asset = submissions.requested().takes.get().asset
    org.east.coaches.remove(org.east_coach)
    assert not _plays(client, org.east_coach, asset)


def test_it_keeps_practice_drafts_from_coaches(client, org, practice_take):
    asset = practice_take.asset
    assert not _plays(client, org.east_coach, asset)
    assert _plays(client, org.rep_east, asset)
    assert _plays(client, org.east_manager, asset)
    assert _plays(client, org.admin, asset)
    assert not _plays(client, org.rep_east2, asset)


def test_it_plays_a_practice_take_once_sent(client, org, practice_take, rubric):
    services.self_review_save(
        take=practice_take, user=org.rep_east, levels=levels_for(rubric, 3, 3, 4, 4)
    )
    services.take_send(take=practice_take, user=org.rep_east)
    assert _plays(client, org.east_coach, practice_take.asset)
