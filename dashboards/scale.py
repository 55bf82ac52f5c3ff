"""The scale data set behind `manage.py seed_scale` and bench/dashboard.py: reps in
regions of teams, a 60-lesson onboarding path, lesson completions, quiz attempts,
coaching reviews and certificates, written in bulk (COPY on PostgreSQL). Services are
bypassed for speed, so this module keeps the data consistent itself: each
assignment's required_total/required_done/completed_at agree with the completions
written, quiz completions exist only for passed attempts, review scores are the
weighted mean of their criterion levels."""

from __future__ import annotations

import datetime as dt
import random
import time
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from certificates.models import Certificate, CertificationProgram
from coaching.models import (
    CriterionScore,
    Review,
    Rubric,
    RubricCriterion,
    Submission,
    Take,
)
from courses.models import (
    Assignment,
    CourseIndexPage,
    CoursePage,
    LearningPath,
    LessonCompletion,
    LessonPage,
    PathStep,
)
from courses.quizzes.models import QuizAttempt, QuizPage
from lms.accounts.models import Team, User
from lms.lib import person_cache
from lms.models import HomePage
from lms.pages import in_source_language

PATH_TITLE = "Scale onboarding (60 lessons)"
COURSES, LESSONS_PER_COURSE, QUIZZES = 6, 10, 5
REPS_PER_TEAM, TEAMS_PER_REGION = 20, 10
ATTEMPTS_PER_REP, REVIEWS_PER_REP = 5, 2
ZONES = ["America/New_York", "Europe/Berlin", "UTC", "Asia/Singapore"]
SURNAMES = ["Adeyemi", "Weber", "Silva", "Kim", "Novak", "Okafor"]
CRITERIA = ["Agenda setting", "Questioning", "Listening", "Next steps"]
# The tables the seed fills with rows per rep (see _bulk_load).
BULK_LOADED: list[type[models.Model]] = [
    User,
    Assignment,
    LessonCompletion,
    QuizAttempt,
    Submission,
    Take,
    Review,
    CriterionScore,
    Certificate,
]


class AlreadySeeded(Exception):
    pass


@dataclass
class ScaleCounts:
    regions: int = 0
    teams: int = 0
    reps: int = 0
    completions: int = 0
    quiz_attempts: int = 0
    reviews: int = 0
    certificates: int = 0


def region_manager_email(region: int) -> str:
    return f"scale-manager-{region}@example.com"


def _table(model: type[models.Model]) -> str:
    return model._meta.db_table


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    columns = []
    for name in fields:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field) and field.column
        columns.append(field.column)
    return columns


def write_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert rows (values in `fields` order): COPY on PostgreSQL, bulk_create
    elsewhere. Returns how many were written."""
    count = 0
    if connection.vendor == "postgresql":
        columns = ", ".join(f'"{c}"' for c in _columns(model, fields))
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3
            with raw.copy(f'COPY "{_table(model)}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    batch: list[models.Model] = []
    for row in rows:
        batch.append(model(**dict(zip(fields, row, strict=True))))
        count += 1
        if len(batch) >= 2000:
            model.objects.bulk_create(batch)  # type: ignore[attr-defined]
            batch = []
    model.objects.bulk_create(batch)  # type: ignore[attr-defined]
    return count


def _next_id(model: type[models.Model]) -> int:
    top = model.objects.aggregate(top=models.Max("pk"))["top"]  # type: ignore[attr-defined]
    return (top or 0) + 1


def _reset_sequence(model: type[models.Model]) -> None:
    if connection.vendor != "postgresql":
        return
    table = _table(model)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
        )


@contextmanager
def _bulk_load(models_loaded: Sequence[type[models.Model]]) -> Iterator[None]:
    """Load these tables without their secondary indexes and foreign keys: on
    PostgreSQL, each row written would otherwise update every index and queue a
    deferred foreign-key check (a locking look-up per row at commit, most of the time
    of 100,000 reps). They are put back afterwards exactly as they were (index
    definitions and constraints read from the catalogue): each index built once by
    a sort, each foreign key checked once by a join over the whole table, all inside
    the seed's transaction. Elsewhere a no-op."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [_table(model) for model in models_loaded]
    with connection.cursor() as cursor:
        # Checks queued by earlier writes run now: a table with pending checks
        # cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, quote_ident(conname), "
            "pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) "
            "FROM pg_index WHERE indrelid = ANY(%s::regclass[]) "
            "AND NOT indisunique AND NOT indisprimary",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _ in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def _teams(regions_needed: int, teams_needed: int) -> tuple[list[Team], list[Team]]:
    """The regions and their teams (`TEAMS_PER_REGION` each until `teams_needed`),
    written in two bulk inserts with their tree paths: treebeard's add_child reads
    and rewrites its siblings for every team. Regions follow any root team already
    there; names are zero-padded, so the tree's order is also the names' order."""
    last_root = Team.get_last_root_node()
    first = last_root._get_lastpos_in_path() + 1 if last_root else 1
    r_width, t_width = len(str(regions_needed)), len(str(TEAMS_PER_REGION))
    regions, leaves = [], []
    for r in range(regions_needed):
        children = min(TEAMS_PER_REGION, teams_needed - r * TEAMS_PER_REGION)
        region = Team(
            name=f"Scale region {r + 1:0{r_width}d}",
            path=Team._get_path(None, 1, first + r),
            depth=1,
            numchild=children,
        )
        regions.append(region)
        leaves += [
            Team(
                name=f"Scale team {r + 1:0{r_width}d}.{t + 1:0{t_width}d}",
                path=Team._get_path(region.path, 2, t + 1),
                depth=2,
                numchild=0,
            )
            for t in range(children)
        ]
    return Team.objects.bulk_create(regions), Team.objects.bulk_create(leaves)


@dataclass(frozen=True, slots=True)
class Onboarding:
    """One rep's way through the path: `done` lessons in order, one every
    `pace_days` / 60 days from `started`."""

    user_id: int
    started: dt.datetime
    pace_days: float
    done: int
    due_at: dt.datetime

    def completed_at(self, lesson_number: int, total: int, now: dt.datetime) -> Any:
        """When the rep completed lesson `lesson_number` (from 1): on pace, or in the
        last minutes before `now` if the pace would put it in the future."""
        at = self.started + dt.timedelta(
            seconds=self.pace_days * 86400 * lesson_number / total
        )
        return now - dt.timedelta(minutes=total - lesson_number + 1) if at > now else at


# Onboarding.completed_at in SQL, for lesson number `{n}` of the rep `o`.
_COMPLETED_AT_SQL = (
    "CASE WHEN {at} > %(now)s "
    "THEN %(now)s - make_interval(mins => (%(total)s - {n} + 1)::int) ELSE {at} END"
)
_AT_SQL = "o.started + make_interval(secs => o.pace_days * 86400 * {n} / %(total)s)"
COMPLETION_FIELDS = ["user_id", "lesson_id", "lesson_title", "how", "completed_at"]
ASSIGNMENT_FIELDS = [
    "user_id",
    "path_id",
    "reason",
    "assigned_at",
    "due_at",
    "completed_at",
    "required_total",
    "required_done",
]


def _completed_at_sql(n: str) -> str:
    return _COMPLETED_AT_SQL.format(at=_AT_SQL.format(n=n), n=n)


def _write_onboarding(
    onboarding: Sequence[Onboarding],
    *,
    path: LearningPath,
    lessons: Sequence[LessonPage],
    now: dt.datetime,
) -> int:
    """Each rep's onboarding assignment and the path lessons they completed, whose
    count and last completion the assignment repeats. On PostgreSQL the completions
    (about 58 per rep) are generated by the database from one row per rep, not sent
    row by row. Returns how many completions were written."""
    total = len(lessons)
    if connection.vendor != "postgresql":
        write_rows(
            Assignment,
            ASSIGNMENT_FIELDS,
            (
                (
                    *(o.user_id, path.pk, "onboarding", o.started, o.due_at),
                    o.completed_at(total, total, now) if o.done == total else None,
                    *(total, o.done),
                )
                for o in onboarding
            ),
        )
        return write_rows(
            LessonCompletion,
            COMPLETION_FIELDS,
            (
                (
                    o.user_id,
                    lesson.pk,
                    lesson.title,
                    "read",
                    o.completed_at(n, total, now),
                )
                for o in onboarding
                for n, lesson in enumerate(lessons[: o.done], start=1)
            ),
        )
    reps = (
        "unnest(%(user_id)s::int[], %(started)s::timestamptz[], "
        "%(pace_days)s::float8[], %(done)s::int[], %(due_at)s::timestamptz[]) "
        "AS o(user_id, started, pace_days, done, due_at)"
    )
    params = {
        "user_id": [o.user_id for o in onboarding],
        "started": [o.started for o in onboarding],
        "pace_days": [o.pace_days for o in onboarding],
        "done": [o.done for o in onboarding],
        "due_at": [o.due_at for o in onboarding],
        "lesson_id": [lesson.pk for lesson in lessons],
        "lesson_title": [lesson.title for lesson in lessons],
        "path_id": path.pk,
        "total": total,
        "now": now,
    }
    columns = ", ".join(f'"{c}"' for c in _columns(Assignment, ASSIGNMENT_FIELDS))
    completed = _completed_at_sql("%(total)s")
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{_table(Assignment)}" ({columns}) '
            f"SELECT o.user_id, %(path_id)s, 'onboarding', o.started, o.due_at, "
            f"CASE WHEN o.done = %(total)s THEN {completed} END, "
            f"%(total)s, o.done FROM {reps}",
            params,
        )
        columns = ", ".join(
            f'"{c}"' for c in _columns(LessonCompletion, COMPLETION_FIELDS)
        )
        cursor.execute(
            f'INSERT INTO "{_table(LessonCompletion)}" ({columns}) '
            f"SELECT o.user_id, l.lesson_id, l.lesson_title, 'read', "
            f"{_completed_at_sql('l.n')} FROM {reps} "
            "JOIN unnest(%(lesson_id)s::int[], %(lesson_title)s::text[]) "
            "WITH ORDINALITY AS l(lesson_id, lesson_title, n) ON l.n <= o.done",
            params,
        )
        return int(cursor.rowcount)


def _end_of_day(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zoneinfo.ZoneInfo(zone))


def _content() -> tuple[
    LearningPath,
    list[LessonPage],
    list[QuizPage],
    Rubric,
    list[RubricCriterion],
    CertificationProgram,
]:
    home = in_source_language(HomePage.objects.all()).get()
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=CourseIndexPage(title="Courses", slug="courses")
        )
    lessons: list[LessonPage] = []
    path = LearningPath(title=PATH_TITLE, description="Scale benchmark data.")
    for c in range(COURSES):
        course = index.add_child(
            instance=CoursePage(
                title=f"Scale course {c + 1}",
                slug=f"scale-course-{c + 1}",
                summary="Benchmark course.",
            )
        )
        for n in range(LESSONS_PER_COURSE):
            lessons.append(
                course.add_child(
                    instance=LessonPage(
                        title=f"Scale lesson {c + 1}.{n + 1}",
                        body=[("paragraph", "<p>Benchmark lesson.</p>")],
                    )
                )
            )
        path.steps.add(
            PathStep(course=course, due_offset_days=5 * (c + 1), sort_order=c)
        )
    path.save()
    quiz_course = index.add_child(
        instance=CoursePage(
            title="Scale quizzes", slug="scale-quizzes", summary="Quizzes."
        )
    )
    quizzes = [
        quiz_course.add_child(instance=QuizPage(title=f"Scale quiz {q + 1}", body=[]))
        for q in range(QUIZZES)
    ]
    rubric = Rubric.objects.create(
        name="Scale call review", pass_threshold=Decimal("3.00")
    )
    criteria = [
        RubricCriterion.objects.create(
            rubric=rubric,
            name=name,
            weight=25,
            sort_order=i,
            level_1="Poor",
            level_2="Weak",
            level_3="Fair",
            level_4="Good",
            level_5="Great",
        )
        for i, name in enumerate(CRITERIA)
    ]
    program = CertificationProgram.objects.create(
        title="Certified Scale Seller", validity_months=12, renewal_window_days=30
    )
    return path, lessons, quizzes, rubric, criteria, program


@transaction.atomic
def seed_scale(*, reps: int = 10_000, seed: int = 8, out: Any = None) -> ScaleCounts:
    """Create the scale data set for benchmarks (operators run it through
    `manage.py seed_scale`). Refuses to run twice on the same database."""
    if LearningPath.objects.filter(title=PATH_TITLE).exists():
        raise AlreadySeeded("The scale data set is already in this database.")
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    counts = ScaleCounts()

    began = time.monotonic()

    def say(message: str) -> None:
        if out is not None:
            out.write(f"{time.monotonic() - began:6.1f} s  {message}")

    path, lessons, quizzes, rubric, criteria, program = _content()
    say("content: 1 path, 60 lessons, 5 quizzes")

    with _bulk_load(BULK_LOADED):
        teams_needed = max(1, -(-reps // REPS_PER_TEAM))
        regions_needed = max(1, -(-teams_needed // TEAMS_PER_REGION))
        password = "!unusable-scale-password"
        managers = User.objects.bulk_create(
            [
                User(
                    email=region_manager_email(r + 1),
                    full_name=f"Scale Manager {r + 1}",
                    password=password,
                    time_zone="UTC",
                    start_date=today - dt.timedelta(days=900),
                )
                for r in range(regions_needed)
            ]
        )
        regions, leaf_teams = _teams(regions_needed, teams_needed)
        Team.managers.through.objects.bulk_create(
            [
                Team.managers.through(team_id=region.pk, user_id=manager.pk)
                for region, manager in zip(regions, managers, strict=True)
            ]
        )
        counts.regions, counts.teams = regions_needed, len(leaf_teams)
        coaches = User.objects.bulk_create(
            [
                User(
                    email=f"scale-coach-{r + 1}@example.com",
                    full_name=f"Scale Coach {r + 1}",
                    password=password,
                    time_zone="UTC",
                )
                for r in range(regions_needed)
            ]
        )
        Team.coaches.through.objects.bulk_create(
            [
                Team.coaches.through(
                    team_id=team.pk, user_id=coaches[i // TEAMS_PER_REGION].pk
                )
                for i, team in enumerate(leaf_teams)
            ]
        )
        say(f"teams: {counts.teams} in {counts.regions} regions")

        people = User.objects.bulk_create(
            [
                User(
                    email=f"scale-rep-{n + 1}@example.com",
                    full_name=f"Rep {n + 1:05d} {rng.choice(SURNAMES)}",
                    password=password,
                    time_zone=rng.choice(ZONES),
                    start_date=today - dt.timedelta(days=rng.randint(0, 365)),
                    date_joined=now,
                    team_id=leaf_teams[n // REPS_PER_TEAM].pk,
                )
                for n in range(reps)
            ],
            batch_size=2000,
        )
        counts.reps = len(people)
        start_of: dict[int, dt.date] = {p.pk: p.start_date or today for p in people}
        say(f"reps: {counts.reps}")

        total = len(lessons)
        last_offset = 5 * COURSES
        onboarding = []
        for person in people:
            started = dt.datetime.combine(
                start_of[person.pk],
                dt.time(9),
                tzinfo=zoneinfo.ZoneInfo(person.time_zone),
            )
            days_in = (today - start_of[person.pk]).days
            # Most reps finish in 15–40 days; one in 25 stalls part of the way.
            pace = rng.uniform(15, 40)
            done = min(total, int(total * days_in / pace)) if days_in < pace else total
            if rng.random() < 0.04:
                done = rng.randint(0, done)
            due_day = start_of[person.pk] + dt.timedelta(days=last_offset)
            onboarding.append(
                Onboarding(
                    user_id=person.pk,
                    started=started.astimezone(dt.UTC),
                    pace_days=pace,
                    done=done,
                    due_at=_end_of_day(due_day, person.time_zone),
                )
            )
        onboarding_completions = _write_onboarding(
            onboarding, path=path, lessons=lessons, now=now
        )
        del onboarding
        say(f"onboarding: {counts.reps}, {onboarding_completions} lessons done")

        attempt_rows = []
        completion_rows: list[tuple[Any, ...]] = []  # of the quizzes passed
        for person in people:
            started = dt.datetime.combine(
                start_of[person.pk], dt.time(14), tzinfo=dt.UTC
            )
            for q in range(ATTEMPTS_PER_REP):
                quiz = quizzes[q % len(quizzes)]
                number = 1
                at = min(
                    now - dt.timedelta(hours=1), started + dt.timedelta(days=3 + 4 * q)
                )
                percent = Decimal(rng.randint(45, 100))
                passed = percent >= 80
                attempt_rows.append(
                    (
                        quiz.pk,
                        quiz.title,
                        person.pk,
                        number,
                        "submitted",
                        at,
                        at + dt.timedelta(minutes=12),
                        percent,
                        Decimal(100),
                        percent,
                        passed,
                        80,
                        False,  # not practice
                    )
                )
                if passed:
                    completion_rows.append(
                        (
                            person.pk,
                            quiz.pk,
                            quiz.title,
                            "quiz",
                            at + dt.timedelta(minutes=12),
                        )
                    )
        counts.quiz_attempts = write_rows(
            QuizAttempt,
            [
                "quiz_id",
                "quiz_title",
                "user_id",
                "number",
                "state",
                "started_at",
                "closed_at",
                "score",
                "max_score",
                "percent",
                "passed",
                "pass_mark_percent",
                "practice",
            ],
            attempt_rows,
        )
        del attempt_rows
        say(f"quiz attempts: {counts.quiz_attempts}")
        counts.completions = onboarding_completions + write_rows(
            LessonCompletion, COMPLETION_FIELDS, completion_rows
        )
        del completion_rows
        say(f"lesson completions: {counts.completions}")

        submission_id, take_id, review_id = (
            _next_id(Submission),
            _next_id(Take),
            _next_id(Review),
        )
        submissions, takes, reviews, scores = [], [], [], []
        review_average: dict[int, list[Decimal]] = {}
        team_position = {team.pk: i for i, team in enumerate(leaf_teams)}
        for person in people:
            coach_pk = coaches[team_position[person.team_id] // TEAMS_PER_REGION].pk
            for r in range(REVIEWS_PER_REP):
                requested = min(
                    now - dt.timedelta(days=2),
                    dt.datetime.combine(start_of[person.pk], dt.time(10), tzinfo=dt.UTC)
                    + dt.timedelta(days=7 + 10 * r),
                )
                submitted = requested + dt.timedelta(hours=rng.randint(2, 96))
                levels = [rng.randint(2, 5) for _ in CRITERIA]
                score = (Decimal(sum(levels)) / len(levels)).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                )
                outcome = "approved" if score >= 3 else "resubmit"
                submissions.append(
                    (
                        submission_id,
                        "call",
                        person.pk,
                        f"Discovery call {r + 1}",
                        rubric.pk,
                        "discovery",
                        "",
                        "reviewed",
                        outcome,
                        requested,
                        requested,
                        requested + dt.timedelta(hours=48),
                    )
                )
                takes.append((take_id, submission_id, 1, requested, requested))
                reviews.append(
                    (
                        review_id,
                        take_id,
                        coach_pk,
                        False,
                        "submitted",
                        "Benchmark review.",
                        outcome,
                        score,
                        score >= 3,
                        requested,
                        submitted,
                    )
                )
                for criterion, level in zip(criteria, levels, strict=True):
                    scores.append((review_id, criterion.pk, level))
                review_average.setdefault(person.pk, []).append(score)
                submission_id, take_id, review_id = (
                    submission_id + 1,
                    take_id + 1,
                    review_id + 1,
                )
        write_rows(
            Submission,
            [
                "id",
                "kind",
                "rep_id",
                "title",
                "rubric_id",
                "deal_stage",
                "feedback_wanted",
                "state",
                "outcome",
                "created_at",
                "requested_at",
                "due_at",
            ],
            submissions,
        )
        write_rows(
            Take, ["id", "submission_id", "number", "created_at", "sent_at"], takes
        )
        counts.reviews = write_rows(
            Review,
            [
                "id",
                "take_id",
                "reviewer_id",
                "is_self_review",
                "state",
                "summary",
                "outcome",
                "score",
                "passed",
                "started_at",
                "submitted_at",
            ],
            reviews,
        )
        write_rows(CriterionScore, ["review_id", "criterion_id", "level"], scores)
        for model in (Submission, Take, Review):
            _reset_sequence(model)
        del submissions, takes, reviews, scores
        say(f"reviews: {counts.reviews}")

        certificate_rows = []
        for person in people:
            averages = review_average.get(person.pk, [])
            if start_of[person.pk] > today - dt.timedelta(days=60) or not averages:
                continue
            if sum(averages) / len(averages) < Decimal("3.25") or rng.random() < 0.3:
                continue
            issued = dt.datetime.combine(
                start_of[person.pk], dt.time(12), tzinfo=dt.UTC
            ) + dt.timedelta(days=50)
            expires = issued + dt.timedelta(days=365)
            status = "active" if expires > now else "expired"
            certificate_rows.append(
                (
                    program.pk,
                    person.pk,
                    1,
                    f"SCALE-{person.pk:08d}",
                    f"scale-{person.pk}-{rng.getrandbits(64):016x}",
                    status,
                    person.full_name,
                    program.title,
                    issued,
                    expires,
                    "",
                    "",
                    "",
                )
            )
        counts.certificates = write_rows(
            Certificate,
            [
                "program_id",
                "user_id",
                "cycle",
                "serial",
                "verification_code",
                "status",
                "holder_name",
                "program_title",
                "issued_at",
                "expires_at",
                "issue_reason",
                "revoked_reason",
                "pdf",
            ],
            certificate_rows,
        )
        say(f"certificates: {counts.certificates}")
    person_cache.everyone_changed()
    return counts
