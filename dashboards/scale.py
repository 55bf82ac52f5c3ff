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
from collections.abc import Iterable, Sequence
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
from lms.models import HomePage

PATH_TITLE = "Scale onboarding (60 lessons)"
COURSES, LESSONS_PER_COURSE, QUIZZES = 6, 10, 5
REPS_PER_TEAM, TEAMS_PER_REGION = 20, 10
ATTEMPTS_PER_REP, REVIEWS_PER_REP = 5, 2
ZONES = ["America/New_York", "Europe/Berlin", "UTC", "Asia/Singapore"]
SURNAMES = ["Adeyemi", "Weber", "Silva", "Kim", "Novak", "Okafor"]
CRITERIA = ["Agenda setting", "Questioning", "Listening", "Next steps"]


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
    home = HomePage.objects.get()
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
    leaf_teams: list[Team] = []
    # Teams are kept in name order: zero-padded numbers make each new team the last
    # of its siblings, so adding it never moves the teams already there (with
    # "region 10" before "region 2", 100,000 reps' teams took hours).
    r_width, t_width = len(str(regions_needed)), len(str(TEAMS_PER_REGION))
    for r in range(regions_needed):
        region = Team.add_root(name=f"Scale region {r + 1:0{r_width}d}")
        region.managers.add(managers[r])
        for t in range(TEAMS_PER_REGION):
            if len(leaf_teams) >= teams_needed:
                break
            region.refresh_from_db()
            leaf_teams.append(
                region.add_child(
                    name=f"Scale team {r + 1:0{r_width}d}.{t + 1:0{t_width}d}"
                )
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

    lesson_ids = [lesson.pk for lesson in lessons]
    lesson_titles = [lesson.title for lesson in lessons]
    total = len(lessons)
    last_offset = 5 * COURSES
    assignment_rows = []
    completion_rows: list[tuple[Any, ...]] = []
    finish_days: dict[int, float] = {}
    for person in people:
        started = dt.datetime.combine(
            start_of[person.pk], dt.time(9), tzinfo=zoneinfo.ZoneInfo(person.time_zone)
        )
        days_in = (today - start_of[person.pk]).days
        # Most reps finish in 15–40 days; one in 25 stalls part of the way.
        pace = rng.uniform(15, 40)
        finish_days[person.pk] = pace
        done = min(total, int(total * days_in / pace)) if days_in < pace else total
        if rng.random() < 0.04:
            done = rng.randint(0, done)
        for i in range(done):
            at = started + dt.timedelta(days=pace * (i + 1) / total)
            if at > now:
                at = now - dt.timedelta(minutes=total - i)
            completion_rows.append(
                (person.pk, lesson_ids[i], lesson_titles[i], "read", at)
            )
        completed_at = completion_rows[-1][4] if done == total else None
        assignment_rows.append(
            (
                person.pk,
                path.pk,
                "onboarding",
                started,
                _end_of_day(
                    start_of[person.pk] + dt.timedelta(days=last_offset),
                    person.time_zone,
                ),
                completed_at,
                total,
                done,
            )
        )
    write_rows(
        Assignment,
        [
            "user_id",
            "path_id",
            "reason",
            "assigned_at",
            "due_at",
            "completed_at",
            "required_total",
            "required_done",
        ],
        assignment_rows,
    )
    say(f"assignments: {len(assignment_rows)}")

    attempt_rows = []
    for person in people:
        started = dt.datetime.combine(start_of[person.pk], dt.time(14), tzinfo=dt.UTC)
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
    counts.completions = write_rows(
        LessonCompletion,
        ["user_id", "lesson_id", "lesson_title", "how", "completed_at"],
        completion_rows,
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
    write_rows(Take, ["id", "submission_id", "number", "created_at", "sent_at"], takes)
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
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts
