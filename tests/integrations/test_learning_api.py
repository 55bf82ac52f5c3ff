from __future__ import annotations

import pytest

from courses.models import Assignment, LessonCompletion
from courses.quizzes.models import QuizAttempt
from courses.services import assignment_create, lesson_complete

ASSIGN = "/api/v1/assignments/"


def test_courses_and_paths_need_learning_read(org, catalogue, api_as):
    api = api_as(org.east_manager, ["learning:read"])
    courses = api.get("/api/v1/courses/").json()["results"]
    assert [c["title"] for c in courses] == ["Discovery calls", "Demo skills"]
    assert courses[0]["url"].endswith("/courses/discovery-calls/")
    path = api.get("/api/v1/paths/").json()["results"][0]
    assert [s["course_title"] for s in path["steps"]] == [
        "Discovery calls",
        "Demo skills",
    ]
    assert (
        api_as(org.east_manager, ["people:read"]).get("/api/v1/courses/").status_code
        == 403
    )


@pytest.mark.parametrize(
    ("who", "sees_east_rep"),
    [
        ("admin", True),
        ("region_manager", True),
        ("east_manager", True),
        ("emea_manager", False),
    ],
)
def test_assignments_list_only_people_the_token_sees(
    org, catalogue, api_as, who, sees_east_rep
):
    assignment_create(user=org.rep_east, course=catalogue.course, reason="manual")
    assignment_create(user=org.rep_north, course=catalogue.course, reason="manual")
    body = api_as(org[who], ["learning:read"]).get(ASSIGN).json()
    people = {a["person"] for a in body["results"]}
    assert (org.rep_east.pk in people) is sees_east_rep
    assert (org.rep_north.pk in people) is (who in ("admin", "emea_manager"))


def test_a_manager_assigns_a_course_with_a_due_date(org, catalogue, api_as):
    api = api_as(org.east_manager, ["assignments:write", "learning:read"])
    data = {
        "person": org.rep_east.pk,
        "course": catalogue.course.pk,
        "due_date": "2030-01-31",
    }
    response = api.post(ASSIGN, data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "not_started" and body["reason"] == "manual"
    assert body["required_total"] == 2
    again = api.post(ASSIGN, data)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Assignment.objects.count() == 1


def test_the_idempotency_key_replays_the_first_answer(org, catalogue, api_as):
    api = api_as(org.east_manager, ["assignments:write"])
    data = {"person": org.rep_east.pk, "path": catalogue.path.pk}
    first = api.post(ASSIGN, data, headers={"Idempotency-Key": "k-1"})
    replay = api.post(ASSIGN, data, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json() and replay["Idempotent-Replayed"] == "true"
    other = api.post(
        ASSIGN, {**data, "person": org.rep_east2.pk}, headers={"Idempotency-Key": "k-1"}
    )
    assert other.status_code == 422
    assert Assignment.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"person": "REP_NORTH", "course": "COURSE", "due_date": "2030-01-31"},
            "person",
        ),
        ({"person": "REP_EAST", "course": "COURSE"}, "due_date"),
        ({"person": "REP_EAST"}, ""),
        (
            {
                "person": "REP_EAST",
                "course": "COURSE",
                "due_date": "2030-01-31",
                "x": 1,
            },
            "x",
        ),
        ({"person": "REP_EAST", "course": 999999, "due_date": "2030-01-31"}, "course"),
    ],
)
def test_bad_assignments_are_refused_and_change_nothing(
    org, catalogue, api_as, data, field
):
    names = {
        "REP_NORTH": org.rep_north.pk,
        "REP_EAST": org.rep_east.pk,
        "COURSE": catalogue.course.pk,
    }
    data = {k: names.get(v, v) if isinstance(v, str) else v for k, v in data.items()}
    response = api_as(org.east_manager, ["assignments:write"]).post(ASSIGN, data)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Assignment.objects.exists()


def test_assigning_needs_the_write_scope(org, catalogue, api_as):
    response = api_as(org.east_manager, ["learning:read"]).post(
        ASSIGN, {"person": org.rep_east.pk, "path": catalogue.path.pk}
    )
    assert response.status_code == 403


def test_withdrawing_follows_the_rules_of_the_ui(org, catalogue, api_as):
    assignment, _ = assignment_create(
        user=org.rep_east, course=catalogue.course, reason="manual"
    )
    url = f"{ASSIGN}{assignment.pk}/withdraw/"
    assert api_as(org.emea_manager, ["assignments:write"]).post(url).status_code == 404
    assert (
        api_as(org.east_coach and org.region_manager, ["learning:read"])
        .post(url)
        .status_code
        == 403
    )
    response = api_as(org.east_manager, ["assignments:write"]).post(url)
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert api_as(org.admin, ["assignments:write"]).post(url).status_code == 409


def test_completions_list_lessons_with_their_course_and_courses(
    org, catalogue, api_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in catalogue.lessons[:2]:
            lesson_complete(
                user=org.rep_east, lesson=lesson, how=LessonCompletion.How.READ
            )
    api = api_as(org.east_manager, ["learning:read"])
    lessons = api.get("/api/v1/completions/").json()["results"]
    assert {(c["kind"], c["course"]) for c in lessons} == {
        ("lesson", catalogue.course.pk)
    }
    courses = api.get("/api/v1/completions/", kind="course").json()["results"]
    assert [(c["person"], c["course"]) for c in courses] == [
        (org.rep_east.pk, catalogue.course.pk)
    ]
    assert (
        api_as(org.emea_manager, ["learning:read"])
        .get("/api/v1/completions/")
        .json()["results"]
        == []
    )


def test_quiz_attempts_list_graded_attempts_without_answers(org, api_as):
    for state, number in [("submitted", 1), ("in_progress", 2)]:
        QuizAttempt.objects.create(
            user=org.rep_east,
            quiz_title="Discovery quiz",
            number=number,
            state=state,
            score=8 if state == "submitted" else None,
            max_score=10,
            percent=80 if state == "submitted" else None,
            passed=True if state == "submitted" else None,
            pass_mark_percent=80,
        )
    body = (
        api_as(org.east_manager, ["learning:read"]).get("/api/v1/quiz-attempts/").json()
    )
    assert len(body["results"]) == 1
    attempt = body["results"][0]
    assert attempt["percent"] == 80 and attempt["passed"] is True
    assert not {"questions", "answers", "responses"} & set(attempt)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/assignments/",
        "/api/v1/completions/",
        "/api/v1/quiz-attempts/",
        "/api/v1/people/",
    ],
)
def test_no_filter_reaches_another_teams_people(org, catalogue, api_as, url):
    assignment_create(user=org.rep_north, course=catalogue.course, reason="manual")
    api = api_as(org.east_manager, ["learning:read", "people:read"])
    for params in ({"person": org.rep_north.pk}, {"team": org.north.pk}):
        if url == "/api/v1/people/" and "person" in params:
            continue
        assert api.get(url, **params).json()["results"] == []
