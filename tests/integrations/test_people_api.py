from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from courses.models import Assignment, LearningPath
from lms.accounts.services import user_move_to_team
from tests.factories import RepFactory


def _ids(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return {person["id"] for person in response.json()["results"]}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("admin", "everyone"),
        (
            "region_manager",
            ["region_manager", "east_coach", "rep_east", "rep_east2", "rep_west"],
        ),
        ("east_manager", ["east_manager", "east_coach", "rep_east", "rep_east2"]),
        ("emea_manager", ["emea_manager", "rep_north"]),
    ],
)
def test_a_token_lists_exactly_the_people_its_person_sees(org, api_as, who, sees):
    response = api_as(org[who], ["people:read"]).get("/api/v1/people/")
    expected = (
        {u.pk for u in type(org.admin).objects.all()}
        if sees == "everyone"
        else {org[name].pk for name in sees}
    )
    assert _ids(response) == expected


def test_anonymous_requests_get_a_problem_401(db, api_as):
    response = api_as(None).get("/api/v1/people/")
    assert response.status_code == 401
    body = response.json()
    assert body["title"] == "Not authenticated" and body["status"] == 401


def test_a_token_without_the_scope_gets_403(org, api_as):
    response = api_as(org.east_manager, ["learning:read"]).get("/api/v1/people/")
    assert response.status_code == 403
    assert "people:read" in response.json()["detail"]


def test_the_team_filter_never_widens_what_a_token_sees(org, api_as):
    api = api_as(org.east_manager, ["people:read"])
    assert _ids(api.get("/api/v1/people/", team=org.north.pk)) == set()
    # The region holds more people; the token still sees only East's.
    assert _ids(api.get("/api/v1/people/", team=org.americas.pk)) == {
        org.east_coach.pk,
        org.rep_east.pk,
        org.rep_east2.pk,
    }


def test_the_team_filter_takes_the_teams_below(org, api_as):
    api = api_as(org.admin, ["people:read"])
    assert _ids(api.get("/api/v1/people/", team=org.americas.pk)) == {
        org.east_coach.pk,
        org.rep_east.pk,
        org.rep_east2.pk,
        org.rep_west.pk,
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"team": "x"}, "team"),
        ({"team": "999999"}, "team"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "2026-01-01T00:00:00"}, "updated_since"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_filters_are_problems(org, api_as, params, field):
    response = api_as(org.admin, ["people:read"]).get("/api/v1/people/", **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


def test_a_person_shows_team_roles_start_date_and_onboarding(org, api_as):
    path = LearningPath.objects.create(title="First 30 days")
    Assignment.objects.create(
        user=org.rep_east,
        path=path,
        reason="onboarding",
        required_total=4,
        required_done=1,
    )
    org.rep_east.start_date = dt.date(2026, 2, 20)
    org.rep_east.save()
    body = (
        api_as(org.east_manager, ["people:read"])
        .get(f"/api/v1/people/{org.rep_east.pk}/")
        .json()
    )
    assert body["team"] == {"id": org.east.pk, "name": "East"}
    assert body["roles"] == ["rep"]
    assert body["start_date"] == "2026-02-20"
    assert body["onboarding"]["path"] == "First 30 days"
    assert body["onboarding"]["progress_percent"] == 25
    coach = (
        api_as(org.admin, ["people:read"])
        .get(f"/api/v1/people/{org.east_coach.pk}/")
        .json()
    )
    assert coach["roles"] == ["rep", "coach"]


def test_another_teams_person_is_not_found(org, api_as):
    api = api_as(org.east_manager, ["people:read"])
    assert api.get(f"/api/v1/people/{org.rep_north.pk}/").status_code == 404


def test_updated_since_lists_people_changed_since(org, api_as):
    later = timezone.now() + dt.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        user_move_to_team(user=org.rep_west, team=org.east)
    api = api_as(org.admin, ["people:read"])
    changed = api.get("/api/v1/people/", updated_since=later.isoformat())
    assert _ids(changed) == {org.rep_west.pk}


def test_pages_follow_cursors_without_gaps(org, api_as):
    api = api_as(org.admin, ["people:read"])
    seen: list[int] = []
    response = api.get("/api/v1/people/", page_size=3)
    while True:
        body = response.json()
        seen += [person["id"] for person in body["results"]]
        if not body["next"]:
            break
        response = api.client.get(body["next"], headers=api.headers)
    assert sorted(seen) == sorted(type(org.admin).objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen))


def test_the_people_list_costs_the_same_queries_for_any_page_size(
    org, api_as, django_assert_num_queries
):
    RepFactory.create_batch(30, team=org.east)
    api = api_as(org.admin, ["people:read"])
    api.get("/api/v1/people/", page_size=2)  # last_used_at written once
    with django_assert_num_queries(3) as small:
        assert len(api.get("/api/v1/people/", page_size=2).json()["results"]) == 2
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(api.get("/api/v1/people/", page_size=40).json()["results"]) == 40


def test_teams_list_the_tree_the_token_sees(org, api_as):
    body = api_as(org.region_manager, ["people:read"]).get("/api/v1/teams/").json()
    teams = {team["name"]: team for team in body["results"]}
    assert set(teams) == {"Americas", "East", "West"}
    assert teams["East"]["parent"] == org.americas.pk
    assert teams["Americas"]["parent"] is None
    assert teams["Americas"]["managers"] == [org.region_manager.pk]
    assert teams["East"]["member_count"] == 3


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"updated_since": "0241-02-10T04:16:57+21:40"}, 200),
        ({"updated_since": "0001-01-01T00:00:00+23:59"}, 400),
        ({"team": "²"}, 400),
    ],
)
def test_odd_but_parseable_filters_never_fail(org, api_as, params, status):
    response = api_as(org.admin, ["people:read"]).get("/api/v1/people/", **params)
    assert response.status_code == status
