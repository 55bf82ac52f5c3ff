"""The start page each role sees, and the navigation by role."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


EVERYONE = ["Home", "My learning", "Courses", "Library", "Recordings"]


def _nav_labels(response) -> list[str]:
    return [item["label"] for item in response.context["nav_items"]]


@pytest.mark.parametrize(
    ("viewer", "labels"),
    [
        ("rep_east", [*EVERYONE, "My coaching", "Certificates"]),
        ("east_coach", [*EVERYONE, "My coaching", "Coaching", "Certificates"]),
        ("multi_coach", [*EVERYONE, "Coaching", "Certificates"]),
        ("east_manager", [*EVERYONE, "My team", "Certificates", "Integrations"]),
        ("admin", [*EVERYONE, "My team", "Certificates", "Integrations", "Admin"]),
    ],
)
def test_it_shows_navigation_by_role(client, org, viewer, labels):
    client.force_login(org[viewer])
    assert _nav_labels(client.get("/")) == labels


def test_it_tells_a_rep_who_coaches_and_manages_them(client, org):
    client.force_login(org.rep_east)
    page = client.get("/").content.decode()
    assert "Day 11" in page
    assert org.east_coach.full_name in page
    assert org.east_manager.full_name in page
    assert org.region_manager.full_name in page


def test_it_shows_a_manager_the_teams_they_lead(client, org):
    client.force_login(org.region_manager)
    start = client.get("/").context["start"]
    assert [team.name for team in start.managed_teams] == ["Americas", "East", "West"]
    assert start.people_count == 4


def test_it_shows_a_coach_their_teams(client, org):
    client.force_login(org.multi_coach)
    start = client.get("/").context["start"]
    assert {team.name for team in start.coached_teams} == {"West", "North"}


def test_it_renders_the_start_page_in_few_queries(
    client, org, django_assert_max_num_queries
):
    client.force_login(org.region_manager)
    with django_assert_max_num_queries(13):
        client.get("/")


def test_it_shows_only_the_welcome_when_no_layer_registered_a_start_page(
    client, org, monkeypatch
):
    from lms import start_page

    monkeypatch.setattr(start_page, "_registered", [])
    client.force_login(org.rep_east)
    response = client.get("/")

    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "lms/home_page.html"
    assert "Welcome, Rae" in response.content.decode()
