"""The conversation analytics job of call reviews: what is analysed, what is stored,
idempotence, the backfill, failures, the rep-channel setting and the team median."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.management import call_command

from coaching import analytics, services
from coaching.models import CallAnalysis, Submission
from coaching.tasks import call_analyse_task
from media import ffmpeg, speech


@pytest.fixture
def call(org, rubric, make_ready_dialogue, django_capture_on_commit_callbacks):
    """request(rep=..., rep_channel=...): a call review of a two-channel recording,
    with the jobs queued after commit run (eagerly)."""

    def request(rep=None, rep_channel=0, title="Acme"):
        rep = rep or org.rep_east
        with django_capture_on_commit_callbacks(execute=True):
            submission = services.call_review_request(
                rep=rep,
                asset=make_ready_dialogue(rep, title=f"{title} call"),
                title=f"{title} discovery call",
                rubric=rubric,
                deal_stage=Submission.DealStage.DISCOVERY,
                rep_channel=rep_channel,
            )
        return submission.takes.get()

    return request


def truth_ratio(transcoded_dialogue):
    built, _, _ = transcoded_dialogue
    rep, other = (speech.talk_seconds(t) for t in built.truth)
    return rep / (rep + other)


def test_a_call_review_gets_its_metrics_from_the_recording(call, transcoded_dialogue):
    take = call()
    analysis = CallAnalysis.objects.get(take=take)
    assert analysis.state == CallAnalysis.State.DONE
    assert analysis.analysis_version == speech.ANALYSIS_VERSION
    assert analysis.speakers == 2
    assert analysis.rep_talk_ratio == pytest.approx(
        truth_ratio(transcoded_dialogue), abs=0.03
    )
    assert analysis.rep_talk_seconds + analysis.other_talk_seconds > 10
    assert analysis.longest_monologue_seconds > 1
    assert analysis.longest_monologue_start is not None
    assert analysis.patience_seconds is not None
    assert analysis.not_available == ""
    assert len(analysis.activity["channels"]) == 2


def test_the_rep_channel_of_the_request_decides_who_is_the_rep(call):
    left = CallAnalysis.objects.get(take=call(title="Left"))
    right = CallAnalysis.objects.get(take=call(rep_channel=1, title="Right"))
    assert right.rep_channel == 1
    assert right.rep_talk_ratio == pytest.approx(1 - left.rep_talk_ratio, abs=0.002)


def test_practice_takes_are_not_analysed(
    org, practice, recording, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        take = services.practice_take_add(
            rep=org.rep_east, practice=practice, asset=recording(org.rep_east)
        )
    assert analytics.call_analysis_request(take=take) is None
    assert analytics.call_analyse(take_id=take.pk) is None
    assert not CallAnalysis.objects.exists()


def test_running_the_job_again_changes_nothing(call):
    take = call()
    before = CallAnalysis.objects.get(take=take)
    again = analytics.call_analyse(take_id=take.pk)
    assert again.analysed_at == before.analysed_at
    assert again.attempts == before.attempts == 1


def test_the_backfill_reruns_older_versions_and_missing_ones_only(
    call, django_capture_on_commit_callbacks
):
    current, outdated = call(title="Current"), call(title="Outdated")
    CallAnalysis.objects.filter(take=outdated).update(analysis_version=0, speakers=None)
    missing = call(title="Missing")
    CallAnalysis.objects.filter(take=missing).delete()
    out = StringIO()
    call_command("speech_backfill", "--now", stdout=out)
    assert out.getvalue() == "2 call recordings analysed.\n"
    assert CallAnalysis.objects.get(take=outdated).speakers == 2
    assert CallAnalysis.objects.get(take=missing).state == CallAnalysis.State.DONE
    assert CallAnalysis.objects.get(take=current).attempts == 1
    call_command("speech_backfill", "--now", stdout=out)
    assert out.getvalue().endswith("0 call recordings analysed.\n")


def test_the_backfill_queues_stuck_analyses(call, time_machine):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    take = call()
    CallAnalysis.objects.filter(take=take).update(
        state=CallAnalysis.State.PENDING,
        started_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
    )
    assert analytics.call_analyses_backfill(enqueue=False) == 0
    time_machine.move_to("2026-03-02 10:00Z", tick=False)
    assert analytics.call_analyses_backfill(enqueue=False) == 1


def test_a_job_past_its_time_limit_marks_the_analysis_failed(call, monkeypatch):
    take = call()
    CallAnalysis.objects.filter(take=take).update(state=CallAnalysis.State.PENDING)

    def too_slow(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(analytics, "call_analyse", too_slow)
    assert call_analyse_task.apply(args=[take.pk]).get() == "failed"
    analysis = CallAnalysis.objects.get(take=take)
    assert analysis.state == CallAnalysis.State.FAILED
    assert analysis.failure_reason == analytics.TOO_LONG


def test_ffmpeg_running_out_of_time_or_memory_fails_the_analysis_at_once(
    call, monkeypatch
):
    take = call()
    CallAnalysis.objects.filter(take=take).update(state=CallAnalysis.State.PENDING)

    def out_of_time(path, *, time_limit, memory_limit_mb=None):
        raise ffmpeg.FfmpegLimitExceeded(
            "This file took too long to process.", detail="ffmpeg ran out of time"
        )

    monkeypatch.setattr(speech, "analyse_file", out_of_time)
    CallAnalysis.objects.filter(take=take).update(analysis_version=0)
    assert call_analyse_task.apply(args=[take.pk]).get() == "failed"
    assert CallAnalysis.objects.get(take=take).failure_reason == analytics.OVER_LIMIT


def test_the_rep_or_their_coach_can_correct_the_rep_channel(call, org):
    analysis = CallAnalysis.objects.get(take=call())
    ratio = analysis.rep_talk_ratio
    changed = analytics.call_analysis_set_rep_channel(
        analysis=analysis, user=org.east_coach, rep_channel=1
    )
    assert changed.rep_talk_ratio == pytest.approx(1 - ratio, abs=0.002)
    with pytest.raises(analytics.AnalysisRefused):
        analytics.call_analysis_set_rep_channel(
            analysis=analysis, user=org.rep_east2, rep_channel=0
        )
    with pytest.raises(analytics.AnalysisRefused):
        analytics.call_analysis_set_rep_channel(
            analysis=analysis, user=org.rep_east, rep_channel=2
        )
    assert CallAnalysis.objects.get(pk=analysis.pk).rep_channel == 1


def test_the_team_median_covers_the_last_90_days_of_the_team(call, org, time_machine):
    time_machine.move_to("2025-12-20 09:00Z", tick=False)
    call(rep=org.rep_east, rep_channel=1, title="Old")  # outside the 90 days later
    time_machine.move_to("2026-04-01 09:00Z", tick=False)
    first = call(rep=org.rep_east, title="First")
    call(rep=org.rep_east2, title="Second")
    call(rep=org.rep_east2, rep_channel=1, title="Third")
    call(rep=org.rep_west, rep_channel=1, title="Other team")
    ratios = sorted(
        CallAnalysis.objects.filter(
            take__sent_at__gte=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
            take__submission__rep__team=org.east,
        ).values_list("rep_talk_ratio", flat=True)
    )
    benchmark = analytics.team_benchmark(rep=org.rep_east)
    assert benchmark.calls == 3
    assert benchmark.team_name == "East"
    assert benchmark.talk_ratio == ratios[1]
    assert first.analysis.rep_talk_ratio < 0.5
