"""My team: one row per person in a manager's subtree, and the completion matrix.

Managers use this to decide who needs help this week; enablement admins see every
team. Every figure is read with grouped queries keyed by person, so the number of
queries does not grow with the size of the team or the length of its history; the
filters and the sort are applied to the computed rows, so the page, the matrix and
the exports always agree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from coaching.analytics import (
    BENCHMARK_DAYS,
    TALK_RATIO_BANDS,
    median_talk_ratio_by_rep,
    talk_ratio_band,
)
from coaching.models import Review
from courses.models import (
    Assignment,
    CoursePage,
    LearningPath,
    LessonCompletion,
    LessonPage,
    PathStep,
)
from courses.quizzes.models import QuizAttempt
from courses.services import due_at_after_start
from library.metrics import ENGAGED_PROSPECTS_DAYS, engaged_prospects
from lms.accounts import visibility
from lms.accounts.models import Team, User
from lms.lib import clock, person_cache, prepared
from lms.lib.lookups import AnyOf

DONE, IN_PROGRESS, OVERDUE, NOT_STARTED, NOT_ASSIGNED = (
    "done",
    "in_progress",
    "overdue",
    "not_started",
    "not_assigned",
)
CELL_SYMBOLS = {
    DONE: ("✓", _("Done")),
    IN_PROGRESS: ("◐", _("In progress")),
    OVERDUE: ("!", _("Overdue")),
    NOT_STARTED: ("·", _("Not started")),
    NOT_ASSIGNED: ("", _("Not assigned")),
}

DUE_SOON_DAYS = 7
# Exports compute their rows this many people at a time (team_rows).
EXPORT_BATCH = 2000
# The talk ratio column covers the same period as the review screen's team median.
TALK_RATIO_DAYS = BENCHMARK_DAYS

STATUSES = {
    "on_track": _("On track"),
    "overdue": _("Overdue"),
    "certified": _("Certified"),
    "expiring": _("Certificate expiring"),
}
ROLES = {
    "rep": _("Reps"),
    "coach": _("Also coaches"),
    "manager": _("Also manages"),
}
SORTS = {
    "name": _("Name"),
    "team": _("Team"),
    "start": _("Start date"),
    "progress": _("Onboarding progress"),
    "overdue": _("Overdue"),
    "activity": _("Last activity"),
    "quiz": _("Quiz average"),
    "coaching": _("Coaching average"),
    "talk_ratio": _("Talk ratio (median)"),
    "engaged": _("Engaged prospects"),
    "certification": _("Certification"),
}
CERT_NONE, CERT_VALID, CERT_EXPIRING, CERT_EXPIRED = 0, 2, 1, -1
CERT_LABELS = {
    CERT_NONE: _("Not certified"),
    CERT_VALID: _("Certified"),
    CERT_EXPIRING: _("Expiring"),
    CERT_EXPIRED: _("Expired"),
}


@dataclass(frozen=True)
class TeamFilters:
    """What the manager chose: a sub-team, a role, a start-date cohort (first day of
    a month), a status, a sort key (prefix "-" for descending) and a path for the
    matrix. Empty values mean "all"."""

    team_id: int | None = None
    role: str = ""
    cohort: dt.date | None = None
    status: str = ""
    sort: str = "name"
    path_id: int | None = None


@dataclass
class MatrixCell:
    course: CoursePage
    state: str
    done: int
    total: int
    due_at: dt.datetime | None

    @property
    def symbol(self) -> str:
        return CELL_SYMBOLS[self.state][0]

    @property
    def label(self) -> str:
        return str(CELL_SYMBOLS[self.state][1])


@dataclass(frozen=True, slots=True)
class Person:
    """The few facts of a person the rows show: lighter than a User, so that ten
    thousand rows (an admin's export) stay small."""

    pk: int
    full_name: str
    email: str
    start_date: dt.date | None
    time_zone: str


@dataclass(slots=True)
class PersonRow:
    person: Person
    team_name: str
    path_title: str = ""
    lessons_done: int = 0
    lessons_total: int = 0
    overdue: int = 0
    last_activity: dt.datetime | None = None
    quiz_average: Decimal | None = None
    coaching_average: Decimal | None = None
    # The median rep talk ratio (0..1) of the person's analysed two-speaker calls of
    # the last TALK_RATIO_DAYS days, and how many calls that is.
    talk_ratio_median: float | None = None
    talk_ratio_calls: int = 0
    engaged_prospects: int = 0
    certification: int = CERT_NONE
    certificate_expires_at: dt.datetime | None = None
    cells: list[MatrixCell] = field(default_factory=list)
    # Path courses not done yet that fall due within DUE_SOON_DAYS.
    due_soon: list[tuple[str, dt.datetime]] = field(default_factory=list)

    @property
    def progress_percent(self) -> int | None:
        if not self.lessons_total:
            return None
        return min(100, round(100 * self.lessons_done / self.lessons_total))

    @property
    def certification_label(self) -> str:
        return str(CERT_LABELS[self.certification])

    @property
    def on_track(self) -> bool:
        return self.overdue == 0

    def has_status(self, status: str) -> bool:
        return {
            "on_track": self.on_track,
            "overdue": not self.on_track,
            "certified": self.certification in (CERT_VALID, CERT_EXPIRING),
            "expiring": self.certification == CERT_EXPIRING,
        }.get(status, True)


@dataclass
class TeamView:
    rows: list[PersonRow]
    tiles: dict[str, int]
    team_choices: list[tuple[int, str]]
    paths: list[LearningPath]
    path: LearningPath | None
    courses: list[CoursePage]
    cohorts: list[dt.date]
    total_people: int
    # (band, people) of the people's median talk ratios: the team's distribution.
    talk_bands: list[tuple[str, int]] = field(default_factory=list)

    @property
    def talk_bands_total(self) -> int:
        return sum(people for _, people in self.talk_bands)


def _sort_key(key: str) -> Any:
    low = dt.datetime.min.replace(tzinfo=dt.UTC)
    keys: dict[str, Any] = {
        "name": lambda r: (r.person.full_name.lower(), r.person.pk),
        "team": lambda r: (r.team_name.lower(), r.person.full_name.lower()),
        "start": lambda r: (r.person.start_date or dt.date.min, r.person.pk),
        "progress": lambda r: (
            -1 if r.progress_percent is None else r.progress_percent,
            r.person.full_name.lower(),
        ),
        "overdue": lambda r: (r.overdue, r.person.full_name.lower()),
        "activity": lambda r: (r.last_activity or low, r.person.pk),
        "talk_ratio": lambda r: (
            -1.0 if r.talk_ratio_median is None else r.talk_ratio_median,
            r.person.full_name.lower(),
        ),
        "quiz": lambda r: (
            Decimal(-1) if r.quiz_average is None else r.quiz_average,
            r.person.full_name.lower(),
        ),
        "coaching": lambda r: (
            Decimal(-1) if r.coaching_average is None else r.coaching_average,
            r.person.full_name.lower(),
        ),
        "engaged": lambda r: (r.engaged_prospects, r.person.full_name.lower()),
        "certification": lambda r: (r.certification, r.person.full_name.lower()),
    }
    return keys[key]


def people_in_scope(*, viewer: User, filters: TeamFilters) -> QuerySet[User]:
    """Active members of the teams the viewer manages (the whole subtree), narrowed by
    sub-team, role and cohort. A sub-team outside the viewer's subtree selects
    nobody."""
    return _members(
        team_ids=_team_ids_in_scope(visibility.managed_subtree(viewer), filters),
        role=filters.role,
        cohort=filters.cohort,
    )


def _team_ids_in_scope(subtree: list[Team], filters: TeamFilters) -> list[int]:
    """The teams of the subtree under the chosen sub-team (all without one; none when
    it is outside the subtree)."""
    chosen_path = ""
    if filters.team_id is not None:
        chosen = next((t for t in subtree if t.pk == filters.team_id), None)
        if chosen is None:
            return []
        chosen_path = chosen.path
    return [t.pk for t in subtree if t.path.startswith(chosen_path)]


def _members(
    *, team_ids: list[int], role: str, cohort: dt.date | None
) -> QuerySet[User]:
    """The active members of these teams, narrowed to a role ("rep", "coach",
    "manager") and a start month."""
    people = User.objects.filter(AnyOf(F("team_id"), team_ids), is_active=True)
    if role in ("rep", "coach"):
        coaches = Exists(Team.coaches.through.objects.filter(user_id=OuterRef("pk")))
        people = people.exclude(coaches) if role == "rep" else people.filter(coaches)
    if role in ("rep", "manager"):
        # Everyone in a team is a rep; "Reps" means those who neither coach nor
        # manage.
        manages = Exists(Team.managers.through.objects.filter(user_id=OuterRef("pk")))
        people = people.exclude(manages) if role == "rep" else people.filter(manages)
    if cohort is not None:
        people = people.filter(
            start_date__year=cohort.year, start_date__month=cohort.month
        )
    return people


def _people_in_teams(
    *,
    team_ids: list[int],
    role: str,
    cohort: dt.date | None,
    among: list[int] | None,
) -> QuerySet[Any]:
    """The facts of `Person` and the team name of `_members` (and only of `among`
    when given), by name."""
    people = _members(team_ids=team_ids, role=role, cohort=cohort)
    if among is not None:
        people = people.filter(AnyOf(F("pk"), among))
    return people.order_by("full_name", "pk").values_list(
        "pk", "full_name", "email", "start_date", "time_zone", "team__name"
    )


def onboarding_assignments(user_ids: list[int]) -> QuerySet[Assignment]:
    """The onboarding path assignments of these people, oldest first for each person
    (the one My team and ramp analytics count)."""
    return (
        Assignment.objects.current()
        .filter(
            user__in=user_ids, reason=Assignment.Reason.ONBOARDING, path__isnull=False
        )
        .order_by("user_id", "assigned_at", "pk")
    )


def _required_lessons(courses: list[CoursePage]) -> dict[int, int]:
    """Required live lessons (quizzes and practice included) -> their course id."""
    if not courses:
        return {}
    by_path = {course.path: course.pk for course in courses}
    under_any = Q()
    for course in courses:
        under_any |= Q(path__startswith=course.path, depth=course.depth + 1)
    lessons = (
        LessonPage.objects.live().filter(under_any, required=True).values("pk", "path")
    )
    return {
        lesson["pk"]: by_path[lesson["path"][: -LessonPage.steplen]]
        for lesson in lessons
    }


def _path_structure(
    path_ids: set[int],
) -> tuple[list[PathStep], dict[int, int]]:
    """The paths' steps (with their courses) in order, and their required live
    lessons (quizzes and practice included) -> course id. Content, the same for every
    viewer: kept in the cache until any content, path or team changes
    (`lms.lib.person_cache`)."""

    def read() -> tuple[list[PathStep], dict[int, int]]:
        steps = list(
            PathStep.objects.filter(path_id__in=path_ids)
            .select_related("course", "path")
            .order_by("path_id", "sort_order", "pk")
        )
        courses = {step.course.pk: step.course for step in steps}
        return steps, _required_lessons(list(courses.values()))

    if not path_ids:
        return [], {}
    key = ",".join(str(pk) for pk in sorted(path_ids))
    return person_cache.cached_for_everyone(name=f"path-structure:{key}", compute=read)


def _progress_and_activity(
    ids: list[int], lesson_course: dict[int, int]
) -> tuple[dict[tuple[int, int], int], dict[int, dt.datetime]]:
    """(person id, course id) -> required lessons of the course the person completed,
    and person id -> their last activity (latest lesson completed or quiz started).
    One query of at most two rows per person: their completions (a count per course
    and the latest) and, beside them, their latest quiz start (rows and timestamps
    are what cost time here, not columns)."""
    by_course: dict[int, list[int]] = defaultdict(list)
    for lesson_id, course_id in lesson_course.items():
        by_course[course_id].append(lesson_id)
    found = prepared.rows(
        _completions_and_quiz_starts,
        ids=ids,
        lessons_by_course=tuple(
            (course_id, tuple(lesson_ids))
            for course_id, lesson_ids in by_course.items()
        ),
    )
    done: dict[tuple[int, int], int] = {}
    last_activity: dict[int, dt.datetime] = {}
    for person, last, *per_course in found:
        if person not in last_activity or last > last_activity[person]:
            last_activity[person] = last
        for course_id, got in zip(by_course, per_course, strict=True):
            if got:
                done[(person, course_id)] = got
    return done, last_activity


def _completions_and_quiz_starts(
    *, ids: list[int], lessons_by_course: tuple[tuple[int, tuple[int, ...]], ...]
) -> QuerySet[Any]:
    """Per person: the latest completion and the required lessons completed per
    course, then the latest quiz start (zero counts) (`_progress_and_activity`)."""
    counts = {
        f"course_{course_id}": Count(
            "lesson_id", filter=AnyOf(F("lesson_id"), lesson_ids), distinct=True
        )
        for course_id, lesson_ids in lessons_by_course
    }
    lessons = (
        LessonCompletion.objects.filter(AnyOf(F("user_id"), ids))
        .values("user_id")
        .annotate(last=Max("completed_at"), **counts)
        .order_by()
        .values_list("user_id", "last", *counts)
    )
    quizzes = (
        QuizAttempt.objects.filter(AnyOf(F("user_id"), ids))
        .values("user_id")
        .annotate(last=Max("started_at"), **{name: Value(0) for name in counts})
        .order_by()
        .values_list("user_id", "last", *counts)
    )
    return lessons.union(quizzes, all=True)


def _onboarding_and_due_assignments(
    *, ids: list[int], soon: dt.datetime
) -> QuerySet[Any]:
    """Onboarding path assignments, and open course assignments (monthly, manual,
    recertification) due before `soon`."""
    return (
        Assignment.objects.current()
        .filter(AnyOf(F("user_id"), ids))
        .filter(
            Q(reason=Assignment.Reason.ONBOARDING, path__isnull=False)
            | Q(
                completed_at__isnull=True,
                path__isnull=True,
                due_at__lt=soon,
            )
        )
        .order_by("user_id", "assigned_at", "pk")
        .values_list("user_id", "path_id", "due_at", "course__title")
    )


def _coaching_averages(*, ids: list[int]) -> QuerySet[Any]:
    """Person id -> the mean score of coaches' submitted reviews."""
    return (
        Review.objects.by_coaches()
        .submitted()
        .filter(AnyOf(F("take__submission__rep_id"), ids), score__isnull=False)
        .values("take__submission__rep_id")
        .annotate(avg=Avg("score"))
        .order_by()
        .values_list("take__submission__rep_id", "avg")
    )


def team_view(
    *,
    viewer: User,
    filters: TeamFilters,
    now: dt.datetime | None = None,
    with_cells: bool = False,
    among: Collection[int] | None = None,
    subtree: list[Team] | None = None,
) -> TeamView:
    """Everything "My team" (and, with cells, the matrix) shows for the viewer's
    subtree: about fifteen queries whatever the number of people, courses or
    completions. `among` narrows it to those people (ids) of the subtree.
    `subtree`: the teams to show instead of the viewer's (in path order; the weekly
    digest reads a whole batch of managers' teams at once)."""
    now = now or clock.now()
    if subtree is None:
        subtree = visibility.managed_subtree(viewer)
    people: list[Person] = []
    rows: dict[int, PersonRow] = {}
    for pk, name, email, start, zone, team_name in prepared.rows(
        _people_in_teams,
        team_ids=_team_ids_in_scope(subtree, filters),
        role=filters.role,
        cohort=filters.cohort,
        among=None if among is None else list(among),
    ):
        person = Person(pk, name, email, start, zone)
        people.append(person)
        rows[pk] = PersonRow(person=person, team_name=team_name or "")
    ids = list(rows)
    soon = now + dt.timedelta(days=DUE_SOON_DAYS)

    # Onboarding path assignments, and open course assignments (monthly, manual,
    # recertification) overdue or falling due within DUE_SOON_DAYS: one query.
    assignments = prepared.rows(_onboarding_and_due_assignments, ids=ids, soon=soon)
    path_of: dict[int, int] = {}
    other_open: list[tuple[int, dt.datetime | None, str | None]] = []
    for user_id, path_id, due_at, title in assignments:
        if path_id is not None:
            path_of[user_id] = path_id  # the latest onboarding path wins
        else:
            other_open.append((user_id, due_at, title))

    path_ids = set(path_of.values())
    if filters.path_id is not None:
        path_ids.add(filters.path_id)
    steps, lesson_course = _path_structure(path_ids)
    steps_of: dict[int, list[PathStep]] = defaultdict(list)
    paths: dict[int, LearningPath] = {}
    for step in steps:
        steps_of[step.path_id].append(step)
        paths[step.path_id] = step.path
    totals: dict[int, int] = defaultdict(int)
    for course_id in lesson_course.values():
        totals[course_id] += 1
    done, last_activity = _progress_and_activity(ids, lesson_course)

    matrix_path_id = filters.path_id
    if matrix_path_id is None and path_of:
        counts: dict[int, int] = defaultdict(int)
        for path_id in path_of.values():
            counts[path_id] += 1
        matrix_path_id = max(counts, key=lambda pid: (counts[pid], -pid))

    due_dates: dict[tuple[dt.date | None, str, int], dt.datetime] = {}

    def due(person: Person, offset: int) -> dt.datetime:
        # Many people share a start date and time zone: compute each due date once,
        # by the courses app's own rule.
        key = (person.start_date, person.time_zone, offset)
        if key not in due_dates:
            due_dates[key] = due_at_after_start(
                start_date=person.start_date,
                time_zone=person.time_zone,
                days_after_start=offset,
            )
        return due_dates[key]

    for person in people:
        row = rows[person.pk]
        person_path = path_of.get(person.pk)
        if person_path is not None:
            row.path_title = paths[person_path].title if person_path in paths else ""
            for step in steps_of.get(person_path, []):
                total = totals.get(step.course_id, 0)
                got = min(done.get((person.pk, step.course_id), 0), total)
                row.lessons_total += total
                row.lessons_done += got
                if got < total:
                    step_due = due(person, step.due_offset_days)
                    if step_due < now:
                        row.overdue += 1
                    elif step_due < soon:
                        row.due_soon.append((step.course.title, step_due))
        if with_cells and matrix_path_id is not None:
            row.cells = [
                _cell(
                    person,
                    step,
                    totals,
                    done,
                    now,
                    due(person, step.due_offset_days),
                    assigned=person_path == matrix_path_id,
                )
                for step in steps_of.get(matrix_path_id, [])
            ]

    for user_id, due_at, course_title in other_open:
        other = rows.get(user_id)
        if other is None or due_at is None:
            continue
        if due_at < now:
            other.overdue += 1
        else:
            other.due_soon.append((course_title or "", due_at))

    for user_id, last in last_activity.items():
        rows[user_id].last_activity = last
    _add_quizzes(rows, ids)
    for user_id, average in prepared.rows(_coaching_averages, ids=ids):
        if user_id in rows:
            rows[user_id].coaching_average = Decimal(average).quantize(Decimal("0.01"))
    talk = median_talk_ratio_by_rep(
        reps=ids, since=now - dt.timedelta(days=TALK_RATIO_DAYS), until=now
    )
    for user_id, (median, calls) in talk.items():
        if user_id in rows:
            rows[user_id].talk_ratio_median = median
            rows[user_id].talk_ratio_calls = calls
    engaged = engaged_prospects(
        rep_ids=ids,
        since=now - dt.timedelta(days=ENGAGED_PROSPECTS_DAYS),
        until=now,
    )
    for user_id, count in engaged.items():
        if user_id in rows:
            rows[user_id].engaged_prospects = count
    _add_certifications(rows, ids, now)

    listed = [row for row in rows.values() if row.has_status(filters.status)]
    key, descending = _sort_of(filters)
    listed.sort(key=key, reverse=descending)

    all_rows = list(rows.values())
    tiles = {
        "people": len(all_rows),
        "on_track": sum(r.on_track for r in all_rows),
        "overdue": sum(not r.on_track for r in all_rows),
        "certified": sum(r.has_status("certified") for r in all_rows),
        "expiring": sum(r.has_status("expiring") for r in all_rows),
    }
    matrix_path = paths.get(matrix_path_id) if matrix_path_id is not None else None
    return TeamView(
        rows=listed,
        tiles=tiles,
        team_choices=_team_choices(subtree),
        paths=sorted(paths.values(), key=lambda p: p.title),
        path=matrix_path,
        courses=[step.course for step in steps_of.get(matrix_path_id or -1, [])],
        cohorts=sorted(
            {p.start_date.replace(day=1) for p in people if p.start_date},
            reverse=True,
        ),
        total_people=len(people),
        talk_bands=_talk_bands(all_rows),
    )


def team_rows(
    *,
    viewer: User,
    filters: TeamFilters,
    now: dt.datetime | None = None,
    batch_size: int = EXPORT_BATCH,
) -> Iterator[PersonRow]:
    """The rows `team_view` lists, in the same order, computed `batch_size` people at
    a time, so that an export's memory stays flat however many people it has (an
    enablement admin's export of a whole organisation). Two passes: the sort keys of
    everyone, then the rows in that order; a person who no longer matches the filters
    by the second pass is left out."""
    now = now or clock.now()
    in_order = list(
        people_in_scope(viewer=viewer, filters=filters)
        .order_by("full_name", "pk")
        .values_list("pk", flat=True)
    )
    if len(in_order) <= batch_size:
        yield from team_view(viewer=viewer, filters=filters, now=now).rows
        return
    key, descending = _sort_of(filters)
    keys: dict[int, Any] = {}
    for batch in _batches(in_order, batch_size):
        view = team_view(viewer=viewer, filters=filters, now=now, among=batch)
        keys.update((row.person.pk, key(row)) for row in view.rows)
    # team_view's order: the database's, then a stable sort on the key.
    listed = [pk for pk in in_order if pk in keys]
    listed.sort(key=keys.__getitem__, reverse=descending)
    del keys, in_order
    for batch in _batches(listed, batch_size):
        view = team_view(viewer=viewer, filters=filters, now=now, among=batch)
        found = {row.person.pk: row for row in view.rows}
        yield from (found[pk] for pk in batch if pk in found)


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _sort_of(filters: TeamFilters) -> tuple[Any, bool]:
    """The filters' sort as a key function and whether it descends (name when the
    sort is unknown)."""
    sort = filters.sort if filters.sort.lstrip("-") in SORTS else "name"
    return _sort_key(sort.lstrip("-")), sort.startswith("-")


def _talk_bands(rows: list[PersonRow]) -> list[tuple[str, int]]:
    counts = {name: 0 for name, _, _ in TALK_RATIO_BANDS}
    for row in rows:
        if row.talk_ratio_median is not None:
            counts[talk_ratio_band(row.talk_ratio_median)] += 1
    return list(counts.items()) if any(counts.values()) else []


@dataclass
class FilterChoices:
    team_choices: list[tuple[int, str]]
    cohorts: list[dt.date]
    paths: list[LearningPath] = field(default_factory=list)
    path: LearningPath | None = None


def team_filter_choices(viewer: User) -> FilterChoices:
    """The teams and start months the filters offer, for pages other than My team."""
    months = (
        people_in_scope(viewer=viewer, filters=TeamFilters())
        .filter(start_date__isnull=False)
        .dates("start_date", "month", order="DESC")
    )
    return FilterChoices(
        _team_choices(visibility.managed_subtree(viewer)), list(months)
    )


def _team_choices(teams: list[Team]) -> list[tuple[int, str]]:
    top = min((team.depth for team in teams), default=1)
    return [(team.pk, " " * (team.depth - top) + team.name) for team in teams]


def _cell(
    person: Person,
    step: PathStep,
    totals: dict[int, int],
    done: dict[tuple[int, int], int],
    now: dt.datetime,
    due_at: dt.datetime,
    *,
    assigned: bool,
) -> MatrixCell:
    total = totals.get(step.course_id, 0)
    got = min(done.get((person.pk, step.course_id), 0), total)
    if not assigned:
        state = NOT_ASSIGNED
    elif total and got >= total:
        state = DONE
    elif due_at < now:
        state = OVERDUE
    elif got:
        state = IN_PROGRESS
    else:
        state = NOT_STARTED
    return MatrixCell(step.course, state, got, total, due_at)


def _add_quizzes(rows: dict[int, PersonRow], ids: list[int]) -> None:
    """The quiz average: the mean over quizzes of the person's best graded percentage
    on each, so retakes that went better replace worse ones. One query."""
    bests: dict[int, dict[int | str, Decimal]] = defaultdict(dict)
    for user_id, quiz_id, title, percent in prepared.rows(_best_quiz_results, ids=ids):
        quiz: int | str = quiz_id if quiz_id is not None else f"title:{title}"
        known = bests[user_id].get(quiz)
        bests[user_id][quiz] = max(Decimal(percent), known or Decimal(percent))
    for user_id, by_quiz in bests.items():
        if user_id in rows:
            rows[user_id].quiz_average = (
                sum(by_quiz.values(), Decimal(0)) / len(by_quiz)
            ).quantize(Decimal("0.1"))


def _best_quiz_results(*, ids: list[int]) -> QuerySet[Any]:
    """(person, quiz, its title, best graded percentage) per quiz a person took."""
    # Practice attempts (see QuizAttempt.objects.counted) never raise the best.
    graded = Q(
        state__in=QuizAttempt.GRADED_STATES, percent__isnull=False, practice=False
    )
    # A quiz is its page; its title stands in only once the page is deleted (many
    # courses may call their quiz "Knowledge check").
    return (
        QuizAttempt.objects.filter(graded, AnyOf(F("user_id"), ids))
        .values("user_id", "quiz_id", "quiz_title")
        .annotate(best=Max("percent"))
        .order_by()
        .values_list("user_id", "quiz_id", "quiz_title", "best")
    )


def _add_certifications(
    rows: dict[int, PersonRow], ids: list[int], now: dt.datetime
) -> None:
    """Valid beats expiring beats expired: a person holding one valid certificate
    outside its renewal window counts as certified."""
    certificates = prepared.rows(_active_or_expired_certificates, ids=ids)
    for user_id, status, expires_at, window in certificates:
        if status == Certificate.Status.EXPIRED or (
            expires_at is not None and expires_at <= now
        ):
            state = CERT_EXPIRED
        elif expires_at is not None and expires_at <= now + dt.timedelta(days=window):
            state = CERT_EXPIRING
        else:
            state = CERT_VALID
        row = rows.get(user_id)
        if row is None:
            continue
        if row.certification == CERT_NONE or _cert_rank(state) > _cert_rank(
            row.certification
        ):
            row.certification = state
            row.certificate_expires_at = expires_at


def _active_or_expired_certificates(*, ids: list[int]) -> QuerySet[Any]:
    return Certificate.objects.filter(
        AnyOf(F("user_id"), ids),
        status__in=[Certificate.Status.ACTIVE, Certificate.Status.EXPIRED],
    ).values_list("user_id", "status", "expires_at", "program__renewal_window_days")


def _cert_rank(state: int) -> int:
    return {CERT_NONE: 0, CERT_EXPIRED: 1, CERT_EXPIRING: 2, CERT_VALID: 3}[state]
