"""Conversation analytics of call reviews: the job's work (analyse a take's recording
and store the metrics), the rep-channel setting, the backfill, and the reads the
review screen, the rep's coaching page and the team pages use.

The measuring itself is media.speech (pure); this module decides which recordings are
analysed (the recordings of call reviews; practice takes and lesson videos are not)
and keeps the results with the version of the analysis that made them."""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_noop

from coaching.models import CallAnalysis, Rubric, Submission, Take
from coaching.permissions import can_review
from lms.accounts.models import User
from lms.lib import prepared
from lms.lib.lookups import AnyOf
from media import ffmpeg, speech
from media.models import MediaAsset
from media.services import ffmpeg_memory_limit_mb, private_storage

BENCHMARK_DAYS = 90
# Bands of a rep's median talk ratio (percent, upper bound excluded), for the team
# distribution and ramp analytics. The names are keys, kept in English where they
# are stored or sent to machines, and translated where they are shown.
TALK_RATIO_BANDS = (
    # xgettext:no-python-format
    (gettext_noop("Under 30%"), 0, 30),
    # xgettext:no-python-format
    (gettext_noop("30–45%"), 30, 45),
    # xgettext:no-python-format
    (gettext_noop("45–60%"), 45, 60),
    # xgettext:no-python-format
    (gettext_noop("60% and over"), 60, 101),
)
NO_CALLS_BAND = gettext_noop("No analysed calls")
# A pending analysis older than this lost its job (a worker died): queue it again.
STUCK_AFTER = dt.timedelta(minutes=30)
MAX_ATTEMPTS = 5
# Stored in English in CallAnalysis.failure_reason; translated when shown.
TOO_LONG = gettext_noop(
    "The analysis of this recording took too long and was stopped. The recording "
    "and the review work as before, without the conversation metrics."
)
OVER_LIMIT = gettext_noop(
    "The analysis of this recording needed more time or memory than the server "
    "allows and was stopped. The recording and the review work as before, without "
    "the conversation metrics."
)
COULD_NOT = gettext_noop(
    "The conversation metrics of this recording could not be measured. The "
    "recording and the review work as before."
)

# A CallAnalysis stores each metric under the name the command prints it with.
METRIC_FIELDS = speech.Metrics.COMMAND_KEYS


def analysed_takes() -> QuerySet[Take]:
    """The takes whose recordings get conversation analytics: call reviews."""
    return Take.objects.filter(
        submission__kind=Submission.Kind.CALL,
        asset__kind=MediaAsset.Kind.RECORDING,
    )


def call_analysis_request(*, take: Take, rep_channel: int = 0) -> CallAnalysis | None:
    """Queue the analysis of a call take's recording (after commit); the call review
    request calls it. None for takes that are not analysed (practice)."""
    if not analysed_takes().filter(pk=take.pk).exists():
        return None
    if rep_channel not in CallAnalysis.RepChannel.values:
        rep_channel = CallAnalysis.RepChannel.FIRST
    analysis, _ = CallAnalysis.objects.get_or_create(
        take=take, defaults={"rep_channel": rep_channel}
    )
    _enqueue_after_commit(take.pk)
    return analysis


def _enqueue_after_commit(take_id: int) -> None:
    from coaching.tasks import call_analyse_task

    # robust: a broker that is down must not fail the request; the sweeper retries.
    transaction.on_commit(lambda: call_analyse_task.delay(take_id), robust=True)


def call_analyse(
    *, take_id: int, time_limit: float | None = None
) -> CallAnalysis | None:
    """Analyse a call take's recording and store the metrics (the job on the `media`
    queue). Idempotent: an analysis already made by this version is left alone.
    Analyses only the transcoded playback file, never the upload. Raises
    ffmpeg.FfmpegFailed for the job to retry."""
    with transaction.atomic():
        take = (
            analysed_takes()
            .select_related("asset")
            .filter(pk=take_id, asset__status=MediaAsset.Status.READY)
            .first()
        )
        if take is None or take.asset is None:
            return None
        analysis, _ = CallAnalysis.objects.select_for_update().get_or_create(take=take)
        if not take.asset.playback:  # nothing transcoded to listen to
            analysis.state = CallAnalysis.State.FAILED
            analysis.failure_reason = COULD_NOT
            analysis.save(update_fields=["state", "failure_reason"])
            return analysis
        if (
            analysis.state == CallAnalysis.State.DONE
            and analysis.analysis_version == speech.ANALYSIS_VERSION
        ):
            return analysis
        analysis.state = CallAnalysis.State.PENDING
        analysis.started_at = timezone.now()
        analysis.attempts += 1
        analysis.save(update_fields=["state", "started_at", "attempts"])
    asset = take.asset
    # ffmpeg stops a little before the job's own limit, so that the job can say why.
    limit = time_limit or max(30.0, settings.SPEECH_ANALYSIS_TIME_LIMIT - 30)
    with tempfile.TemporaryDirectory(prefix="onramp-analysis-") as folder:
        local = Path(folder) / Path(asset.playback).name
        with (
            private_storage().open(asset.playback, "rb") as source,
            local.open("wb") as target,
        ):
            shutil.copyfileobj(source, target, 1024 * 1024)
        try:
            activity = speech.analyse_file(
                local, time_limit=limit, memory_limit_mb=ffmpeg_memory_limit_mb()
            )
        except ffmpeg.MediaRejected:
            return call_analysis_fail(take_id=take_id, reason=COULD_NOT)
    with transaction.atomic():
        locked = (
            CallAnalysis.objects.select_for_update().filter(take_id=take_id).first()
        )
        if locked is None:  # the take was deleted meanwhile
            return None
        locked.activity = activity.to_json()
        locked.analysis_version = speech.ANALYSIS_VERSION
        locked.state = CallAnalysis.State.DONE
        locked.failure_reason = ""
        locked.analysed_at = timezone.now()
        _store_metrics(locked)
        locked.save()
    return locked


def _store_metrics(analysis: CallAnalysis) -> None:
    activity = speech.Activity.from_json(analysis.activity)
    metrics = speech.activity_metrics(activity, rep_channel=analysis.rep_channel)
    for name in METRIC_FIELDS:
        setattr(analysis, name, getattr(metrics, name))
    monologue = metrics.longest_monologue
    analysis.longest_monologue_start = monologue.start if monologue else None
    analysis.not_available = metrics.not_available


def call_analysis_fail(*, take_id: int, reason: str) -> CallAnalysis | None:
    """Mark an analysis failed with the reason; the review screen works without it."""
    with transaction.atomic():
        analysis = (
            CallAnalysis.objects.select_for_update().filter(take_id=take_id).first()
        )
        if analysis is None or analysis.state == CallAnalysis.State.DONE:
            return analysis
        analysis.state = CallAnalysis.State.FAILED
        analysis.failure_reason = reason
        analysis.analysed_at = timezone.now()
        analysis.save(update_fields=["state", "failure_reason", "analysed_at"])
    return analysis


class AnalysisRefused(Exception):
    """A change to an analysis that may not happen; the message is for the person."""


@transaction.atomic
def call_analysis_set_rep_channel(
    *, analysis: CallAnalysis, user: User, rep_channel: int
) -> CallAnalysis:
    """The rep says which channel of their call is them (the rep, or a coach who
    reviews them, corrects it on the review screen). The metrics are worked out again
    from the stored segments; nothing is decoded again."""
    take = analysis.take
    if user.pk != take.submission.rep_id and not can_review(user, take.submission):
        raise AnalysisRefused(
            gettext("Only the rep and their coaches can change this.")
        )
    if rep_channel not in CallAnalysis.RepChannel.values:
        raise AnalysisRefused(gettext("Choose the first or the second channel."))
    locked = CallAnalysis.objects.select_for_update().get(pk=analysis.pk)
    locked.rep_channel = rep_channel
    if locked.state == CallAnalysis.State.DONE:
        _store_metrics(locked)
    locked.save()
    return locked


def call_analyses_backfill(
    *, enqueue: bool = True, now: dt.datetime | None = None
) -> int:
    """Analyse again what is missing, outdated or stuck: call takes never analysed,
    analyses made by an older `analysis_version`, pending ones whose job died. Run by
    `manage.py speech_backfill` after the algorithm improves, and hourly by beat.
    Idempotent: what is up to date is left alone. With `enqueue=False` the work is
    done here, one take after the other. Returns how many takes it queued or did."""
    now = now or timezone.now()
    outdated = Q(analysis__isnull=True) | (
        Q(analysis__state=CallAnalysis.State.DONE)
        & ~Q(analysis__analysis_version=speech.ANALYSIS_VERSION)
    )
    stuck = Q(
        analysis__state=CallAnalysis.State.PENDING,
        analysis__created_at__lt=now - STUCK_AFTER,
    ) & (
        Q(analysis__started_at__isnull=True)
        | Q(analysis__started_at__lt=now - STUCK_AFTER)
    )
    takes = (
        analysed_takes()
        .filter(asset__status=MediaAsset.Status.READY)
        .filter(outdated | stuck)
        .order_by("pk")
    )
    count = 0
    for take_id, attempts in takes.values_list("pk", "analysis__attempts"):
        if attempts is not None and attempts >= MAX_ATTEMPTS:
            call_analysis_fail(take_id=take_id, reason=COULD_NOT)
            continue
        if enqueue:
            with transaction.atomic():
                CallAnalysis.objects.get_or_create(take_id=take_id)
                _enqueue_after_commit(take_id)
        else:
            try:
                call_analyse(take_id=take_id)
            except ffmpeg.FfmpegFailed:
                call_analysis_fail(take_id=take_id, reason=COULD_NOT)
        count += 1
    return count


# Reads


@dataclass(frozen=True)
class Benchmark:
    """The median of a rep's team over the last BENCHMARK_DAYS days, and how many
    analysed calls it is based on."""

    team_name: str
    calls: int
    talk_ratio: float | None
    longest_monologue_seconds: float | None
    patience_seconds: float | None
    interactivity_per_minute: float | None


def done_analyses() -> QuerySet[CallAnalysis]:
    return CallAnalysis.objects.filter(
        state=CallAnalysis.State.DONE, take__submission__kind=Submission.Kind.CALL
    )


def _median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def team_benchmark(*, rep: User, now: dt.datetime | None = None) -> Benchmark | None:
    """The team median of the rep's two-speaker calls over the last 90 days (the rep's
    own included); None when the rep has no team."""
    if rep.team_id is None:
        return None
    now = now or timezone.now()
    rows = list(
        done_analyses()
        .filter(
            take__submission__rep__team_id=rep.team_id,
            take__sent_at__gte=now - dt.timedelta(days=BENCHMARK_DAYS),
            take__sent_at__lte=now,
            speakers=2,
            rep_talk_ratio__isnull=False,
        )
        .values_list(
            "rep_talk_ratio",
            "longest_monologue_seconds",
            "patience_seconds",
            "interactivity_per_minute",
        )
    )
    assert rep.team is not None
    return Benchmark(
        team_name=rep.team.name,
        calls=len(rows),
        talk_ratio=_median(r[0] for r in rows),
        longest_monologue_seconds=_median(r[1] for r in rows),
        patience_seconds=_median(r[2] for r in rows),
        interactivity_per_minute=_median(r[3] for r in rows),
    )


@dataclass(frozen=True)
class Target:
    """How a value compares with its rubric's target, in words (never colour alone)."""

    met: bool
    text: str


def talk_ratio_target(rubric: Rubric, ratio: float | None) -> Target | None:
    low, high = rubric.talk_ratio_min, rubric.talk_ratio_max
    if ratio is None or (low is None and high is None):
        return None
    percent = ratio * 100
    wanted = {"target": _range_text(low, high)}
    if low is not None and percent < low:
        return Target(False, gettext("Below the target of %(target)s") % wanted)
    if high is not None and percent > high:
        return Target(False, gettext("Above the target of %(target)s") % wanted)
    return Target(True, gettext("On target (%(target)s)") % wanted)


def monologue_target(rubric: Rubric, seconds: float | None) -> Target | None:
    limit = rubric.monologue_max_seconds
    if seconds is None or limit is None:
        return None
    wanted = {"target": gettext("at most %(limit)s") % {"limit": _clock(limit)}}
    if seconds > limit:
        return Target(False, gettext("Above the target of %(target)s") % wanted)
    return Target(True, gettext("On target (%(target)s)") % wanted)


def _range_text(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"{low}–{high}%"
    if low is not None:
        return gettext("at least %(limit)s") % {"limit": f"{low}%"}
    return gettext("at most %(limit)s") % {"limit": f"{high}%"}


def _clock(seconds: float) -> str:
    total = round(seconds)
    return f"{total // 60}:{total % 60:02}"


@dataclass(frozen=True)
class TrendPoint:
    when: dt.datetime
    title: str
    talk_ratio: float
    longest_monologue_seconds: float | None


def rep_trend(*, rep: User, limit: int = 30) -> list[TrendPoint]:
    """The rep's talk ratio and longest monologue per analysed two-speaker call, oldest
    first (the last `limit` calls): the trend on their coaching page."""
    rows = (
        done_analyses()
        .filter(
            take__submission__rep=rep,
            speakers=2,
            rep_talk_ratio__isnull=False,
            take__sent_at__isnull=False,
        )
        .order_by("-take__sent_at")
        .values_list(
            "take__sent_at",
            "take__submission__title",
            "rep_talk_ratio",
            "longest_monologue_seconds",
        )[:limit]
    )
    return [
        TrendPoint(when, title, ratio, monologue)
        for when, title, ratio, monologue in reversed(rows)
        if when is not None and ratio is not None
    ]


def median_talk_ratio_by_rep(
    *, reps: Iterable[int], since: dt.datetime, until: dt.datetime
) -> dict[int, tuple[float, int]]:
    """Rep id -> (median talk ratio, calls) over their two-speaker calls sent in the
    period; reps without one are left out. My team and its exports use it."""
    values: dict[int, list[float]] = {}
    for rep_id, ratio in prepared.rows(
        _two_speaker_talk_ratios, reps=list(reps), since=since, until=until
    ):
        if ratio is not None:
            values.setdefault(rep_id, []).append(ratio)
    return {
        rep_id: (statistics.median(ratios), len(ratios))
        for rep_id, ratios in values.items()
    }


def _two_speaker_talk_ratios(
    *, reps: list[int], since: dt.datetime, until: dt.datetime
) -> QuerySet[Any]:
    """(rep id, talk ratio) of the reps' analysed two-speaker calls sent in the
    period; kept compiled (`lms.lib.prepared`)."""
    return (
        done_analyses()
        .filter(
            AnyOf(F("take__submission__rep_id"), reps),
            take__sent_at__gte=since,
            take__sent_at__lte=until,
            speakers=2,
            rep_talk_ratio__isnull=False,
        )
        .values_list("take__submission__rep_id", "rep_talk_ratio")
    )


@dataclass(frozen=True)
class Lane:
    """One speaker's row under the waveform: their segments, in seconds."""

    label: str
    css: str
    segments: list[speech.Segment]
    talk_text: str


@dataclass(frozen=True)
class MetricRow:
    label: str
    value: str
    team: str = ""
    target: Target | None = None
    # What "Quote" puts into a new comment, and where that comment starts and ends.
    quote: str = ""
    seek_start: float | None = None
    seek_end: float | None = None


@dataclass(frozen=True)
class AnalysisPanel:
    """What the review screen shows of a call's conversation analytics."""

    analysis: CallAnalysis
    duration: float
    lanes: list[Lane]
    rows: list[MetricRow]
    benchmark: Benchmark | None
    can_change_channel: bool


def _percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.0f}%"


def _one_decimal(value: float) -> str:
    """One decimal in the locale's form, rounded (Django's number_format cuts
    the other decimals off: 3.29 would read 3.2)."""
    return formats.number_format(round(value, 1), 1)


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 60:
        return _clock(value)
    return gettext("%(seconds)s s") % {"seconds": _one_decimal(value)}


def _per_minute(value: float | None) -> str:
    if value is None:
        return "—"
    return gettext("%(count)s per minute") % {"count": _one_decimal(value)}


def analysis_panel(
    *, take: Take, viewer: User, now: dt.datetime | None = None
) -> AnalysisPanel | None:
    """The conversation analytics of a take for the review screen; None for takes
    that are not analysed (practice) or whose analysis was never queued."""
    analysis = (
        CallAnalysis.objects.select_related(
            "take__submission__rep__team", "take__submission__rubric"
        )
        .filter(take=take)
        .first()
    )
    if analysis is None or analysis.take.submission.kind != Submission.Kind.CALL:
        return None
    submission = analysis.take.submission
    can_change = viewer.pk == submission.rep_id or can_review(viewer, submission)
    if analysis.state != CallAnalysis.State.DONE:
        return AnalysisPanel(analysis, 0.0, [], [], None, can_change)
    activity = speech.Activity.from_json(analysis.activity)
    rep, other = activity.rep_and_other(analysis.rep_channel)
    lanes = [
        Lane(gettext("Rep"), "lane-rep", list(rep), _seconds(analysis.rep_talk_seconds))
    ]
    if other is not None:
        lanes.append(
            Lane(
                gettext("Other speaker"),
                "lane-other",
                list(other),
                _seconds(analysis.other_talk_seconds),
            )
        )
    benchmark = team_benchmark(rep=submission.rep, now=now)
    rubric = submission.rubric
    rows = [_talk_ratio_row(analysis, rubric, benchmark)]
    monologue_end = (
        analysis.longest_monologue_start + analysis.longest_monologue_seconds
        if analysis.longest_monologue_start is not None
        and analysis.longest_monologue_seconds
        else None
    )
    monologue_team = benchmark.longest_monologue_seconds if benchmark else None
    rows += [
        MetricRow(gettext("Rep talk time"), _seconds(analysis.rep_talk_seconds)),
        MetricRow(
            gettext("Other speaker's talk time"),
            _seconds(analysis.other_talk_seconds),
        ),
        MetricRow(
            gettext("Longest rep monologue"),
            _seconds(analysis.longest_monologue_seconds),
            team=_seconds(monologue_team) if monologue_team is not None else "",
            target=monologue_target(rubric, analysis.longest_monologue_seconds),
            quote=gettext("Longest monologue: %(value)s")
            % {"value": _seconds(analysis.longest_monologue_seconds)},
            seek_start=analysis.longest_monologue_start
            if monologue_end is not None
            else None,
            seek_end=monologue_end,
        ),
        MetricRow(
            gettext("Longest customer story"),
            _seconds(analysis.longest_customer_story_seconds),
        ),
        MetricRow(
            gettext("Interactivity"),
            _per_minute(analysis.interactivity_per_minute),
            team=_per_minute(benchmark.interactivity_per_minute)
            if benchmark and benchmark.interactivity_per_minute is not None
            else "",
            quote=gettext("Interactivity: %(value)s")
            % {
                "value": _per_minute(analysis.interactivity_per_minute).replace(
                    "—", gettext("n/a")
                )
            },
        ),
        MetricRow(
            gettext("Patience"),
            _seconds(analysis.patience_seconds),
            team=_seconds(benchmark.patience_seconds)
            if benchmark and benchmark.patience_seconds is not None
            else "",
            quote=gettext("Patience: %(value)s")
            % {"value": _seconds(analysis.patience_seconds)},
        ),
        MetricRow(gettext("Silence"), _percent(analysis.silence_ratio)),
    ]
    return AnalysisPanel(
        analysis=analysis,
        duration=activity.duration or (take.asset.duration if take.asset else 0) or 0,
        lanes=lanes,
        rows=rows,
        benchmark=benchmark,
        can_change_channel=can_change and activity.speakers == 2,
    )


def _talk_ratio_row(
    analysis: CallAnalysis, rubric: Rubric, benchmark: Benchmark | None
) -> MetricRow:
    target = talk_ratio_target(rubric, analysis.rep_talk_ratio)
    team = (
        _percent(benchmark.talk_ratio)
        if benchmark and benchmark.talk_ratio is not None
        else ""
    )
    quote = gettext("Talk ratio: %(value)s") % {
        "value": _percent(analysis.rep_talk_ratio)
    }
    if target is not None:
        quote += f" ({target.text.lower()})"
    if team:
        quote += gettext("; team median %(value)s") % {"value": team}
    return MetricRow(
        gettext("Rep talk ratio"),
        _percent(analysis.rep_talk_ratio)
        if analysis.rep_talk_ratio is not None
        else gettext("Not available"),
        team=team,
        target=target,
        quote=quote if analysis.rep_talk_ratio is not None else "",
    )


def talk_ratio_band(ratio: float | None) -> str:
    """The band (TALK_RATIO_BANDS) of a talk ratio from 0 to 1."""
    if ratio is None:
        return NO_CALLS_BAND
    percent = ratio * 100
    for name, low, high in TALK_RATIO_BANDS:
        if low <= percent < high:
            return name
    return TALK_RATIO_BANDS[-1][0]
