from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from coaching import services
from coaching.models import Submission
from coaching.permissions import (
    can_review,
    can_see_submission,
    routed_coaches,
    submissions_visible_to,
)

SEES_EAST_REQUEST = {
    "rep_east": True,
    "east_coach": True,
    "east_manager": True,
    "region_manager": True,
    "admin": True,
    "rep_east2": False,
    "rep_west": False,
    "multi_coach": False,
    "emea_manager": False,
    "loner": False,
}


@pytest.mark.parametrize(("person", "sees"), SEES_EAST_REQUEST.items())
def test_it_shows_a_request_to_the_rep_coaches_managers_and_admins_only(
    org, submissions, person, sees
):
    submission = submissions.requested()
    viewer = org[person]
    assert can_see_submission(viewer, submission) is sees
    assert (submission in submissions_visible_to(viewer)) is sees


def test_it_hides_everything_from_anonymous_and_deactivated_people(org, submissions):
    submission = submissions.requested()
    assert not submissions_visible_to(AnonymousUser()).exists()
    assert not can_review(AnonymousUser(), submission)
    org.east_coach.is_active = False
    org.east_coach.save()
    assert not submissions_visible_to(org.east_coach).exists()


def test_it_routes_to_the_team_coaches_and_those_of_teams_above(org, submissions):
    from tests.factories import make_coach

    region_coach = make_coach(org.americas, full_name="Regina Region")
    submission = submissions.requested()
    assert set(routed_coaches(submission)) == {org.east_coach, region_coach}
    assert can_review(region_coach, submission)
    assert can_see_submission(region_coach, submission)


def test_it_routes_to_the_named_coach_only(org, submissions):
    from tests.factories import make_coach

    region_coach = make_coach(org.americas, full_name="Regina Region")
    submission = submissions.requested(coach=region_coach)
    assert list(routed_coaches(submission)) == [region_coach]
    assert can_review(region_coach, submission)
    assert not can_review(org.east_coach, submission)
    assert not can_see_submission(org.east_coach, submission)
    assert can_see_submission(org.east_manager, submission)


def test_it_drops_a_named_coach_who_no_longer_coaches_the_rep(org, submissions):
    from tests.factories import make_coach

    region_coach = make_coach(org.americas, full_name="Regina Region")
    submission = submissions.requested(coach=region_coach)
    org.americas.coaches.remove(region_coach)
    assert not routed_coaches(submission).exists()
    assert not can_see_submission(region_coach, submission)
    assert not can_review(region_coach, submission)


def test_it_lets_only_routed_coaches_review(org, submissions):
    submission = submissions.requested()
    reviewers = {
        name for name in SEES_EAST_REQUEST if can_review(org[name], submission)
    }
    assert reviewers == {"east_coach"}


def test_it_never_routes_a_request_to_its_own_rep(org, rubric, recording):
    # A member of East who also coaches East asks for coaching.
    org.east.coaches.add(org.rep_east2)
    own = services.call_review_request(
        rep=org.rep_east2, asset=recording(org.rep_east2), title="Mine", rubric=rubric
    )
    assert list(routed_coaches(own)) == [org.east_coach]
    assert not can_review(org.rep_east2, own)


def test_it_keeps_practice_drafts_from_coaches(org, practice_take):
    submission = practice_take.submission
    assert submission.state == Submission.State.DRAFT
    assert can_see_submission(org.rep_east, submission)
    assert can_see_submission(org.east_manager, submission)
    assert not can_see_submission(org.east_coach, submission)
    assert not can_review(org.east_coach, submission)


def test_it_follows_a_rep_who_moves_team(org, submissions):
    submission = submissions.requested()
    org.rep_east.team = org.north
    org.rep_east.save()
    assert can_see_submission(org.multi_coach, submission)
    assert can_see_submission(org.emea_manager, submission)
    assert not can_see_submission(org.east_coach, submission)
    assert not can_see_submission(org.east_manager, submission)


def test_it_lists_visible_submissions_in_a_fixed_number_of_queries(
    org, submissions, django_assert_max_num_queries
):
    for title in ("A", "B", "C"):
        submissions.requested(title=title)
    with django_assert_max_num_queries(4):
        assert len(list(submissions_visible_to(org.east_coach))) == 3
