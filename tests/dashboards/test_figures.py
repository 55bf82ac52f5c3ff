from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from dashboards.team import (
    CERT_EXPIRED,
    CERT_EXPIRING,
    CERT_NONE,
    CERT_VALID,
    TeamFilters,
    team_view,
)
from tests.dashboards import history


def _rows(viewer, **filters):
    return {
        row.person.pk: row
        for row in team_view(viewer=viewer, filters=TeamFilters(**filters)).rows
    }


def test_it_averages_the_best_graded_attempt_of_each_quiz(org):
    history.quiz_attempt(org.rep_east, title="Discovery quiz", percent="50", number=1)
    history.quiz_attempt(org.rep_east, title="Discovery quiz", percent="90", number=2)
    history.quiz_attempt(org.rep_east, title="Demo quiz", percent="70")
    rows = _rows(org.east_manager)
    assert rows[org.rep_east.pk].quiz_average == Decimal("80.0")  # (90 + 70) / 2
    assert rows[org.rep_east2.pk].quiz_average is None


def test_it_leaves_practice_attempts_out_of_the_best_score(org):
    history.quiz_attempt(org.rep_east, title="Discovery quiz", percent="85", number=1)
    practice = history.quiz_attempt(
        org.rep_east, title="Discovery quiz", percent="100", number=2
    )
    practice.practice = True
    practice.save()
    assert _rows(org.east_manager)[org.rep_east.pk].quiz_average == Decimal("85.0")


def test_it_keeps_apart_two_quizzes_with_the_same_title(org, onboarding):
    from courses.quizzes.models import QuizPage

    first, second = (
        course.add_child(instance=QuizPage(title="Knowledge check", body=[]))
        for course in (onboarding.discovery, onboarding.demo)
    )
    history.quiz_attempt(
        org.rep_east, title="Knowledge check", percent="90", quiz=first
    )
    history.quiz_attempt(
        org.rep_east, title="Knowledge check", percent="50", quiz=second
    )
    # A deleted quiz still counts, under its title.
    history.quiz_attempt(org.rep_east, title="Knowledge check", percent="70")
    rows = _rows(org.east_manager)
    assert rows[org.rep_east.pk].quiz_average == Decimal("70.0")  # (90 + 50 + 70) / 3


def test_it_ignores_quiz_attempts_still_in_progress(org):
    attempt = history.quiz_attempt(org.rep_east, title="Demo quiz", percent="70")
    attempt.state = attempt.State.IN_PROGRESS
    attempt.save()
    assert _rows(org.east_manager)[org.rep_east.pk].quiz_average is None


def test_it_averages_submitted_coach_reviews_only(org):
    history.review(org.rep_east, org.east_coach, score="3.00")
    history.review(org.rep_east, org.east_coach, score="4.50")
    history.review(org.rep_east, org.east_coach, score="1.00", self_review=True)
    draft = history.review(org.rep_east, org.east_coach, score="1.00")
    draft.state = draft.State.DRAFT
    draft.save()
    assert _rows(org.east_manager)[org.rep_east.pk].coaching_average == Decimal("3.75")


def test_it_reads_certification_status(org):
    history.certificate(org.rep_east, expires_in_days=200)
    history.certificate(org.rep_east2, expires_in_days=10)
    history.certificate(org.east_coach, expires_in_days=-5, status="expired")
    rows = _rows(org.east_manager)
    assert rows[org.rep_east.pk].certification == CERT_VALID
    assert rows[org.rep_east2.pk].certification == CERT_EXPIRING
    assert rows[org.east_coach.pk].certification == CERT_EXPIRED
    assert _rows(org.emea_manager)[org.rep_north.pk].certification == CERT_NONE
    certified = _rows(org.east_manager, status="certified")
    assert set(certified) == {org.rep_east.pk, org.rep_east2.pk}
    assert set(_rows(org.east_manager, status="expiring")) == {org.rep_east2.pk}


def test_it_takes_last_activity_from_lessons_and_quizzes(org, onboarding):
    onboarding.assign(org.rep_east, started_days_ago=1)
    onboarding.complete(org.rep_east, onboarding.d1)
    completed = org.rep_east.lesson_completions.get().completed_at
    attempt = history.quiz_attempt(
        org.rep_east2, title="Demo quiz", percent="70", days_ago=3
    )
    rows = _rows(org.east_manager)
    assert rows[org.rep_east.pk].last_activity == completed
    assert rows[org.rep_east2.pk].last_activity == attempt.started_at
    assert rows[org.east_coach.pk].last_activity is None


def test_it_counts_an_overdue_course_assignment(org, onboarding):
    import datetime as dt

    from django.utils import timezone

    from courses.models import Assignment
    from courses.services import assignment_create

    assignment_create(
        user=org.rep_east,
        course=onboarding.demo,
        reason=Assignment.Reason.MANUAL,
        due_at=timezone.now() - dt.timedelta(days=1),
    )
    assert _rows(org.east_manager)[org.rep_east.pk].overdue == 1


def test_it_lists_a_course_assignment_falling_due_this_week(org, onboarding):
    import datetime as dt

    from django.utils import timezone

    from courses.models import Assignment
    from courses.services import assignment_create

    due = timezone.now() + dt.timedelta(days=3)
    assignment_create(
        user=org.rep_east,
        course=onboarding.demo,
        reason=Assignment.Reason.MANUAL,
        due_at=due,
    )
    assignment_create(
        user=org.rep_east2,
        course=onboarding.demo,
        reason=Assignment.Reason.MANUAL,
        due_at=timezone.now() + dt.timedelta(days=20),
    )
    rows = _rows(org.east_manager)
    assert rows[org.rep_east.pk].due_soon == [("Demo", due)]
    assert rows[org.rep_east.pk].overdue == 0
    assert rows[org.rep_east2.pk].due_soon == []


def test_it_shows_figures_on_the_page(client, org):
    history.quiz_attempt(org.rep_east, title="Discovery quiz", percent="85")
    history.review(org.rep_east, org.east_coach, score="4.25")
    history.certificate(org.rep_east, expires_in_days=200)
    client.force_login(org.east_manager)
    page = client.get(reverse("team_overview")).content.decode()
    assert "85.0%" in page
    assert "4.25" in page
    assert "Certified" in page


def test_it_uses_the_courses_rule_for_due_dates(org, onboarding):
    from courses.services import due_at_for

    org.rep_east.time_zone = "Asia/Tokyo"
    org.rep_east.save()
    onboarding.assign(org.rep_east, started_days_ago=3)
    view = team_view(viewer=org.east_manager, filters=TeamFilters(), with_cells=True)
    (row,) = [r for r in view.rows if r.person.pk == org.rep_east.pk]
    assert [cell.due_at for cell in row.cells] == [
        due_at_for(org.rep_east, 7),
        due_at_for(org.rep_east, 14),
    ]
