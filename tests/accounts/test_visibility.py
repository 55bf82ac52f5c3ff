"""The visibility rules, as a table: who may see whom."""

from __future__ import annotations

import pytest

from lms.accounts import visibility
from lms.accounts.services import user_move_to_team

PEOPLE = [
    "admin",
    "region_manager",
    "east_manager",
    "emea_manager",
    "east_coach",
    "multi_coach",
    "rep_east",
    "rep_east2",
    "rep_west",
    "rep_north",
    "loner",
]

# viewer -> the people (besides themself) they see
SEES = {
    "admin": set(PEOPLE),
    "region_manager": {"east_coach", "rep_east", "rep_east2", "rep_west"},
    "east_manager": {"east_coach", "rep_east", "rep_east2"},
    "emea_manager": {"rep_north"},
    "east_coach": {"rep_east", "rep_east2"},
    "multi_coach": {"rep_west", "rep_north"},
    "rep_east": set(),
    "rep_east2": set(),
    "rep_west": set(),
    "rep_north": set(),
    "loner": set(),
}

CASES = [
    (viewer, subject, subject == viewer or subject in SEES[viewer])
    for viewer in PEOPLE
    for subject in PEOPLE
]


@pytest.mark.parametrize(("viewer", "subject", "expected"), CASES)
def test_it_applies_the_rule_for(org, viewer, subject, expected):
    assert visibility.can_see_user(org[viewer], org[subject]) is expected


@pytest.mark.parametrize("viewer", PEOPLE)
def test_it_lists_exactly_the_people_a_viewer_sees(org, viewer):
    expected = {org[name].pk for name in SEES[viewer] | {viewer}}
    assert (
        set(visibility.visible_users(org[viewer]).values_list("pk", flat=True))
        == expected
    )


def test_it_moves_visibility_with_a_team_move(org):
    assert visibility.can_see_user(org.east_manager, org.rep_east)
    assert not visibility.can_see_user(org.emea_manager, org.rep_east)

    user_move_to_team(user=org.rep_east, team=org.north)

    assert not visibility.can_see_user(org.east_manager, org.rep_east)
    assert not visibility.can_see_user(org.east_coach, org.rep_east)
    assert visibility.can_see_user(org.emea_manager, org.rep_east)
    assert visibility.can_see_user(org.multi_coach, org.rep_east)


def test_it_gives_a_new_manager_their_subtree_at_once(org):
    org.north.managers.add(org.loner)
    assert visibility.can_see_user(org.loner, org.rep_north)
    assert not visibility.can_see_user(org.loner, org.rep_east)


def test_it_names_the_coaches_and_managers_of_a_rep(org):
    assert set(visibility.coaches_of(org.rep_north)) == {org.multi_coach}
    assert set(visibility.managers_of(org.rep_east)) == {
        org.east_manager,
        org.region_manager,
    }


def test_it_lists_managed_teams_with_their_subtrees(org):
    assert set(visibility.managed_teams(org.region_manager)) == {
        org.americas,
        org.east,
        org.west,
    }
    assert set(visibility.managed_teams(org.east_manager)) == {org.east}
    assert set(visibility.managed_teams(org.rep_east)) == set()


def test_it_costs_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    viewer = org.region_manager
    viewer.roles  # noqa: B018 - warm the per-request role cache
    with django_assert_max_num_queries(2):
        list(visibility.visible_users(viewer))


def test_it_shows_nothing_to_anonymous_visitors(org):
    from django.contrib.auth.models import AnonymousUser

    assert list(visibility.visible_users(AnonymousUser())) == []
    assert not visibility.can_see_user(AnonymousUser(), org.rep_east)
