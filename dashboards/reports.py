"""Reports for enablement admins: how much assigned training gets completed (per
course, path and campaign), how fast each coach reviews against the turnaround target
(settings.COACHING_TURNAROUND_HOURS), and the quizzes with attempts, linked to their
item analysis. A fixed number of queries."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q

from coaching.models import Review
from courses.models import OPEN_ASSIGNMENT, Assignment
from courses.quizzes.models import QuizAttempt, QuizPage
from lms.lib import clock

TURNAROUND_WINDOW_DAYS = 90


@dataclass(frozen=True)
class CompletionRate:
    title: str
    assigned: int
    completed: int
    overdue: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.completed / self.assigned) if self.assigned else None


@dataclass(frozen=True)
class CoachTurnaround:
    name: str
    reviews: int
    median_hours: float
    within_target: int

    @property
    def within_percent(self) -> int:
        return round(100 * self.within_target / self.reviews) if self.reviews else 0


@dataclass(frozen=True)
class QuizLine:
    quiz: QuizPage
    attempts: int
    passed: int


@dataclass(frozen=True)
class AdminReports:
    courses: list[CompletionRate]
    paths: list[CompletionRate]
    campaigns: list[CompletionRate]
    coaches: list[CoachTurnaround]
    target_hours: int
    quizzes: list[QuizLine]


def _rates(group: str, title: str, now: dt.datetime) -> list[CompletionRate]:
    rows = (
        Assignment.objects.current()
        .filter(**{f"{group}__isnull": False})
        .values(group, title)
        .annotate(
            assigned=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            overdue=Count("pk", filter=OPEN_ASSIGNMENT & Q(due_at__lt=now)),
        )
        .order_by(title)
    )
    return [
        CompletionRate(row[title], row["assigned"], row["completed"], row["overdue"])
        for row in rows
    ]


def admin_reports(*, now: dt.datetime | None = None) -> AdminReports:
    """Everything on the enablement admins' report page."""
    now = now or clock.now()
    target = int(settings.COACHING_TURNAROUND_HOURS)
    hours: dict[tuple[int, str], list[float]] = defaultdict(list)
    reviews = (
        Review.objects.by_coaches()
        .submitted()
        .filter(
            submitted_at__gte=now - dt.timedelta(days=TURNAROUND_WINDOW_DAYS),
            take__sent_at__isnull=False,
        )
        .values_list(
            "reviewer_id", "reviewer__full_name", "take__sent_at", "submitted_at"
        )
    )
    for reviewer_id, name, sent_at, submitted_at in reviews:
        if sent_at is not None and submitted_at is not None:
            spent = (submitted_at - sent_at).total_seconds() / 3600
            hours[(reviewer_id, name)].append(spent)
    coaches = sorted(
        (
            CoachTurnaround(
                name,
                len(spent),
                round(statistics.median(spent), 1),
                sum(1 for h in spent if h <= target),
            )
            for (_pk, name), spent in hours.items()
        ),
        key=lambda coach: (-coach.median_hours, coach.name),
    )
    attempts = {
        quiz_id: (n, passed)
        for quiz_id, n, passed in QuizAttempt.objects.filter(
            quiz__isnull=False, practice=False
        )
        .exclude(state=QuizAttempt.State.IN_PROGRESS)
        .values("quiz_id")
        .annotate(n=Count("pk"), passed=Count("pk", filter=Q(passed=True)))
        .order_by()
        .values_list("quiz_id", "n", "passed")
    }
    quizzes = [
        QuizLine(quiz, *attempts.get(quiz.pk, (0, 0)))
        for quiz in QuizPage.objects.filter(pk__in=list(attempts)).order_by("title")
    ]
    return AdminReports(
        courses=_rates("course", "course__title", now),
        paths=_rates("path", "path__title", now),
        campaigns=_rates("campaign", "campaign__title", now),
        coaches=coaches,
        target_hours=target,
        quizzes=quizzes,
    )
