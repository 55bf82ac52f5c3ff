"""Completing lessons: by reading, or by watching 90% of the lesson video."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage, LessonCompletion, LessonPage, WatchProgress
from courses.selectors import course_outline
from courses.signals import course_completed
from lms.accounts.models import User

WATCHED_TO_COMPLETE = 0.9
# Reports may cover at most this much video per second of real time (2x speed, plus
# slack): a report cannot claim a whole video in one go.
MAX_PLAYBACK_RATE = 2.0
REPORT_SLACK_SECONDS = 15.0

Range = tuple[float, float]


class WatchReportRefused(Exception):
    """A watch report that does not make sense; the message says why."""


def merge_ranges(ranges: list[Range]) -> list[Range]:
    """The union of time ranges, as sorted, non-overlapping ranges."""
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def covered_seconds(ranges: list[Range]) -> float:
    return sum(end - start for start, end in merge_ranges(ranges))


@transaction.atomic
def lesson_complete(
    *, user: User, lesson: LessonPage, how: str
) -> tuple[LessonCompletion, bool]:
    """Record that the person completed the lesson (once: a second call returns the
    first record). Announces `course_completed` when this finished the course."""
    earlier = LessonCompletion.objects.filter(user=user, lesson=lesson).first()
    if earlier is not None:
        return earlier, False
    completion = LessonCompletion.objects.create(user=user, lesson=lesson, how=how)
    course = CoursePage.objects.get(pk=lesson.get_parent().pk)
    if lesson.required and course_outline(user=user, course=course).complete:
        transaction.on_commit(
            lambda: course_completed.send(sender=CoursePage, user=user, course=course)
        )
    return completion, True


@dataclass(frozen=True)
class WatchState:
    watched_percent: int
    position: float
    completed: bool


@transaction.atomic
def watch_report(
    *, user: User, lesson: LessonPage, ranges: list[Range], position: float
) -> WatchState:
    """Merge the ranges a player reports into what the person has watched so far.

    The video's length comes from the server, never from the report; ranges outside
    it are refused, and a report may add no more than real time allows.
    """
    asset = lesson.video
    if asset is None or not asset.duration:
        raise WatchReportRefused("This lesson has no video to watch.")
    duration = float(asset.duration)
    for start, end in ranges:
        if not (0 <= start < end <= duration + 1):
            raise WatchReportRefused(f"The range {start}-{end} is outside the video.")
    now = timezone.now()
    progress, _ = WatchProgress.objects.select_for_update().get_or_create(
        user=user, lesson=lesson, defaults={"updated_at": now}
    )
    old = [tuple(pair) for pair in progress.ranges]
    new = merge_ranges([*old, *((start, min(end, duration)) for start, end in ranges)])
    added = covered_seconds(new) - covered_seconds(old)  # type: ignore[arg-type]
    elapsed = (now - progress.updated_at).total_seconds()
    if added > elapsed * MAX_PLAYBACK_RATE + REPORT_SLACK_SECONDS:
        raise WatchReportRefused(
            "This report covers more than could have been watched."
        )
    progress.ranges = [list(pair) for pair in new]
    progress.watched_seconds = covered_seconds(new)
    progress.position = min(max(position, 0.0), duration)
    progress.updated_at = now
    progress.save()
    completed = progress.watched_seconds >= WATCHED_TO_COMPLETE * duration
    if completed:
        lesson_complete(user=user, lesson=lesson, how=LessonCompletion.How.WATCHED)
    return WatchState(
        watched_percent=min(100, round(100 * progress.watched_seconds / duration)),
        position=progress.position,
        completed=completed,
    )


def watch_opened(
    *, user: User, lesson: LessonPage, at: dt.datetime | None = None
) -> None:
    """The lesson page was opened: real time for watching starts counting here."""
    WatchProgress.objects.update_or_create(
        user=user, lesson=lesson, defaults={"updated_at": at or timezone.now()}
    )
