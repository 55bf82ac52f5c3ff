"""Assignments: paths with due dates and locks, rules, bulk assignment, progress."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from courses import services
from courses.models import Assignment, LessonPage, PathRule
from courses.quizzes.models import QuizPage
from courses.selectors import my_learning
from lms.lib import person_cache

pytestmark = pytest.mark.django_db


def _assign(user, path):
    return services.assignment_create(user=user, path=path, reason="onboarding")[0]


@pytest.mark.parametrize(
    ("zone", "start", "days", "expected_utc"),
    [
        # New York leaves standard time on 8 March 2026: 23:59:59 is then UTC-4.
        (
            "America/New_York",
            dt.date(2026, 3, 1),
            5,
            dt.datetime(2026, 3, 7, 4, 59, 59, tzinfo=dt.UTC),
        ),
        (
            "America/New_York",
            dt.date(2026, 3, 1),
            14,
            dt.datetime(2026, 3, 16, 3, 59, 59, tzinfo=dt.UTC),
        ),
        (
            "Europe/Berlin",
            dt.date(2026, 10, 20),
            14,
            dt.datetime(2026, 11, 3, 22, 59, 59, tzinfo=dt.UTC),
        ),
        (
            "Asia/Tokyo",
            dt.date(2026, 1, 1),
            0,
            dt.datetime(2026, 1, 1, 14, 59, 59, tzinfo=dt.UTC),
        ),
    ],
)
def test_it_makes_steps_due_at_the_end_of_the_reps_own_day(
    user_factory, zone, start, days, expected_utc
):
    rep = user_factory(time_zone=zone, start_date=start)
    due = services.due_at_for(rep, days)
    assert due == expected_utc
    assert due.astimezone(zoneinfo.ZoneInfo(zone)).date() == start + dt.timedelta(days)


def test_it_assigns_a_path_once_and_dates_it_by_its_last_step(org, path_with_steps):
    first, created = services.assignment_create(
        user=org.rep_east, path=path_with_steps, reason="onboarding"
    )
    again, created_again = services.assignment_create(
        user=org.rep_east, path=path_with_steps, reason="onboarding"
    )
    assert (created, created_again) == (True, False)
    assert again == first
    assert first.due_at == services.due_at_for(org.rep_east, 14)
    assert (first.required_total, first.required_done) == (4, 0)


def test_it_assigns_paths_by_team_rules_when_a_rep_joins_or_moves(
    org, path_with_steps, django_capture_on_commit_callbacks
):
    from lms.accounts.services import user_move_to_team
    from tests.factories import UserFactory

    PathRule.objects.create(path=path_with_steps, team=org.emea)
    newcomer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        user_move_to_team(user=newcomer, team=org.north)  # below EMEA: the rule applies
    with django_capture_on_commit_callbacks(execute=True):
        user_move_to_team(user=org.rep_east, team=org.west)  # no rule there
    assert list(Assignment.objects.values_list("user", "reason")) == [
        (newcomer.pk, "onboarding")
    ]


def test_it_moves_progress_with_each_completion_in_a_fixed_number_of_queries(
    org, catalogue, path_with_steps
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.models import LearningPath, PathStep

    _assign(org.rep_east, path_with_steps)
    services.assignment_create(
        user=org.rep_east, course=catalogue.course, reason="manual"
    )
    with CaptureQueriesContext(connection) as with_two:
        services.lesson_complete(user=org.rep_east, lesson=catalogue.intro, how="read")
    for n in range(3):  # three more assignments covering the same course
        extra = LearningPath(title=f"Extra {n}")
        extra.steps.add(PathStep(course=catalogue.course, due_offset_days=3))
        extra.save()
        _assign(org.rep_east, extra)
    with CaptureQueriesContext(connection) as with_five:
        services.lesson_complete(
            user=org.rep_east, lesson=catalogue.wrap_up, how="read"
        )

    assert len(with_five.captured_queries) == len(with_two.captured_queries)
    done = Assignment.objects.filter(user=org.rep_east).values_list(
        "required_done", flat=True
    )
    assert list(done) == [2] * 5  # later ones counted the intro when made


def test_it_completes_an_assignment_with_its_last_required_lesson(org, catalogue):
    assignment, _ = services.assignment_create(
        user=org.rep_east, course=catalogue.course, reason="manual"
    )
    for lesson in (catalogue.intro, catalogue.video_lesson, catalogue.wrap_up):
        services.lesson_complete(user=org.rep_east, lesson=lesson, how="read")
    assignment.refresh_from_db()
    assert assignment.completed_at is not None
    assert assignment.status == "completed"


def test_it_keeps_a_locked_step_closed_until_the_previous_one_is_done(
    client, org, catalogue, path_with_steps
):
    _assign(org.rep_east, path_with_steps)
    client.force_login(org.rep_east)
    locked_lesson = path_with_steps.second_lesson
    page = client.get(locked_lesson.url)
    assert "This step is locked" in page.content.decode()
    refused = client.post(reverse("lesson_mark_read", args=[locked_lesson.pk]))
    assert refused.status_code == 403

    state = my_learning(user=org.rep_east).open[0]
    assert "Opens when you complete “Discovery calls”" in state.steps[1].lock_reason
    for lesson in (catalogue.intro, catalogue.video_lesson, catalogue.wrap_up):
        services.lesson_complete(user=org.rep_east, lesson=lesson, how="read")

    assert (
        client.post(reverse("lesson_mark_read", args=[locked_lesson.pk])).status_code
        == 302
    )
    assert my_learning(user=org.rep_east).open == []  # the path is complete


def test_it_offers_one_continue_button_to_the_next_thing_to_do(
    client, org, catalogue, path_with_steps
):
    _assign(org.rep_east, path_with_steps)
    services.lesson_complete(user=org.rep_east, lesson=catalogue.intro, how="read")
    client.force_login(org.rep_east)
    page = client.get(reverse("my_learning"))
    assert page.context["learning"].continue_lesson == catalogue.video_lesson
    assert "Continue: Watch a call" in page.content.decode()


def test_it_renders_my_learning_in_a_constant_number_of_queries(
    client, org, catalogue, path_with_steps
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.models import LearningPath, PathStep

    client.force_login(org.rep_east)
    _assign(org.rep_east, path_with_steps)
    client.get(reverse("my_learning"))  # warm Wagtail's site cache
    # Both counts are of the state read again, not of the person's cached state.
    person_cache.everyone_changed()
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("my_learning"))
    for n in range(4):
        extra = LearningPath(title=f"Extra {n}")
        extra.steps.add(PathStep(course=catalogue.course, due_offset_days=3))
        extra.steps.add(
            PathStep(course=path_with_steps.second_course, due_offset_days=9)
        )
        extra.save()
        _assign(org.rep_east, extra)
        services.assignment_create(
            user=org.rep_west, path=extra, reason="manual"
        )  # someone else's: not shown
    person_cache.everyone_changed()
    with CaptureQueriesContext(connection) as five:
        page = client.get(reverse("my_learning"))
    assert len(page.context["learning"].open) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


def test_it_keeps_an_unassigned_assignment_in_the_history(org, path_with_steps):
    assignment = _assign(org.rep_east, path_with_steps)
    services.assignment_unassign(assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.unassigned_at is not None
    assert my_learning(user=org.rep_east).open == []
    again, created = services.assignment_create(
        user=org.rep_east, path=path_with_steps, reason="manual"
    )
    assert created and again.pk != assignment.pk


@pytest.mark.parametrize("step_class", [LessonPage, QuizPage])
def test_it_recounts_open_assignments_when_a_step_is_published_or_unpublished(
    org, catalogue, django_capture_on_commit_callbacks, step_class
):
    assignment, _ = services.assignment_create(
        user=org.rep_east, course=catalogue.course, reason="manual"
    )
    with django_capture_on_commit_callbacks(execute=True):
        step = catalogue.course.add_child(
            instance=step_class(
                title="New", body=[("paragraph", "<p>x</p>")], live=False
            )
        )
        step.save_revision().publish()
    assignment.refresh_from_db()
    assert assignment.required_total == 4

    step.refresh_from_db()  # live since its revision was published
    with django_capture_on_commit_callbacks(execute=True):
        step.unpublish()
    assignment.refresh_from_db()
    assert assignment.required_total == 3


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("rep_east", 403), ("east_coach", 403), ("east_manager", 302), ("admin", 302)],
)
def test_it_lets_managers_assign_in_bulk_to_their_own_people(
    client, org, path_with_steps, viewer, status
):
    client.force_login(org[viewer])
    response = client.post(
        reverse("assignment_new"),
        {"path": path_with_steps.pk, "people": [org.rep_east.pk, org.rep_east2.pk]},
    )
    assert response.status_code == status
    expected = 2 if status == 302 else 0
    assert Assignment.objects.filter(reason="manual").count() == expected


def test_it_returns_to_the_page_the_assigning_started_from(
    client, org, path_with_steps
):
    client.force_login(org.east_manager)
    person_page = reverse("person_learning", args=[org.rep_east.pk])
    response = client.post(
        reverse("assignment_new"),
        {"path": path_with_steps.pk, "people": [org.rep_east.pk], "next": person_page},
    )
    assert response.status_code == 302
    assert response.url == person_page


def test_it_refuses_to_assign_to_another_teams_people(client, org, path_with_steps):
    client.force_login(org.east_manager)
    response = client.post(
        reverse("assignment_new"),
        {"path": path_with_steps.pk, "people": [org.rep_north.pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["people"]
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("rep_east", 200),
        ("east_manager", 200),
        ("emea_manager", 404),
        ("rep_west", 404),
    ],
)
def test_it_shows_a_persons_training_only_to_those_who_may_see_it(
    client, org, path_with_steps, viewer, status
):
    _assign(org.rep_east, path_with_steps)
    client.force_login(org[viewer])
    assert (
        client.get(reverse("person_learning", args=[org.rep_east.pk])).status_code
        == status
    )


def test_it_puts_the_next_thing_to_do_on_the_reps_start_page(
    client, org, path_with_steps
):
    _assign(org.rep_east, path_with_steps)
    client.force_login(org.rep_east)
    page = client.get("/").content.decode()
    assert "Continue: Why discovery" in page
    assert "First 30 days" in page


def test_it_sends_anonymous_visitors_from_my_learning_to_sign_in(client):
    for url in (reverse("my_learning"), reverse("assignment_new")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_it_never_withdraws_completed_training(client, org, catalogue):
    assignment, _ = services.assignment_create(
        user=org.rep_east, course=catalogue.course, reason="manual"
    )
    for lesson in (catalogue.intro, catalogue.video_lesson, catalogue.wrap_up):
        services.lesson_complete(user=org.rep_east, lesson=lesson, how="read")
    client.force_login(org.east_manager)
    url = reverse("assignment_unassign", args=[assignment.pk])
    assert client.post(url).status_code == 404
    assignment.refresh_from_db()
    assert assignment.unassigned_at is None
    assert my_learning(user=org.rep_east).completed == [assignment]
