from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.lib import person_cache
from tests.dashboards import history
from tests.factories import RepFactory


def _grow_team(org, onboarding, count: int) -> None:
    for n in range(count):
        rep = RepFactory(team=org.east if n % 2 else org.west)
        onboarding.assign(rep, started_days_ago=3 + n % 20)
        onboarding.complete(
            rep, *[onboarding.d1, onboarding.d2, onboarding.m1][: n % 4]
        )
        history.quiz_attempt(rep, title="Discovery quiz", percent=str(50 + n % 50))
        history.quiz_attempt(rep, title="Demo quiz", percent="75", number=1)
        history.review(rep, org.east_coach, score="3.50")
        if n % 3 == 0:
            history.certificate(rep, expires_in_days=5 + n)


def _queries(client, url_name: str, **params) -> int:
    # What is cached across requests (the viewer's roles, the paths' steps) is read
    # again: both counts are those of a first visit.
    person_cache.everyone_changed()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(url_name), params)
        if response.streaming:  # an export's rows are read as it is sent
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("team_overview", {}),
        ("team_overview", {"status": "overdue", "sort": "-progress"}),
        ("team_matrix", {}),
        ("team_export_csv", {}),
    ],
)
def test_it_reads_the_team_in_queries_that_do_not_grow(
    client, org, onboarding, url_name, params
):
    client.force_login(org.region_manager)
    _grow_team(org, onboarding, 5)
    small = _queries(client, url_name, **params)
    _grow_team(org, onboarding, 45)
    large = _queries(client, url_name, **params)
    assert large == small
    assert small <= 20
