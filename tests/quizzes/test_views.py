"""The pages a rep takes a quiz with: start, answer (saved as they go), submit and
the result, and who may open each of them."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from courses.models import LessonCompletion
from courses.quizzes import hints
from courses.quizzes.grading import correct_response
from courses.quizzes.models import AttemptQuestion, QuizAttempt, QuizPage
from courses.quizzes.services import attempt_start, attempt_submit
from tests.quizzes.questions import make_question

pytestmark = pytest.mark.django_db


def _items(attempt: QuizAttempt) -> dict[str, AttemptQuestion]:
    return {item.snapshot["kind"]: item for item in attempt.questions.all()}


def _right_form(attempt: QuizAttempt) -> dict[str, object]:
    """The form a person who knows every answer posts."""
    data: dict[str, object] = {"shown": []}
    for item in attempt.questions.all():
        field = f"q{item.position}"
        data["shown"].append(str(item.position))  # type: ignore[union-attr]
        right = correct_response(item.snapshot)
        if item.snapshot["kind"] == "ordering":
            data[f"{field}-touched"] = "1"
        if isinstance(right, dict):
            for left, choice in right.items():
                data[f"{field}-{left}"] = choice
        else:
            data[field] = right
    return data


def _start(client, quiz: QuizPage) -> QuizAttempt:
    response = client.post(reverse("quiz_start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get(quiz=quiz, state="in_progress")
    assert response.url == reverse("quiz_attempt", args=[attempt.pk])
    return attempt


# The quiz page.


def test_it_shows_the_settings_and_a_start_button_on_the_quiz_page(
    client, org, quiz_kit
):
    quiz = quiz_kit.quiz
    quiz.max_attempts, quiz.wait_minutes, quiz.time_limit_minutes = 3, 10, 15
    quiz.save()
    client.force_login(org.rep_east)
    html = client.get(quiz.url).content.decode()
    assert "Pass mark" in html and "80% of the points" in html
    assert "3 in all, 3 left" in html
    assert "15 minutes from the moment you start" in html
    assert "Wait 10 minutes after an attempt" in html
    assert "Start the quiz" in html
    assert "Mark as complete" not in html


def test_it_lists_the_attempts_and_says_when_the_next_one_may_start(
    client, org, quiz_kit
):
    quiz = quiz_kit.quiz
    quiz.max_attempts, quiz.wait_minutes = 3, 10
    quiz.save()
    attempt = attempt_start(user=org.rep_east, quiz=quiz)
    attempt_submit(attempt=attempt, user=org.rep_east, responses={})
    client.force_login(org.rep_east)
    html = client.get(quiz.url).content.decode()
    assert "Your attempts" in html
    assert "Not passed" in html
    assert reverse("quiz_attempt_result", args=[attempt.pk]) in html
    assert "You can try again from" in html
    assert "Start the quiz" not in html and "Try again" not in html


def test_it_offers_to_resume_an_open_attempt(client, org, quiz_kit):
    attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    client.force_login(org.rep_east)
    assert "Resume attempt 1" in client.get(quiz_kit.quiz.url).content.decode()


def test_it_sends_anonymous_visitors_to_sign_in(client, org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    for method, url in [
        ("get", quiz_kit.quiz.url),
        ("post", reverse("quiz_start", args=[quiz_kit.quiz.pk])),
        ("get", reverse("quiz_attempt", args=[attempt.pk])),
        ("post", reverse("quiz_attempt_save", args=[attempt.pk])),
        ("post", reverse("quiz_attempt_submit", args=[attempt.pk])),
        ("get", reverse("quiz_attempt_result", args=[attempt.pk])),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response.url
    assert QuizAttempt.objects.get().state == "in_progress"


# Taking an attempt.


def test_it_starts_an_attempt_and_resumes_it_rather_than_starting_another(
    client, org, quiz_kit
):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    again = client.post(reverse("quiz_start", args=[quiz_kit.quiz.pk]))
    assert again.url == reverse("quiz_attempt", args=[attempt.pk])
    assert QuizAttempt.objects.count() == 1


def test_it_explains_why_an_attempt_cannot_start(client, org, quiz_kit):
    quiz = quiz_kit.quiz
    quiz.max_attempts = 1
    quiz.save()
    attempt_submit(
        attempt=attempt_start(user=org.rep_east, quiz=quiz), user=org.rep_east
    )
    client.force_login(org.rep_east)
    response = client.post(reverse("quiz_start", args=[quiz.pk]), follow=True)
    assert "You have used your 1 attempt at this quiz." in response.content.decode()
    assert QuizAttempt.objects.count() == 1


def test_it_shows_a_widget_for_every_kind_of_question(client, org, quiz_kit):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    items = _items(attempt)
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    single, multiple = items["single"].position, items["multiple"].position
    assert html.count(f'type="radio" id="q{single}-') == 3
    assert html.count(f'type="checkbox" id="q{multiple}-') == 3
    assert html.count(f'type="radio" id="q{items["truefalse"].position}-') == 2
    assert f'id="q{items["short"].position}" name="q{items["short"].position}"' in html
    assert re.search(
        rf'id="q{items["numeric"].position}"[^>]*inputmode="decimal"', html
    )
    matching = items["matching"].position
    assert html.count(f'<select id="q{matching}-') == 3
    assert "Money set aside" in html and "Who signs" in html
    ordering = items["ordering"]
    shown_order = re.findall(rf'name="q{ordering.position}" value="(o[0-9a-f]+)"', html)
    assert shown_order == ordering.option_order
    assert f'name="move" value="{ordering.position}:' in html
    assert "data-seconds-left" not in html  # no time limit


def test_it_puts_no_answer_key_in_the_page_before_submission(client, org, quiz_kit):
    """Fractions, feedback, accepted answers, tolerances, explanations and which
    right-hand side matches which item stay on the server until the attempt closes."""
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    pages = [
        client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode(),
        client.get(reverse("quiz_attempt_submit", args=[attempt.pk])).content.decode(),
    ]
    secrets = [
        "Yes.", "Too early.", "Not yet.", "Right.", "No.", "Correct.", "It should.",
        "Exactly.", "Close.", "Near.", "next steps", "a next step", "follow up",
        "Discovery starts with the customer", "Budget, Authority, Need, Timeline",
        "fraction", "tolerance", "explanation", "feedback", "correct", "0.50000",
        "1.00000", "-0.50000", "2.000000", "10.000000",
    ]  # fmt: skip
    for html in pages:
        for secret in secrets:
            assert secret not in html, secret
        assert " selected" not in html
    ordering = _items(attempt)["ordering"]
    keys_in_right_order = [o["key"] for o in ordering.snapshot["options"]]
    assert ordering.option_order != keys_in_right_order


def test_it_shows_option_keys_that_give_no_answer_away(client, org, quiz_kit):
    """Option primary keys follow the author's order (the right order of an ordering
    question), and a right-hand key built from its left-hand key pairs them: the
    keys in the page are neither."""
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    values = set(re.findall(r'value="([om][^"]*)"', html))
    assert values
    for question in quiz_kit.questions.values():
        for option in question.options.all():
            assert f"o{option.pk}" not in values and f"m{option.pk}" not in values
    matching = _items(attempt)["matching"]
    for left, right in correct_response(matching.snapshot).items():
        assert f'name="q{matching.position}-{left}"' in html
        assert f'value="{right}"' in html
        assert left[1:] != right[1:]


def test_it_saves_a_form_post_in_the_contract_format(client, org, quiz_kit):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    response = client.post(
        reverse("quiz_attempt_save", args=[attempt.pk]), _right_form(attempt)
    )
    assert response.status_code == 302
    assert response.url == reverse("quiz_attempt", args=[attempt.pk])
    for item in attempt.questions.all():
        assert item.response == correct_response(item.snapshot), item.snapshot["kind"]
        assert item.saved_at is not None
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    assert "7 of 7 answered and saved." in html


def test_it_ignores_forged_score_fields(client, org, quiz_kit):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    items = _items(attempt)
    data = {
        "shown": [str(item.position) for item in items.values()],
        f"q{items['matching'].position}-o999999": "m1",
        "score": "100",
        "correct": "true",
        "passed": "1",
        "percent": "100",
    }
    response = client.post(reverse("quiz_attempt_save", args=[attempt.pk]), data)
    assert response.status_code == 302
    assert all(item.response is None for item in attempt.questions.all())
    attempt.refresh_from_db()
    assert attempt.score is None and attempt.passed is None


def _forged(items: dict[str, AttemptQuestion], kind: str) -> dict[str, object]:
    """A form field naming a key the attempt never showed, for each kind."""
    item = items[kind]
    field = f"q{item.position}"
    if kind == "multiple":
        return {field: [item.option_order[0], "o_not_a_real_key"]}
    if kind == "ordering":
        return {field: item.option_order[:-1], f"{field}-touched": "1"}
    if kind == "matching":
        left = correct_response(item.snapshot)
        return {f"{field}-{next(iter(left))}": "o_not_a_real_key"}
    return {field: "o_not_a_real_key"}


@pytest.mark.parametrize(
    "kind", ["single", "truefalse", "multiple", "matching", "ordering"]
)
@pytest.mark.parametrize("as_json", [False, True], ids=["form", "fetch"])
def test_it_refuses_keys_the_attempt_never_showed_and_keeps_the_saved_answers(
    client, org, quiz_kit, kind, as_json
):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    url = reverse("quiz_attempt_save", args=[attempt.pk])
    client.post(url, _right_form(attempt))
    saved = {item.pk: item.response for item in attempt.questions.all()}
    data = {**_right_form(attempt), **_forged(_items(attempt), kind)}
    headers = {"Accept": "application/json"} if as_json else {}
    response = client.post(url, data, headers=headers)
    assert response.status_code == 400
    message = response.json()["error"] if as_json else response.content.decode()
    position = _items(attempt)[kind].position
    assert message.startswith(f"Question {position}: ")
    assert "Nothing was saved" in message
    assert {item.pk: item.response for item in attempt.questions.all()} == saved


def test_it_refuses_an_unknown_option_key_in_json_and_keeps_the_saved_answer(
    client, org, quiz_kit
):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    single = _items(attempt)["single"]
    url = reverse("quiz_attempt_save", args=[attempt.pk])
    right = correct_response(single.snapshot)
    client.post(
        url,
        json.dumps({"responses": {str(single.position): right}}),
        content_type="application/json",
    )
    single.refresh_from_db()
    saved_at = single.saved_at
    response = client.post(
        url,
        json.dumps({"responses": {str(single.position): "o_not_a_real_key"}}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == (
        f"Question {single.position}: “o_not_a_real_key” is not one of its answers. "
        "Nothing was saved; reload the page."
    )
    single.refresh_from_db()
    assert single.response == right and single.saved_at == saved_at


def test_it_refuses_a_submit_with_an_unknown_key_and_keeps_the_attempt_open(
    client, org, quiz_kit
):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    response = client.post(
        reverse("quiz_attempt_submit", args=[attempt.pk]),
        {**_right_form(attempt), **_forged(_items(attempt), "single")},
    )
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.state == "in_progress" and attempt.score is None
    assert all(item.response is None for item in attempt.questions.all())


def test_it_leaves_questions_not_on_the_page_alone(client, org, quiz_kit):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    client.post(reverse("quiz_attempt_save", args=[attempt.pk]), _right_form(attempt))
    short = _items(attempt)["short"]
    client.post(
        reverse("quiz_attempt_save", args=[attempt.pk]),
        {"shown": [str(short.position)], f"q{short.position}": "  follow up "},
    )
    responses = {i.snapshot["kind"]: i.response for i in attempt.questions.all()}
    assert responses["short"] == "follow up"
    assert responses["single"] is not None and responses["ordering"] is not None


def test_it_autosaves_json_and_answers_with_the_count(client, org, quiz_kit):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    items = _items(attempt)
    right_single = correct_response(items["single"].snapshot)
    response = client.post(
        reverse("quiz_attempt_save", args=[attempt.pk]),
        json.dumps(
            {
                "responses": {
                    str(items["single"].position): right_single,
                    str(items["numeric"].position): "30,5",
                }
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["answered"] == 2 and response.json()["total"] == 7
    items = _items(attempt)
    assert items["single"].response == right_single
    assert items["numeric"].response == "30,5"


def test_it_answers_the_pages_fetch_with_json(client, org, quiz_kit):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    response = client.post(
        reverse("quiz_attempt_save", args=[attempt.pk]),
        _right_form(attempt),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["answered"] == 7


def test_it_refuses_malformed_json_and_changes_nothing(client, org, quiz_kit):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    url = reverse("quiz_attempt_save", args=[attempt.pk])
    nested = '{"responses": {"1": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    bodies = ["{not json", '{"responses": [1, 2]}', '{"responses": {"99": "x"}}']
    for body in [*bodies, nested]:
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, body
        assert "Malformed answers" in response.json()["error"]
    assert all(item.response is None for item in attempt.questions.all())


def test_it_counts_an_ordering_question_answered_only_once_moved(client, org, quiz_kit):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    ordering = _items(attempt)["ordering"]
    field = f"q{ordering.position}"
    url = reverse("quiz_attempt_save", args=[attempt.pk])
    client.post(url, {"shown": [str(ordering.position)], field: ordering.option_order})
    ordering.refresh_from_db()
    assert ordering.response is None
    client.post(
        url,
        {
            "shown": [str(ordering.position)],
            field: ordering.option_order,
            f"{field}-touched": "1",
        },
    )
    ordering.refresh_from_db()
    assert ordering.response == ordering.option_order
    html = client.get(reverse("quiz_attempt", args=[attempt.pk])).content.decode()
    assert f'name="{field}-touched" value="1"' in html


def test_it_moves_an_ordering_item_without_javascript(client, org, quiz_kit):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    ordering = _items(attempt)["ordering"]
    shown = ordering.option_order
    response = client.post(
        reverse("quiz_attempt_save", args=[attempt.pk]),
        {
            "shown": [str(ordering.position)],
            f"q{ordering.position}": shown,
            "move": f"{ordering.position}:{shown[1]}:up",
        },
    )
    assert response.url.endswith(f"#question-{ordering.position}")
    ordering.refresh_from_db()
    assert ordering.response == [shown[1], shown[0], *shown[2:]]


def test_it_shows_one_question_per_page_and_saves_on_next(client, org, quiz_kit):
    quiz = quiz_kit.quiz
    quiz.layout = QuizPage.Layout.PER_QUESTION
    quiz.save()
    client.force_login(org.rep_east)
    attempt = _start(client, quiz)
    html = client.get(reverse("quiz_attempt", args=[attempt.pk]) + "?q=2").content
    html = html.decode()
    assert "Question 2 of 7" in html and "Question 1 of 7" not in html
    assert 'name="go" value="3"' in html and 'name="go" value="1"' in html
    second = attempt.questions.get(position=2)
    data = {
        key: value
        for key, value in _right_form(attempt).items()
        if key == "shown" or key.startswith("q2")
    }
    data["shown"] = ["2"]
    data["go"] = "3"
    response = client.post(reverse("quiz_attempt_save", args=[attempt.pk]), data)
    assert response.url == reverse("quiz_attempt", args=[attempt.pk]) + "?q=3"
    second.refresh_from_db()
    assert second.response == correct_response(second.snapshot)
    assert (
        attempt.questions.exclude(position=2).filter(response__isnull=False).count()
        == 0
    )


def test_it_renders_the_attempt_page_in_a_fixed_number_of_queries(
    client, org, quiz_kit, django_assert_max_num_queries
):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("quiz_attempt", args=[attempt.pk])).status_code == 200


# Submitting.


def test_it_lists_the_unanswered_questions_before_submitting(client, org, quiz_kit):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    short = _items(attempt)["short"]
    client.post(
        reverse("quiz_attempt_save", args=[attempt.pk]),
        {
            "shown": [str(short.position)],
            f"q{short.position}": "next steps",
            "go": "submit",
        },
    )
    html = client.get(
        reverse("quiz_attempt_submit", args=[attempt.pk])
    ).content.decode()
    assert "You have not answered 6 of 7 questions" in html
    assert f"Question {short.position}</a>" not in html
    assert "Submit my answers" in html


def test_it_grades_a_submission_and_shows_the_result(client, org, quiz_kit):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    response = client.post(
        reverse("quiz_attempt_submit", args=[attempt.pk]), _right_form(attempt)
    )
    assert response.url == reverse("quiz_attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert (attempt.state, attempt.passed, attempt.percent) == ("submitted", True, 100)
    assert LessonCompletion.objects.filter(
        user=org.rep_east, lesson=quiz_kit.quiz, how="quiz"
    ).exists()
    html = client.get(response.url).content.decode()
    assert "Passed" in html and "100%" in html
    assert "Discovery starts with the customer" in html  # the explanation
    assert "Continue: Why discovery" in html  # the first lesson not done yet


def test_it_refuses_a_second_submission_and_changes_nothing(client, org, quiz_kit):
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    url = reverse("quiz_attempt_submit", args=[attempt.pk])
    client.post(url, {"shown": []})
    attempt.refresh_from_db()
    before = (attempt.score, attempt.closed_at, attempt.state)
    response = client.post(url, _right_form(attempt), follow=True)
    assert response.redirect_chain[-1][0].endswith(
        reverse("quiz_attempt_result", args=[attempt.pk])
    )
    attempt.refresh_from_db()
    assert (attempt.score, attempt.closed_at, attempt.state) == before
    assert all(item.response is None for item in attempt.questions.all())
    save = client.post(
        reverse("quiz_attempt_save", args=[attempt.pk]), _right_form(attempt)
    )
    assert save.status_code == 302
    assert all(item.response is None for item in attempt.questions.all())


def test_it_shows_the_countdown_and_closes_an_attempt_past_its_time(
    client, org, quiz_kit
):
    quiz = quiz_kit.quiz
    quiz.time_limit_minutes = 10
    quiz.save()
    client.force_login(org.rep_east)
    attempt = _start(client, quiz)
    url = reverse("quiz_attempt", args=[attempt.pk])
    seconds = int(
        re.search(r'data-seconds-left="(\d+)"', client.get(url).content.decode())[1]
    )
    assert 590 <= seconds <= 600
    client.post(reverse("quiz_attempt_save", args=[attempt.pk]), _right_form(attempt))
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        response = client.get(url)
        assert response.url == reverse("quiz_attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.state == "expired" and attempt.passed


def test_it_refuses_answers_saved_after_the_time_limit(client, org, quiz_kit):
    quiz = quiz_kit.quiz
    quiz.time_limit_minutes = 10
    quiz.save()
    client.force_login(org.rep_east)
    attempt = _start(client, quiz)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        response = client.post(
            reverse("quiz_attempt_save", args=[attempt.pk]),
            _right_form(attempt),
            headers={"Accept": "application/json"},
        )
    assert response.status_code == 409
    assert response.json()["error"] == "Time is up: answers can no longer be saved."
    assert all(item.response is None for item in attempt.questions.all())


# Only the owner may answer.


@pytest.mark.parametrize(
    "viewer", ["rep_east2", "east_manager", "region_manager", "east_coach", "admin"]
)
def test_it_hides_an_open_attempt_from_everyone_but_its_owner(
    client, org, quiz_kit, viewer
):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    client.force_login(org[viewer])
    assert client.get(reverse("quiz_attempt", args=[attempt.pk])).status_code == 404
    assert (
        client.get(reverse("quiz_attempt_submit", args=[attempt.pk])).status_code == 404
    )
    save = client.post(
        reverse("quiz_attempt_save", args=[attempt.pk]), _right_form(attempt)
    )
    assert save.status_code == 404
    submit = client.post(
        reverse("quiz_attempt_submit", args=[attempt.pk]), _right_form(attempt)
    )
    assert submit.status_code == 404
    attempt.refresh_from_db()
    assert attempt.state == "in_progress"
    assert all(item.response is None for item in attempt.questions.all())


# The result, for the owner and the people who may see them.


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("rep_east", 200),
        ("rep_east2", 404),
        ("rep_west", 404),
        ("east_manager", 200),
        ("region_manager", 200),
        ("emea_manager", 404),
        ("east_coach", 200),
        ("multi_coach", 404),
        ("admin", 200),
        ("loner", 404),
    ],
)
def test_it_shows_a_result_to_the_owner_and_those_who_may_see_them(
    client, org, quiz_kit, viewer, status
):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    attempt_submit(attempt=attempt, user=org.rep_east, responses={})
    client.force_login(org[viewer])
    response = client.get(reverse("quiz_attempt_result", args=[attempt.pk]))
    assert response.status_code == status
    if status == 200 and viewer != "rep_east":
        html = response.content.decode()
        assert "by Rae East" in html
        assert "Try again" not in html and "What happens next" not in html


def test_it_tells_a_manager_when_an_attempt_is_still_in_progress(client, org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    client.force_login(org.east_manager)
    html = client.get(reverse("quiz_attempt_result", args=[attempt.pk])).content
    assert "still in progress" in html.decode()
    assert "Budget" not in html.decode()


def test_it_offers_a_retry_after_a_fail_and_shows_the_hints(
    client, org, quiz_kit, monkeypatch
):
    monkeypatch.setattr(hints, "_HINTS", [])
    hints.register_result_hint(
        lambda user, quiz: f"Certified Discovery Seller: {quiz.title} counts"
    )
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    attempt_submit(attempt=attempt, user=org.rep_east, responses={})
    client.force_login(org.rep_east)
    html = client.get(reverse("quiz_attempt_result", args=[attempt.pk])).content
    html = html.decode()
    assert "Not passed" in html and "0%" in html
    assert "Try again" in html
    assert "Certified Discovery Seller: Discovery calls quiz counts" in html
    assert "The correct answers are shown once you pass." in html
    assert "Exactly." not in html  # nothing chosen, so no feedback


def test_it_shows_a_score_just_below_the_pass_mark_without_rounding_it_up(
    client, org, quiz_kit, make_quiz
):
    question = make_question(
        quiz_kit.bank,
        "single",
        [{"text": "Best", "fraction": 1}, {"text": "Nearly", "fraction": "0.9999"}],
        points=100,
    )
    quiz = make_quiz(title="Close call", questions=[question], pass_mark_percent=100)
    attempt = attempt_start(user=org.rep_east, quiz=quiz)
    nearly = attempt.questions.get().snapshot["options"][1]["key"]
    attempt_submit(attempt=attempt, user=org.rep_east, responses={1: nearly})
    client.force_login(org.rep_east)
    html = client.get(reverse("quiz_attempt_result", args=[attempt.pk])).content
    assert "Not passed" in html.decode()
    assert "<span>99.99%</span>" in html.decode()  # not 100%, the pass mark


def test_it_tells_when_the_next_attempt_may_start(client, org, quiz_kit):
    quiz = quiz_kit.quiz
    quiz.wait_minutes = 30
    quiz.save()
    attempt = attempt_start(user=org.rep_east, quiz=quiz)
    attempt_submit(attempt=attempt, user=org.rep_east, responses={})
    client.force_login(org.rep_east)
    html = client.get(reverse("quiz_attempt_result", args=[attempt.pk])).content
    assert "You can try again from" in html.decode()
    assert "Try again</button>" not in html.decode()


def test_it_says_the_course_is_complete_when_the_quiz_finished_it(
    client, org, quiz_kit
):
    from courses.services import lesson_complete

    catalogue = quiz_kit.catalogue
    for lesson in (catalogue.intro, catalogue.video_lesson, catalogue.wrap_up):
        lesson_complete(user=org.rep_east, lesson=lesson, how="read")
    client.force_login(org.rep_east)
    attempt = _start(client, quiz_kit.quiz)
    client.post(reverse("quiz_attempt_submit", args=[attempt.pk]), _right_form(attempt))
    html = client.get(reverse("quiz_attempt_result", args=[attempt.pk])).content
    assert "You have completed “Discovery calls”." in html.decode()


def test_it_reads_the_quiz_page_and_result_in_queries_that_do_not_grow(
    client, org, quiz_kit
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org.rep_east)

    def queries_after(attempts: int) -> tuple[int, int]:
        while QuizAttempt.objects.filter(user=org.rep_east).count() < attempts:
            attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
            attempt_submit(attempt=attempt, user=org.rep_east, responses={})
        last = QuizAttempt.objects.filter(user=org.rep_east).first()
        counts = []
        for url in (quiz_kit.quiz.url, reverse("quiz_attempt_result", args=[last.pk])):
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts[0], counts[1]

    one = queries_after(1)
    assert queries_after(4) == one
    assert one[0] <= 25 and one[1] <= 20


def test_it_keeps_a_quiz_in_a_locked_step_closed(client, org, quiz_kit, make_quiz):
    from courses.models import CoursePage, LearningPath, PathStep
    from courses.services import assignment_create

    later = quiz_kit.catalogue.index.add_child(
        instance=CoursePage(title="Demo skills", summary="Show, don't tell.")
    )
    locked_quiz = make_quiz(
        title="Demo skills quiz", questions=[quiz_kit.questions["single"]], course=later
    )
    path = LearningPath(title="First 30 days")
    path.steps.add(PathStep(course=quiz_kit.course, due_offset_days=7, sort_order=0))
    path.steps.add(
        PathStep(course=later, due_offset_days=14, locked=True, sort_order=1)
    )
    path.save()
    assignment_create(user=org.rep_east, path=path, reason="onboarding")
    client.force_login(org.rep_east)

    html = client.get(locked_quiz.url).content.decode()
    assert "This step is locked. Opens when you complete “Discovery calls”." in html
    assert "Start the quiz" not in html
    response = client.post(reverse("quiz_start", args=[locked_quiz.pk]), follow=True)
    assert "Opens when you complete “Discovery calls”." in response.content.decode()
    assert not QuizAttempt.objects.filter(quiz=locked_quiz).exists()
