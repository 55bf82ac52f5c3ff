from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import Review
from courses.models import Assignment
from courses.services import assignment_create
from dashboards.reports import admin_reports
from tests.dashboards import history


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("rep_east", 403), ("east_coach", 403), ("east_manager", 403), ("admin", 200)],
)
def test_it_opens_reports_to_enablement_admins_only(client, org, viewer, status):
    client.force_login(org[viewer])
    assert client.get(reverse("admin_reports")).status_code == status


def test_it_computes_completion_rates_per_course_and_path(org, onboarding):
    onboarding.assign(org.rep_east, started_days_ago=20)
    onboarding.complete(org.rep_east, onboarding.d1, onboarding.d2, onboarding.m1)
    onboarding.assign(org.rep_east2, started_days_ago=20)
    assignment_create(
        user=org.rep_west,
        course=onboarding.demo,
        reason=Assignment.Reason.MANUAL,
        due_at=timezone.now() - dt.timedelta(days=1),
    )
    reports = admin_reports()
    (path,) = reports.paths
    assert (path.title, path.assigned, path.completed, path.overdue) == (
        "First 30 days",
        2,
        1,
        1,
    )
    assert path.percent == 50
    (course,) = reports.courses
    assert (course.title, course.assigned, course.completed, course.overdue) == (
        "Demo",
        1,
        0,
        1,
    )


def test_it_measures_coach_turnaround_against_the_target(org, settings):
    settings.COACHING_TURNAROUND_HOURS = 48
    fast = history.review(org.rep_east, org.east_coach, score="4.00")
    slow = history.review(org.rep_east2, org.east_coach, score="4.00")
    for review, hours in ((fast, 10), (slow, 60)):
        Review.objects.filter(pk=review.pk).update(
            submitted_at=review.take.sent_at + dt.timedelta(hours=hours)
        )
    history.review(org.rep_east, org.east_coach, score="2.00", self_review=True)
    reports = admin_reports()
    (coach,) = reports.coaches
    assert (coach.name, coach.reviews, coach.median_hours, coach.within_target) == (
        "Cora Coach",
        2,
        35.0,
        1,
    )
    assert reports.target_hours == 48


def test_it_links_attempted_quizzes_to_their_item_analysis(client, org, onboarding):
    from courses.quizzes.models import QuizPage

    quiz = onboarding.discovery.add_child(
        instance=QuizPage(title="Discovery quiz", body=[])
    )
    attempt = history.quiz_attempt(org.rep_east, title="Discovery quiz", percent="90")
    attempt.quiz = quiz
    attempt.save()
    client.force_login(org.admin)
    page = client.get(reverse("admin_reports")).content.decode()
    assert reverse("quizzes_item_analysis", args=[quiz.pk]) in page
