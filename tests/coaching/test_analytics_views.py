"""The conversation analytics on the review screen: who sees them, the lanes, the
targets in words, the team median, and who may change the rep's channel."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from coaching import analytics, services
from coaching.models import CallAnalysis, Submission
from coaching.views import _trend_chart
from tests.factories import levels_for


@pytest.fixture
def analysed_take(org, rubric, make_ready_dialogue, django_capture_on_commit_callbacks):
    rubric.talk_ratio_min, rubric.talk_ratio_max = 30, 45
    rubric.monologue_max_seconds = 2
    rubric.save()
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.call_review_request(
            rep=org.rep_east,
            asset=make_ready_dialogue(org.rep_east),
            title="Acme discovery call",
            rubric=rubric,
            deal_stage=Submission.DealStage.DISCOVERY,
        )
    return submission.takes.get()


def page(client, user, take):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("coaching_review", args=[take.pk]))


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("rep_east", True),
        ("east_coach", True),
        ("east_manager", True),
        ("region_manager", True),
        ("admin", True),
        ("rep_east2", False),
        ("emea_manager", False),
        ("multi_coach", False),
    ],
)
def test_the_metrics_show_to_those_who_see_the_call_only(
    client, org, analysed_take, who, sees
):
    response = page(client, org[who], analysed_take)
    if sees:
        assert response.status_code == 200
        assert b"data-analysis" in response.content
    else:
        assert response.status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, analysed_take):
    response = page(client, None, analysed_take)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_review_screen_shows_lanes_metrics_target_and_team_median(
    client, org, analysed_take
):
    analysis = CallAnalysis.objects.get(take=analysed_take)
    html = page(client, org.east_coach, analysed_take).content.decode()
    assert html.count('class="lane ') == 2
    assert html.count("<rect ") == sum(len(c) for c in analysis.activity["channels"])
    assert f"{analysis.rep_talk_ratio * 100:.0f}%" in html
    # Target in words, never colour alone.
    assert "target of 30–45%" in html or "On target (30–45%)" in html
    assert "✗ Above the target of at most 0:02" in html
    assert "based on 1 call." in html
    assert "data-longest-monologue" in html
    assert f'data-seek="{analysis.longest_monologue_start:.2f}"' in html
    assert "data-quote=" in html  # the coach can quote a metric in a comment


def test_the_rep_sees_the_metrics_but_quotes_nothing(client, org, analysed_take):
    html = page(client, org.rep_east, analysed_take).content.decode()
    assert "Rep talk ratio" in html
    assert "data-quote=" not in html


def test_a_failed_analysis_leaves_the_review_screen_working(client, org, analysed_take):
    CallAnalysis.objects.filter(take=analysed_take).update(
        state=CallAnalysis.State.FAILED, failure_reason="It took too long."
    )
    response = page(client, org.east_coach, analysed_take)
    assert response.status_code == 200
    assert "It took too long." in response.content.decode()
    assert b"<audio" in response.content


def test_a_practice_take_shows_no_analytics(client, org, rubric, practice_take):
    services.self_review_save(
        take=practice_take, user=org.rep_east, levels=levels_for(rubric, 3, 3, 3, 3)
    )
    services.take_send(take=practice_take, user=org.rep_east)
    response = page(client, org.east_coach, practice_take)
    assert response.status_code == 200
    assert b"data-analysis" not in response.content


@pytest.mark.parametrize(
    ("who", "status", "changed"),
    [
        ("rep_east", 302, True),
        ("east_coach", 302, True),
        ("east_manager", 403, False),
        ("rep_east2", 404, False),
        ("emea_manager", 404, False),
    ],
)
def test_the_rep_and_their_coach_may_change_the_rep_channel(
    client, org, analysed_take, who, status, changed
):
    client.force_login(org[who])
    before = CallAnalysis.objects.get(take=analysed_take)
    response = client.post(
        reverse("coaching_analysis_channel", args=[analysed_take.pk]),
        {"rep_channel": "1"},
    )
    assert response.status_code == status
    after = CallAnalysis.objects.get(take=analysed_take)
    assert (after.rep_channel == 1) is changed
    if changed:
        assert after.rep_talk_ratio == pytest.approx(
            1 - before.rep_talk_ratio, abs=0.002
        )


def test_a_wrong_channel_changes_nothing(client, org, analysed_take):
    client.force_login(org.rep_east)
    response = client.post(
        reverse("coaching_analysis_channel", args=[analysed_take.pk]),
        {"rep_channel": "7"},
        follow=True,
    )
    assert "Choose the first or the second channel." in response.content.decode()
    assert CallAnalysis.objects.get(take=analysed_take).rep_channel == 0


def test_my_coaching_shows_the_reps_talk_ratio_over_time(client, org, analysed_take):
    analysis = CallAnalysis.objects.get(take=analysed_take)
    client.force_login(org.rep_east)
    html = client.get(reverse("coaching_mine")).content.decode()
    assert "Talk ratio and longest monologue over time" in html
    assert f"{round(analysis.rep_talk_ratio * 100)}%" in html
    assert "<svg" in html
    client.force_login(org.rep_east2)
    html = client.get(reverse("coaching_mine")).content.decode()
    assert "Talk ratio and longest monologue over time" not in html


def test_the_panel_takes_the_same_few_queries_however_many_calls_the_team_has(
    org, analysed_take, django_assert_max_num_queries
):
    from coaching import analytics
    from coaching.models import Take

    def queries_for_panel() -> int:
        take = Take.objects.get(pk=analysed_take.pk)
        with django_assert_max_num_queries(6) as captured:
            panel = analytics.analysis_panel(take=take, viewer=org.east_coach)
        assert panel is not None and panel.rows
        return len(captured)

    before = queries_for_panel()
    original = CallAnalysis.objects.get(take=analysed_take)
    for number in range(5):
        submission = Submission.objects.create(
            kind=Submission.Kind.CALL,
            rep=org.rep_east2,
            title=f"Call {number}",
            rubric=analysed_take.submission.rubric,
            state=Submission.State.REQUESTED,
        )
        take = Take.objects.create(
            submission=submission, number=1, sent_at=analysed_take.sent_at
        )
        CallAnalysis.objects.create(
            take=take,
            state=CallAnalysis.State.DONE,
            speakers=2,
            rep_talk_ratio=original.rep_talk_ratio,
        )
    assert queries_for_panel() == before


def test_the_trend_charts_seconds_axis_reads_as_numbers_of_the_readers_language():
    points = [
        analytics.TrendPoint(dt.datetime(2026, 10, 8, tzinfo=dt.UTC), "A", 0.62, 12),
        analytics.TrendPoint(dt.datetime(2026, 11, 17, tzinfo=dt.UTC), "B", 0.38, 8),
    ]

    with translation.override("es"):
        labels = re.findall(r"<text[^>]*>([^<]*)</text>", _trend_chart(points))

    assert "8,8" in labels  # the seconds' axis, one decimal, Spanish mark
    assert "40" in labels  # the percents' axis, whole numbers
    assert not [label for label in labels if re.search(r"\d[.,]\d\d", label)]
