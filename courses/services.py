"""Completing lessons (by reading, or by watching 90% of the video), and the
assignments whose progress those completions drive."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext
from wagtail.models import Page

from courses.models import (
    Assignment,
    CoursePage,
    LearningPath,
    LessonCompletion,
    LessonPage,
    TrainingCampaign,
    WatchProgress,
)
from courses.selectors import course_cycle_start, course_outline
from courses.signals import course_completed
from lms.accounts.models import User
from lms.lib import clock, person_cache
from lms.pages import in_source_language

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
    """Record that the person completed the lesson: once, or once more in each new
    cycle of recurring training that asks for it again (earlier cycles keep their
    record). Announces `course_completed` when this finished the course."""
    # One completion at a time per person: a double submit must not count twice.
    User.objects.select_for_update().filter(pk=user.pk).first()
    course = CoursePage.objects.get(pk=lesson.get_parent().pk)
    latest = LessonCompletion.objects.filter(user=user, lesson=lesson).first()
    cycle_start = course_cycle_start(user=user, course=course)
    if latest is not None and (
        cycle_start is None or latest.completed_at >= cycle_start
    ):
        return latest, False
    completion = LessonCompletion.objects.create(user=user, lesson=lesson, how=how)
    if lesson.required:
        _advance_assignments(
            user=user, course=course, previous=latest.completed_at if latest else None
        )
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
        raise WatchReportRefused(gettext("This lesson has no video to watch."))
    duration = float(asset.duration)
    numbers = [position, *(value for pair in ranges for value in pair)]
    if not all(math.isfinite(value) for value in numbers):
        raise WatchReportRefused(gettext("Positions must be numbers of seconds."))
    for start, end in ranges:
        if not (0 <= start < end <= duration + 1):
            raise WatchReportRefused(
                gettext("The range %(start)s-%(end)s is outside the video.")
                % {"start": start, "end": end}
            )
    now = clock.now()
    progress, _ = WatchProgress.objects.select_for_update().get_or_create(
        user=user, lesson=lesson, defaults={"updated_at": now}
    )
    old = [tuple(pair) for pair in progress.ranges]
    new = merge_ranges([*old, *((start, min(end, duration)) for start, end in ranges)])
    added = covered_seconds(new) - covered_seconds(old)
    elapsed = (now - progress.updated_at).total_seconds()
    if added > elapsed * MAX_PLAYBACK_RATE + REPORT_SLACK_SECONDS:
        raise WatchReportRefused(
            gettext("This report covers more than could have been watched.")
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
    """The lesson page was opened: real time for watching starts counting here. A
    repeat view is one UPDATE (no read first, no savepoint)."""
    opened = at or clock.now()
    if not WatchProgress.objects.filter(user=user, lesson=lesson).update(
        updated_at=opened
    ):
        WatchProgress.objects.get_or_create(
            user=user, lesson=lesson, defaults={"updated_at": opened}
        )


# Assignments: who has to do what, by when.


def due_at_for(user: User, days_after_start: int) -> dt.datetime:
    """The end of the day that falls `days_after_start` after the person's start
    date, in their own time zone (so DST and far-away teams come out right)."""
    return due_at_after_start(
        start_date=user.start_date,
        time_zone=user.time_zone,
        days_after_start=days_after_start,
    )


def due_at_after_start(
    *, start_date: dt.date | None, time_zone: str, days_after_start: int
) -> dt.datetime:
    """`due_at_for` from the two facts of a person it reads (My team computes it for
    rows, not users): without a start date, the days count from today."""
    start = start_date or clock.today(time_zone)
    day = start + dt.timedelta(days=days_after_start)
    return clock.end_of_day(day, time_zone)


def _courses_of(
    *, path: LearningPath | None, course: CoursePage | None
) -> list[CoursePage]:
    if path is not None:
        return [
            step.course
            for step in path.steps.select_related("course").order_by("sort_order", "pk")
        ]
    assert course is not None
    return [course]


def _required_lesson_ids(courses: list[CoursePage]) -> list[int]:
    if not courses:
        return []
    under_any = Q()
    for course in courses:
        under_any |= Q(path__startswith=course.path, depth=course.depth + 1)
    return list(
        LessonPage.objects.live()
        .filter(under_any, required=True)
        .values_list("pk", flat=True)
    )


def required_progress(
    user: User, courses: list[CoursePage], since: dt.datetime | None = None
) -> tuple[int, int]:
    """Required lessons, and how many the person completed (since `since`)."""
    lesson_ids = _required_lesson_ids(courses)
    completions = LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids)
    if since is not None:
        completions = completions.filter(completed_at__gte=since)
    done = completions.values("lesson_id").distinct().count()
    return len(lesson_ids), done


def _completed_when(total: int, done: int) -> dt.datetime | None:
    """Now, if every required lesson is done (a course with none never completes)."""
    return clock.now() if total and done >= total else None


@transaction.atomic
def assignment_create(
    *,
    user: User,
    reason: str,
    path: LearningPath | None = None,
    course: CoursePage | None = None,
    assigned_by: User | None = None,
    due_at: dt.datetime | None = None,
    counts_from: dt.datetime | None = None,
) -> tuple[Assignment, bool]:
    """Assign a path or a course, unless it is already open for the person."""
    existing = (
        Assignment.objects.open()
        .filter(user=user, path=path, course=course, campaign__isnull=True)
        .first()
    )
    if existing is not None:
        return existing, False
    courses = _courses_of(path=path, course=course)
    total, done = required_progress(user, courses, since=counts_from)
    if due_at is None and path is not None:
        last_offset = max(
            path.steps.values_list("due_offset_days", flat=True), default=0
        )
        due_at = due_at_for(user, last_offset)
    assignment = Assignment.objects.create(
        user=user,
        path=path,
        course=course,
        reason=reason,
        assigned_by=assigned_by,
        due_at=due_at,
        counts_from=counts_from,
        required_total=total,
        required_done=done,
        completed_at=_completed_when(total, done),
    )
    return assignment, True


def assignments_create_for(
    *,
    users: list[User],
    reason: str,
    path: LearningPath | None = None,
    course: CoursePage | None = None,
    assigned_by: User | None = None,
    due_at: dt.datetime | None = None,
) -> list[Assignment]:
    """Bulk assignment by a manager or admin; people who already have it open are
    skipped. Returns the assignments made."""
    made = []
    for user in users:
        assignment, created = assignment_create(
            user=user,
            reason=reason,
            path=path,
            course=course,
            assigned_by=assigned_by,
            due_at=due_at,
        )
        if created:
            made.append(assignment)
    return made


@transaction.atomic
def assignment_unassign(*, assignment: Assignment) -> Assignment:
    """Withdraw an open assignment; it stays in the history as unassigned."""
    # Completed assignments are history: they cannot be withdrawn.
    Assignment.objects.open().filter(pk=assignment.pk).update(unassigned_at=clock.now())
    person_cache.person_changed(user_ids=[assignment.user_id])
    assignment.refresh_from_db()
    return assignment


def paths_assign_by_rules(*, user: User) -> list[Assignment]:
    """Give a rep the paths whose rules name their team or a team above it."""
    if user.team is None:
        return []
    teams = [user.team, *user.team.get_ancestors()]
    paths = LearningPath.objects.filter(rules__team__in=teams).distinct()
    return [
        assignment
        for path in paths
        for assignment, created in [
            assignment_create(user=user, path=path, reason=Assignment.Reason.ONBOARDING)
        ]
        if created
    ]


def _covering(*, user: User, course: CoursePage) -> QuerySet[Assignment]:
    return Assignment.objects.open().filter(
        Q(course_id=course.pk) | Q(path__steps__course_id=course.pk), user=user
    )


def _advance_assignments(
    *, user: User, course: CoursePage, previous: dt.datetime | None
) -> None:
    """A new required lesson completion: every open assignment that covers the
    course and had not counted this lesson yet moves on (those counting from a cycle
    start after the previous completion, or from the start if there was none), and
    those now complete are closed. Two queries, however many assignments there are."""
    not_counted_yet = Q(counts_from__gt=previous) if previous else Q()
    _covering(user=user, course=course).filter(not_counted_yet).update(
        required_done=F("required_done") + 1
    )
    Assignment.objects.open().filter(
        user=user, required_total__gt=0, required_done__gte=F("required_total")
    ).update(completed_at=clock.now())
    person_cache.person_changed(user_ids=[user.pk])


def assignments_recount(*, course: CoursePage) -> int:
    """After a lesson is published or removed, recount the open assignments that
    cover the course (their totals change)."""
    covering = list(
        Assignment.objects.open()
        .filter(Q(course_id=course.pk) | Q(path__steps__course_id=course.pk))
        .select_related("path", "course", "user")
        .distinct()
    )
    for assignment in covering:
        total, done = required_progress(
            assignment.user,
            _courses_of(path=assignment.path, course=assignment.course),
            since=assignment.counts_from,
        )
        Assignment.objects.filter(pk=assignment.pk).update(
            required_total=total,
            required_done=done,
            completed_at=_completed_when(total, done),
        )
    person_cache.person_changed(
        user_ids=[assignment.user_id for assignment in covering]
    )
    return len(covering)


# Recurring training.


def campaign_course(campaign: TrainingCampaign, *, on: dt.date) -> CoursePage | None:
    """The course a cycle asks for: the fixed one, or the newest course with the
    campaign's tag published in this cycle (None: last cycle's does not come round)."""
    if campaign.course_id is not None:
        return campaign.course
    cycle_start = campaign.cycle_start(on)
    if cycle_start is None:
        return None
    newest: CoursePage | None = (
        in_source_language(CoursePage.objects.live())
        .filter(
            tags__name__iexact=campaign.newest_with_tag,
            first_published_at__date__gte=cycle_start,
        )
        .order_by("-first_published_at")
        .first()
    )
    return newest


def campaign_audience(campaign: TrainingCampaign) -> QuerySet[User]:
    """Active people who hold one of the campaign's roles in one of its teams (or
    their sub-teams; in any team when none is chosen)."""
    roles = [
        (campaign.for_reps, "team"),
        (campaign.for_coaches, "coached_teams"),
        (campaign.for_managers, "managed_teams"),
    ]
    teams = list(campaign.teams.all())
    audience = Q(pk__in=[])
    for wanted, relation in roles:
        if wanted and not teams:
            audience |= Q(**{f"{relation}__isnull": False})
        for team in teams if wanted else []:
            audience |= Q(**{f"{relation}__path__startswith": team.path})
    return User.objects.filter(audience, is_active=True).distinct()


def campaigns_materialise(*, today: dt.date | None = None) -> int:
    """Daily: give everyone in each active campaign's audience the current cycle's
    assignment. Idempotent: one per person per campaign per cycle, however often it
    runs. Someone who joined during a cycle gets it only if enough time is left."""
    today = today or clock.today()
    made = 0
    for campaign in TrainingCampaign.objects.filter(active=True):
        cycle_start = campaign.cycle_start(today)
        course = campaign_course(campaign, on=today) if cycle_start else None
        if cycle_start is None or course is None:
            continue
        already = set(
            Assignment.objects.filter(
                campaign=campaign, cycle_start=cycle_start
            ).values_list("user_id", flat=True)
        )
        for person in campaign_audience(campaign).exclude(pk__in=already):
            if _materialise_for(person, campaign, course, cycle_start, today):
                made += 1
    return made


def _materialise_for(
    person: User,
    campaign: TrainingCampaign,
    course: CoursePage,
    cycle_start: dt.date,
    today: dt.date,
) -> bool:
    due_day = cycle_start + dt.timedelta(days=campaign.due_days)
    if (due_day - today).days < settings.CAMPAIGN_MIN_DAYS_LEFT:
        return False  # too late in the cycle: joined late, or the campaign is new
    # From the start of the cycle day where the person is, but never in the future
    # (west of UTC that day may not have begun yet).
    counts_from = min(clock.start_of_day(cycle_start, person.time_zone), clock.now())
    total, done = required_progress(person, [course], since=counts_from)
    try:
        with transaction.atomic():
            Assignment.objects.create(
                user=person,
                course=course,
                campaign=campaign,
                cycle_start=cycle_start,
                counts_from=counts_from,
                reason=Assignment.Reason.MONTHLY,
                due_at=clock.end_of_day(due_day, person.time_zone),
                required_total=total,
                required_done=done,
                completed_at=_completed_when(total, done),
            )
    except IntegrityError:  # another run made it a moment ago
        return False
    return True


def course_enrol(*, user: User, course: CoursePage) -> tuple[Assignment, bool]:
    """Optional self-enrolment from the catalogue: no due date."""
    return assignment_create(
        user=user, course=course, reason=Assignment.Reason.MANUAL, assigned_by=user
    )


@transaction.atomic
def page_translation_publish(
    *, page: Page, language: str, fields: dict[str, Any], user: User | None = None
) -> Page:
    """Translate `page` into `language` as wagtail-localize's "Translate this page"
    does (its parents copied first when they are not translated yet), write `fields`
    (title, body…) into the translation and publish it. The demo's Spanish course is
    made this way; editors do the same in the admin."""
    from wagtail.models import Locale
    from wagtail_localize.models import TranslationSource

    locale = Locale.objects.get(language_code=language)
    source, _created = TranslationSource.get_or_create_from_instance(page)
    # A draft first: wagtail-localize publishes after the transaction commits, which
    # would put its draft (the source's text) live over the fields written here.
    translation, _created = source.create_or_update_translation(
        locale, user=user, publish=False, copy_parent_pages=True, fallback=True
    )
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision(user=user).publish(user=user)
    return type(translation).objects.get(pk=translation.pk)
