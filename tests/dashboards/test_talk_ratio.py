"""Talk ratio on the team pages: My team's median column (sorted, exported), the
team's distribution, and ramp analytics grouped by talk-ratio band."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.analytics import NO_CALLS_BAND
from coaching.models import CallAnalysis, Rubric, Submission, Take
from dashboards.models import SalesOutcome
from dashboards.ramp import ramp_analytics
from dashboards.team import TeamFilters, team_view


@pytest.fixture
def analysed_call(db):
    rubric = Rubric.objects.create(name="Discovery call")

    def make(rep, ratio, *, days_ago=5, speakers=2):
        sent = timezone.now() - dt.timedelta(days=days_ago)
        submission = Submission.objects.create(
            kind=Submission.Kind.CALL,
            rep=rep,
            title=f"Call {ratio}",
            rubric=rubric,
            state=Submission.State.REQUESTED,
            requested_at=sent,
        )
        take = Take.objects.create(submission=submission, number=1, sent_at=sent)
        return CallAnalysis.objects.create(
            take=take,
            state=CallAnalysis.State.DONE,
            speakers=speakers,
            rep_talk_ratio=ratio if speakers == 2 else None,
        )

    return make


def test_my_team_shows_each_reps_median_talk_ratio_of_the_last_90_days(
    org, analysed_call
):
    for ratio in (0.2, 0.5, 0.6):
        analysed_call(org.rep_east, ratio)
    analysed_call(org.rep_east, 0.9, days_ago=120)  # too old
    analysed_call(org.rep_east, None, speakers=1)  # one speaker: no ratio
    analysed_call(org.rep_east2, 0.35)
    rows = {
        row.person.pk: row
        for row in team_view(viewer=org.east_manager, filters=TeamFilters()).rows
    }
    assert rows[org.rep_east.pk].talk_ratio_median == 0.5
    assert rows[org.rep_east.pk].talk_ratio_calls == 3
    assert rows[org.rep_east2.pk].talk_ratio_median == 0.35
    assert rows[org.east_coach.pk].talk_ratio_median is None


def test_the_column_sorts_exports_and_the_distribution_counts_people(
    client, org, analysed_call
):
    analysed_call(org.rep_east, 0.62)
    analysed_call(org.rep_east2, 0.35)
    client.force_login(org.east_manager)
    response = client.get(reverse("team_overview"), {"sort": "-talk_ratio"})
    on_screen = [row.person.full_name for row in response.context["page"].object_list]
    assert on_screen[:2] == [org.rep_east.full_name, org.rep_east2.full_name]
    page = response.content.decode()
    assert "Talk ratio (median)" in page
    assert "62% <span" in page
    assert response.context["view"].talk_bands == [
        ("Under 30%", 0),
        ("30–45%", 1),
        ("45–60%", 0),
        ("60% and over", 1),
    ]
    assert "Talk ratio across the team" in page
    exported = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client.get(
                        reverse("team_export_csv"), {"sort": "-talk_ratio"}
                    ).streaming_content
                ).decode()
            )
        )
    )
    column = exported[0].index("Talk ratio median (%)")
    assert exported[1][column] == "62"
    assert exported[1][column + 1] == "1"


def test_a_team_without_analysed_calls_shows_no_distribution(client, org):
    client.force_login(org.east_manager)
    page = client.get(reverse("team_overview")).content.decode()
    assert "Talk ratio across the team" not in page


def test_ramp_analytics_groups_reps_by_talk_ratio_band(client, org, analysed_call):
    month = timezone.localdate().replace(day=1) - dt.timedelta(days=40)
    for person, revenue in [(org.rep_east, "9000"), (org.rep_east2, "3000")]:
        SalesOutcome.objects.create(
            user=person,
            month=month.replace(day=1),
            opportunities=10,
            deals_won=2,
            revenue=Decimal(revenue),
            quota=Decimal("10000"),
        )
    analysed_call(org.rep_east, 0.38)
    analytics = ramp_analytics(viewer=org.east_manager, filters=TeamFilters())
    bands = {band.name: band for band in analytics.talk_bands}
    assert set(bands) == {"30–45%", NO_CALLS_BAND}
    assert bands["30–45%"].quota_attainment == Decimal("0.9000")
    client.force_login(org.east_manager)
    page = client.get(reverse("ramp_analytics")).content.decode()
    assert "Does listening pay off?" in page


def test_the_band_names_are_shown_in_the_viewers_language(client, org, analysed_call):
    month = timezone.localdate().replace(day=1) - dt.timedelta(days=40)
    for person in (org.rep_east, org.rep_east2):
        SalesOutcome.objects.create(
            user=person,
            month=month.replace(day=1),
            opportunities=10,
            deals_won=2,
            revenue=Decimal("9000"),
            quota=Decimal("10000"),
        )
    analysed_call(org.rep_east, 0.62)  # Reid has no analysed call
    org.east_manager.language = "es"
    org.east_manager.save(update_fields=["language"])
    client.force_login(org.east_manager)

    team = client.get(reverse("team_overview"))
    ramp = client.get(reverse("ramp_analytics"))

    assert team.status_code == ramp.status_code == 200
    assert '<th scope="row">Menos del 30 %</th>' in team.text
    assert '<th scope="row">60 % o más</th>' in team.text
    assert "60% and over" not in team.text
    assert "<td>60 % o más</td>" in ramp.text  # Rae's band
    assert "<td>Sin llamadas analizadas</td>" in ramp.text  # Reid's
    assert '<th scope="row">Sin llamadas analizadas</th>' in ramp.text  # a group
    # The keys stay English where they are kept.
    assert team.context["view"].talk_bands[-1] == ("60% and over", 1)
