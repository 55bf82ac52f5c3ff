"""Who a sequence's trigger brings in at this moment, read in a few queries per
sequence however many people there are.

Each trigger yields occurrences: a person, a key naming what happened (their
start date, one assignment, one certificate…), and the moment it happened (the
anchor the step delays count from). Only occurrences after the sequence's
`counts_from` count; for due dates and expiries, that is the due date or expiry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Max, Q, QuerySet

from automation.sequences.models import Role, Sequence, Trigger
from certificates.models import Certificate
from coaching.models import Review
from courses.models import Assignment, LessonCompletion
from courses.quizzes.models import QuizAttempt
from library.models import LibraryItem
from lms.accounts.models import Team, User
from lms.lib import clock


@dataclass(frozen=True)
class Occurrence:
    user_id: int
    key: str
    anchor_at: dt.datetime
    assignment_id: int | None = None
    certificate_id: int | None = None


def audience(sequence: Sequence) -> QuerySet[User]:
    """The active people the sequence is for: in its teams or their sub-teams,
    with its role, holding its path."""
    people = User.objects.filter(is_active=True)
    team_paths = [team.path for team in sequence.teams.all()]
    if team_paths:
        people = people.filter(
            reduce(or_, (Q(team__path__startswith=path) for path in team_paths))
        )
    if sequence.role == Role.REP:
        people = people.filter(team__isnull=False)
    elif sequence.role == Role.COACH:
        people = people.filter(pk__in=Team.coaches.through.objects.values("user_id"))
    elif sequence.role == Role.MANAGER:
        people = people.filter(pk__in=Team.managers.through.objects.values("user_id"))
    if sequence.path_id is not None:
        people = people.filter(
            pk__in=Assignment.objects.current()
            .filter(path_id=sequence.path_id)
            .values("user_id")
        )
    return people


def occurrences(sequence: Sequence, *, now: dt.datetime) -> Iterator[Occurrence]:
    """The trigger's occurrences from `counts_from` up to now, for the audience."""
    people = audience(sequence)
    since = sequence.counts_from
    days = dt.timedelta(days=sequence.trigger_days)
    trigger = sequence.trigger
    if trigger == Trigger.START_DATE:
        rows = people.filter(
            start_date__gte=since.date() - dt.timedelta(days=1),
            start_date__lte=now.date() + dt.timedelta(days=1),
        ).values_list("pk", "start_date", "time_zone")
        for pk, start_date, zone in rows:
            if start_date is None:
                continue
            anchor = clock.start_of_day(start_date, zone)
            if since <= anchor <= now:
                yield Occurrence(pk, f"start:{start_date}", anchor)
    elif trigger in (Trigger.ASSIGNMENT_CREATED, Trigger.DUE_IN_DAYS, Trigger.OVERDUE):
        yield from _assignment_occurrences(sequence, people, now=now, days=days)
    elif trigger == Trigger.QUIZ_FAILED:
        attempts = QuizAttempt.objects.filter(
            user__in=people,
            passed=False,
            state__in=QuizAttempt.GRADED_STATES,
            closed_at__gte=since,
            closed_at__lte=now,
        )
        if sequence.course is not None:
            attempts = attempts.filter(quiz__path__startswith=sequence.course.path)
        for pk, user_id, closed_at in attempts.values_list(
            "pk", "user_id", "closed_at"
        ):
            if closed_at is not None:
                yield Occurrence(user_id, f"quiz-attempt:{pk}", closed_at)
    elif trigger == Trigger.REVIEW_SUBMITTED:
        reviews = (
            Review.objects.by_coaches()
            .submitted()
            .filter(
                take__submission__rep__in=people,
                submitted_at__gte=since,
                submitted_at__lte=now,
            )
            .values_list("pk", "take__submission__rep_id", "submitted_at")
        )
        for pk, user_id, submitted_at in reviews:
            if submitted_at is not None:
                yield Occurrence(user_id, f"review:{pk}", submitted_at)
    elif trigger == Trigger.CERTIFICATE_EXPIRING:
        certificates = Certificate.objects.filter(
            user__in=people,
            status=Certificate.Status.ACTIVE,
            expires_at__gte=max(since, now),
            expires_at__lte=now + days,
        ).values_list("pk", "user_id", "expires_at")
        for pk, user_id, expires_at in certificates:
            if expires_at is not None:
                yield Occurrence(
                    user_id, f"certificate:{pk}", expires_at - days, certificate_id=pk
                )
    elif trigger == Trigger.NO_ACTIVITY:
        yield from _inactivity_occurrences(sequence, people, now=now, days=days)
    elif trigger == Trigger.LIBRARY_UPDATED:
        yield from _library_occurrences(sequence, people, now=now)


def _assignment_occurrences(
    sequence: Sequence, people: QuerySet[User], *, now: dt.datetime, days: dt.timedelta
) -> Iterator[Occurrence]:
    since = sequence.counts_from
    assignments = Assignment.objects.filter(user__in=people)
    if sequence.course_id is not None:
        assignments = assignments.filter(course_id=sequence.course_id)
    if sequence.path_id is not None:
        assignments = assignments.filter(path_id=sequence.path_id)
    if sequence.trigger == Trigger.ASSIGNMENT_CREATED:
        rows = assignments.current().filter(
            assigned_at__gte=since, assigned_at__lte=now
        )
        for pk, user_id, at in rows.values_list("pk", "user_id", "assigned_at"):
            yield Occurrence(user_id, f"assignment:{pk}", at, assignment_id=pk)
    elif sequence.trigger == Trigger.DUE_IN_DAYS:
        rows = assignments.open().filter(
            due_at__gte=max(since, now), due_at__lte=now + days
        )
        for pk, user_id, due_at in rows.values_list("pk", "user_id", "due_at"):
            if due_at is not None:
                yield Occurrence(
                    user_id, f"due-soon:{pk}", due_at - days, assignment_id=pk
                )
    else:
        rows = assignments.open().filter(due_at__gte=since, due_at__lte=now)
        for pk, user_id, due_at in rows.values_list("pk", "user_id", "due_at"):
            if due_at is not None:
                yield Occurrence(user_id, f"overdue:{pk}", due_at, assignment_id=pk)


def last_activity(user_ids: list[int]) -> dict[int, dt.datetime]:
    """Each person's latest lesson completed or quiz started. Two queries."""
    latest: dict[int, dt.datetime] = {}
    for rows in (
        LessonCompletion.objects.filter(user_id__in=user_ids)
        .values_list("user_id")
        .annotate(last=Max("completed_at")),
        QuizAttempt.objects.filter(user_id__in=user_ids)
        .values_list("user_id")
        .annotate(last=Max("started_at")),
    ):
        for user_id, last in rows:
            if last is not None and (user_id not in latest or last > latest[user_id]):
                latest[user_id] = last
    return latest


def _inactivity_occurrences(
    sequence: Sequence, people: QuerySet[User], *, now: dt.datetime, days: dt.timedelta
) -> Iterator[Occurrence]:
    """People whose last activity (or, with none, their joining) is `days` ago."""
    joined = dict(people.values_list("pk", "date_joined"))
    latest = last_activity(list(joined))
    for user_id, joined_at in joined.items():
        last = latest.get(user_id, joined_at)
        anchor = last + days
        if sequence.counts_from <= anchor <= now:
            yield Occurrence(user_id, f"inactive-since:{last:%Y-%m-%dT%H:%M}", anchor)


# An update of a library item, as an enrolment's occurrence: library:<id>:<when>.
LIBRARY_OCCURRENCE = "library:"


def _library_occurrences(
    sequence: Sequence, people: QuerySet[User], *, now: dt.datetime
) -> Iterator[Occurrence]:
    """For each library item updated since `counts_from`, the people in its audience
    (everyone, or its teams with their sub-teams)."""
    items = (
        LibraryItem.objects.live()
        .filter(
            updated_at__gte=sequence.counts_from,
            updated_at__lte=now,
        )
        .prefetch_related("audience_teams")
    )
    for item in items:
        readers = people
        if not item.audience_everyone:
            paths = [team.path for team in item.audience_teams.all()]
            if not paths:
                continue
            readers = people.filter(
                reduce(or_, (Q(team__path__startswith=path) for path in paths))
            )
        for user_id in readers.values_list("pk", flat=True):
            yield Occurrence(
                user_id,
                f"{LIBRARY_OCCURRENCE}{item.pk}:{item.updated_at:%Y-%m-%dT%H:%M}",
                item.updated_at,
            )


def library_item_of(occurrence: str) -> int | None:
    """The item of a "library item updated" occurrence, else None."""
    item_id = occurrence.removeprefix(LIBRARY_OCCURRENCE).partition(":")[0]
    if not occurrence.startswith(LIBRARY_OCCURRENCE) or not item_id.isdigit():
        return None
    return int(item_id)
