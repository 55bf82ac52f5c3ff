from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards.charts import coaching_trend, completions_over_time, ramp_curves
from dashboards.team import TeamFilters
from tests.dashboards import history


def test_it_draws_ramp_curves_per_start_month(org, onboarding):
    onboarding.assign(org.rep_east, started_days_ago=25)
    onboarding.complete(org.rep_east, onboarding.d1, onboarding.d2, onboarding.m1)
    onboarding.assign(org.rep_east2, started_days_ago=25)
    onboarding.assign(org.rep_north, started_days_ago=25)  # not East's
    chart = ramp_curves(viewer=org.east_manager, filters=TeamFilters())
    assert len(chart.columns) == 2
    assert "(2)" in chart.columns[1]
    # Both have been here 20 days: one did everything (today), the other nothing.
    by_day = {row[0]: row[1] for row in chart.rows}
    assert by_day["0"] == "0.0%"
    assert by_day["20"] == "0.0%"  # completions are today, day 25
    assert by_day["30"] == "—"  # nobody has been here 30 days
    assert "<svg" in chart.svg
    assert "<script" not in chart.svg


def test_it_counts_lessons_per_week(org, onboarding):
    onboarding.assign(org.rep_east, started_days_ago=3)
    onboarding.complete(org.rep_east, onboarding.d1, onboarding.d2)
    onboarding.assign(org.rep_north, started_days_ago=3)
    onboarding.complete(org.rep_north, onboarding.d1)
    chart = completions_over_time(viewer=org.east_manager, filters=TeamFilters())
    assert len(chart.rows) == 12
    assert chart.rows[-1][1] == "2"
    assert sum(int(row[1]) for row in chart.rows) == 2


def test_it_averages_review_scores_per_month(org):
    history.review(org.rep_east, org.east_coach, score="3.00", days_ago=0)
    history.review(org.rep_east2, org.east_coach, score="4.00", days_ago=0)
    history.review(org.rep_north, org.multi_coach, score="1.00", days_ago=0)
    chart = coaching_trend(viewer=org.east_manager, filters=TeamFilters())
    month = f"{timezone.now():%Y-%m}"
    assert [month, "3.50", "2"] in chart.rows


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("rep_east", 403), ("east_coach", 403), ("east_manager", 200), ("admin", 200)],
)
def test_it_shows_charts_with_data_tables(client, org, onboarding, viewer, status):
    onboarding.assign(org.rep_east, started_days_ago=15)
    client.force_login(org[viewer])
    response = client.get(reverse("team_charts"))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert page.count("<svg") == 3
        assert page.count("The figures as a table") == 3
        assert "Cohort ramp curves" in page
        assert "cdn" not in page.lower()


def test_it_styles_the_charts_under_the_pages_nonce(client, org, onboarding):
    onboarding.assign(org.rep_east, started_days_ago=15)
    client.force_login(org.east_manager)
    response = client.get(reverse("team_charts"))
    page = response.content.decode()
    style_src = dict(
        part.split(maxsplit=1)
        for part in response["Content-Security-Policy"].split("; ")
    )["style-src"].split()
    nonces = [source for source in style_src if source.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    assert page.count(f'<style nonce="{nonce}"') == page.count("<style") == 3
    # Nothing the policy would refuse: no style attribute, no script in the SVG.
    assert " style=" not in page
    assert "<script>" not in page
