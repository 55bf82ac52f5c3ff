"""Starting, saving and submitting attempts: the rules, the grading on the server,
and what a forged or replayed request cannot do."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import LessonCompletion
from courses.quizzes.models import AttemptQuestion, QuizAttempt
from courses.quizzes.services import (
    AttemptRefused,
    attempt_save,
    attempt_start,
    attempt_submit,
)
from tests.quizzes.questions import make_question, right_answers

pytestmark = pytest.mark.django_db


def _snapshot_of(attempt, kind):
    return next(
        item for item in attempt.questions.all() if item.snapshot["kind"] == kind
    )


def _state(attempt):
    """Everything a refused request must leave unchanged."""
    attempt.refresh_from_db()
    return (
        attempt.state,
        attempt.score,
        attempt.closed_at,
        [
            (item.position, item.response, item.saved_at, item.score)
            for item in attempt.questions.order_by("position")
        ],
    )


def test_it_freezes_the_questions_and_their_keys_at_the_start(org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)

    assert attempt.number == 1
    assert attempt.state == QuizAttempt.State.IN_PROGRESS
    assert attempt.pass_mark_percent == 80
    assert attempt.max_score == Decimal("11.00")
    items = list(attempt.questions.order_by("position"))
    assert [item.snapshot["kind"] for item in items] == list(quiz_kit.questions)
    multiple = quiz_kit.questions["multiple"]
    snap = items[1].snapshot
    assert snap["question_id"] == multiple.pk
    assert snap["points"] == "2.00"
    assert snap["explanation"] == multiple.explanation
    assert [o["text"] for o in snap["options"]] == [
        o.text for o in multiple.options.order_by("sort_order")
    ]
    keys = [o["key"] for o in snap["options"]]
    assert len(set(keys)) == 3 and all(re.fullmatch(r"o[0-9a-f]{16}", k) for k in keys)
    assert snap["options"][2]["fraction"] == "-0.50000"
    assert snap["options"][0]["tolerance"] == "0.000000"
    for item in items:
        keys = [o["key"] for o in item.snapshot["options"]]
        assert sorted(item.option_order) == sorted(keys)
        assert item.response is None


def test_it_keys_the_options_alike_in_every_attempt(org, quiz_kit):
    """The item analysis counts the choices of all attempts by their keys."""
    first = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    attempt_submit(attempt=first, user=org.rep_east, responses={})
    second = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)

    def keys(attempt: QuizAttempt) -> list[list[str]]:
        return [
            [(o["key"], o["match_key"]) for o in item.snapshot["options"]]
            for item in attempt.questions.order_by("position")
        ]

    assert keys(first) == keys(second)


def test_it_resumes_the_open_attempt_instead_of_starting_another(org, quiz_kit):
    first = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    again = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    assert again.pk == first.pk
    assert QuizAttempt.objects.count() == 1


def test_it_keeps_a_started_attempt_as_drawn_when_the_bank_changes(org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    single = quiz_kit.questions["single"]
    right = single.options.get(sort_order=0)
    right.fraction = Decimal("0")
    right.text = "Edited"
    right.save()
    single.text = "Edited question"
    single.points = Decimal("9")
    single.save()
    quiz_kit.questions["short"].delete()

    item = attempt.questions.get(position=1)
    assert item.snapshot["text"] == "What do you do first on a discovery call?"
    assert item.snapshot["options"][0]["text"] == "Ask about their goals"
    assert attempt.questions.count() == 7

    attempt = attempt_submit(
        attempt=attempt, user=org.rep_east, responses=right_answers(attempt)
    )
    assert attempt.score == Decimal("11.00")
    assert attempt.passed


def test_it_grades_on_the_server_and_completes_the_step_on_a_pass(
    org, quiz_kit, graded_signals, django_capture_on_commit_callbacks
):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    attempt_save(attempt=attempt, user=org.rep_east, responses=right_answers(attempt))
    with django_capture_on_commit_callbacks(execute=True):
        attempt = attempt_submit(attempt=attempt, user=org.rep_east)

    assert attempt.state == QuizAttempt.State.SUBMITTED
    assert attempt.score == Decimal("11.00")
    assert attempt.percent == Decimal("100.00")
    assert attempt.passed is True
    assert attempt.closed_at is not None
    assert all(item.score == item.max_score for item in attempt.questions.all())
    completion = LessonCompletion.objects.get(user=org.rep_east)
    assert completion.lesson_id == quiz_kit.quiz.pk
    assert completion.how == LessonCompletion.How.QUIZ_PASSED
    assert [graded.pk for graded in graded_signals] == [attempt.pk]


def test_it_records_a_fail_without_completing_the_step(
    org, quiz_kit, graded_signals, django_capture_on_commit_callbacks
):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    answers = right_answers(attempt)
    # Matching (3 points) and ordering (2 points) left out: 6 of 11, 54.55%.
    del answers[6], answers[7]
    with django_capture_on_commit_callbacks(execute=True):
        attempt = attempt_submit(attempt=attempt, user=org.rep_east, responses=answers)

    assert attempt.score == Decimal("6.00")
    assert attempt.percent == Decimal("54.54")
    assert attempt.passed is False
    assert not LessonCompletion.objects.filter(user=org.rep_east).exists()
    assert [graded.pk for graded in graded_signals] == [attempt.pk]


def test_it_fails_a_score_just_below_the_pass_mark(org, quiz_kit, make_quiz):
    question = make_question(
        quiz_kit.bank,
        "single",
        [{"text": "Best", "fraction": 1}, {"text": "Nearly", "fraction": "0.79995"}],
        points=200,
    )
    quiz = make_quiz(title="Close call", questions=[question], pass_mark_percent=80)
    attempt = attempt_start(user=org.rep_east, quiz=quiz)
    nearly = _snapshot_of(attempt, "single").snapshot["options"][1]["key"]
    attempt = attempt_submit(attempt=attempt, user=org.rep_east, responses={1: nearly})

    assert attempt.score == Decimal("159.99")  # 79.995%
    assert (attempt.percent, attempt.passed) == (Decimal("79.99"), False)


def test_it_grades_partial_answers_from_what_was_saved(org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    multiple = _snapshot_of(attempt, "multiple").snapshot["options"]
    attempt_save(
        attempt=attempt,
        user=org.rep_east,
        responses={2: [multiple[0]["key"]], 4: "  Follow   UP ", 5: "35,5"},
    )
    attempt = attempt_submit(attempt=attempt, user=org.rep_east)
    scores = {item.position: item.score for item in attempt.questions.all()}
    assert scores[2] == Decimal("1.00")  # one of two right picks, of 2 points
    assert scores[4] == Decimal("0.50")  # an accepted answer worth half
    assert scores[5] == Decimal("0.50")  # within the wider tolerance only
    assert attempt.score == Decimal("2.00")


def test_it_uses_the_pass_mark_frozen_at_the_start(org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    quiz_kit.quiz.pass_mark_percent = 50
    quiz_kit.quiz.save_revision().publish()
    answers = right_answers(attempt)
    del answers[6], answers[7]
    attempt = attempt_submit(attempt=attempt, user=org.rep_east, responses=answers)
    assert attempt.percent == Decimal("54.54")
    assert attempt.passed is False


def test_it_refuses_a_second_submit_and_changes_nothing(
    org, quiz_kit, graded_signals, django_capture_on_commit_callbacks
):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    with django_capture_on_commit_callbacks(execute=True):
        attempt_submit(attempt=attempt, user=org.rep_east, responses={1: None})
    before = _state(attempt)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(AttemptRefused, match="already handed in"),
    ):
        attempt_submit(
            attempt=attempt, user=org.rep_east, responses=right_answers(attempt)
        )
    assert _state(attempt) == before
    assert len(graded_signals) == 1


def test_it_refuses_a_replayed_save_after_submission(org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    answers = right_answers(attempt)
    attempt_save(attempt=attempt, user=org.rep_east, responses={1: answers[1]})
    attempt_submit(attempt=attempt, user=org.rep_east)
    before = _state(attempt)

    with pytest.raises(AttemptRefused):
        attempt_save(attempt=attempt, user=org.rep_east, responses=answers)
    assert _state(attempt) == before


def test_it_refuses_an_old_submission_replayed_against_a_finished_attempt(
    org, quiz_kit
):
    first = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    old = right_answers(first)
    attempt_submit(attempt=first, user=org.rep_east, responses={1: None})
    second = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    before = (_state(first), _state(second))

    with pytest.raises(AttemptRefused):
        attempt_submit(attempt=first, user=org.rep_east, responses=old)
    assert (_state(first), _state(second)) == before


@pytest.mark.parametrize(
    "forged",
    [
        {99: None},
        {0: None},
        {"score": "12"},
        {"01": None},
        {1: "o999999"},
        {2: ["o999999"]},
        {1: {"key": "o1", "correct": True}},
        {7: ["o1", "o2"]},
        {3: True},
    ],
)
def test_it_refuses_forged_responses_and_changes_nothing(org, quiz_kit, forged):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    attempt_save(attempt=attempt, user=org.rep_east, responses={4: "follow up"})
    before = _state(attempt)

    with pytest.raises(AttemptRefused):
        attempt_save(attempt=attempt, user=org.rep_east, responses=forged)
    with pytest.raises(AttemptRefused):
        attempt_submit(attempt=attempt, user=org.rep_east, responses=forged)
    assert _state(attempt) == before


def test_it_refuses_an_option_key_of_another_question(org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    single_key = _snapshot_of(attempt, "single").snapshot["options"][0]["key"]
    with pytest.raises(AttemptRefused, match="Question 3"):
        attempt_save(attempt=attempt, user=org.rep_east, responses={3: single_key})


def test_it_ignores_score_fields_on_the_attempt_object_it_is_given(org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    attempt.score = Decimal("12")
    attempt.passed = True
    attempt.state = QuizAttempt.State.SUBMITTED
    attempt = attempt_submit(attempt=attempt, user=org.rep_east, responses={1: None})
    assert attempt.score == Decimal("0.00")
    assert attempt.passed is False


def test_it_refuses_someone_elses_attempt(org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    before = _state(attempt)
    for intruder in (org.rep_east2, org.east_manager, org.admin):
        with pytest.raises(AttemptRefused, match="not yours"):
            attempt_save(attempt=attempt, user=intruder, responses={4: "x"})
        with pytest.raises(AttemptRefused, match="not yours"):
            attempt_submit(attempt=attempt, user=intruder)
    assert _state(attempt) == before


def test_it_refuses_more_attempts_than_allowed(org, quiz_kit):
    quiz = quiz_kit.quiz
    quiz.max_attempts = 2
    quiz.save_revision().publish()
    for number in (1, 2):
        attempt = attempt_start(user=org.rep_east, quiz=quiz)
        assert attempt.number == number
        attempt_submit(attempt=attempt, user=org.rep_east)

    with pytest.raises(AttemptRefused, match="used all 2 attempt"):
        attempt_start(user=org.rep_east, quiz=quiz)
    assert QuizAttempt.objects.filter(user=org.rep_east).count() == 2
    # Someone else has their own attempts.
    assert attempt_start(user=org.rep_east2, quiz=quiz).number == 1


def test_it_makes_people_wait_between_attempts(org, quiz_kit, time_machine):
    quiz = quiz_kit.quiz
    quiz.wait_minutes = 30
    quiz.save_revision().publish()
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    attempt_submit(
        attempt=attempt_start(user=org.rep_east, quiz=quiz), user=org.rep_east
    )

    time_machine.move_to(start + dt.timedelta(minutes=29), tick=False)
    with pytest.raises(AttemptRefused, match="You can try again from"):
        attempt_start(user=org.rep_east, quiz=quiz)

    time_machine.move_to(start + dt.timedelta(minutes=30, seconds=1), tick=False)
    assert attempt_start(user=org.rep_east, quiz=quiz).number == 2


def test_it_lets_a_person_who_passed_try_again_while_attempts_remain(org, quiz_kit):
    quiz = quiz_kit.quiz
    quiz.max_attempts = 2
    quiz.save_revision().publish()
    first = attempt_start(user=org.rep_east, quiz=quiz)
    attempt_submit(attempt=first, user=org.rep_east, responses=right_answers(first))
    second = attempt_start(user=org.rep_east, quiz=quiz)
    attempt_submit(attempt=second, user=org.rep_east)
    # The step stays completed once; a later fail takes nothing away.
    assert LessonCompletion.objects.filter(user=org.rep_east).count() == 1
    with pytest.raises(AttemptRefused):
        attempt_start(user=org.rep_east, quiz=quiz)


def test_it_refuses_a_quiz_that_is_not_live(org, quiz_kit):
    quiz_kit.quiz.unpublish()
    with pytest.raises(AttemptRefused, match="not open"):
        attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    assert not QuizAttempt.objects.exists()


def test_it_refuses_a_quiz_in_a_course_that_is_locked_for_the_person(
    org, catalogue, path_with_steps, make_quiz, quiz_kit
):
    from courses.services import assignment_create

    quiz = make_quiz(
        title="Demo skills quiz",
        questions=[quiz_kit.questions["single"]],
        course=path_with_steps.second_course,
    )
    assignment_create(user=org.rep_east, reason="onboarding", path=path_with_steps)
    with pytest.raises(AttemptRefused, match="Opens when you complete"):
        attempt_start(user=org.rep_east, quiz=quiz)
    # Someone without that path may take it.
    assert attempt_start(user=org.rep_east2, quiz=quiz).number == 1


def test_it_refuses_a_quiz_without_questions(org, make_quiz):
    quiz = make_quiz(title="Empty")
    with pytest.raises(AttemptRefused, match="no questions"):
        attempt_start(user=org.rep_east, quiz=quiz)
    assert not QuizAttempt.objects.exists()


# Time limits.


def _timed(quiz_kit, minutes=10):
    quiz = quiz_kit.quiz
    quiz.time_limit_minutes = minutes
    quiz.save_revision().publish()
    return quiz


def test_it_sets_the_deadline_from_the_time_limit(org, quiz_kit, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    attempt = attempt_start(user=org.rep_east, quiz=_timed(quiz_kit, 10))
    assert attempt.started_at == start
    assert attempt.deadline == start + dt.timedelta(minutes=10)


def test_it_accepts_saves_during_the_grace_period_only(
    org, quiz_kit, time_machine, settings
):
    settings.QUIZ_GRACE_SECONDS = 30
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    attempt = attempt_start(user=org.rep_east, quiz=_timed(quiz_kit, 10))

    time_machine.move_to(start + dt.timedelta(minutes=10, seconds=30), tick=False)
    attempt_save(attempt=attempt, user=org.rep_east, responses={4: "next steps"})

    time_machine.move_to(start + dt.timedelta(minutes=10, seconds=31), tick=False)
    before = _state(attempt)
    with pytest.raises(AttemptRefused, match="Time is up"):
        attempt_save(attempt=attempt, user=org.rep_east, responses={3: None})
    assert _state(attempt) == before


def test_it_closes_a_late_submit_as_expired_grading_what_was_saved_in_time(
    org,
    quiz_kit,
    time_machine,
    settings,
    graded_signals,
    django_capture_on_commit_callbacks,
):
    settings.QUIZ_GRACE_SECONDS = 30
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    attempt = attempt_start(user=org.rep_east, quiz=_timed(quiz_kit, 10))
    answers = right_answers(attempt)
    attempt_save(attempt=attempt, user=org.rep_east, responses={1: answers[1]})

    time_machine.move_to(start + dt.timedelta(minutes=11), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        attempt = attempt_submit(attempt=attempt, user=org.rep_east, responses=answers)

    assert attempt.state == QuizAttempt.State.EXPIRED
    assert attempt.score == Decimal("1.00")
    assert attempt.closed_at == start + dt.timedelta(minutes=11)
    assert (
        AttemptQuestion.objects.filter(attempt=attempt, response__isnull=False).count()
        == 1
    )
    assert [graded.pk for graded in graded_signals] == [attempt.pk]


def test_it_starts_a_fresh_attempt_when_the_open_one_ran_out(
    org, quiz_kit, time_machine
):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    first = attempt_start(user=org.rep_east, quiz=_timed(quiz_kit, 5))
    time_machine.move_to(start + dt.timedelta(hours=1), tick=False)
    second = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    first.refresh_from_db()
    assert first.state == QuizAttempt.State.EXPIRED
    assert second.number == 2


def test_it_falls_back_on_the_constraint_when_two_starts_slip_past_the_lock(
    org, quiz_kit, monkeypatch
):
    from courses.quizzes import services
    from courses.quizzes.selectors import quiz_status

    first = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)

    def blind_status(**kwargs):
        status = quiz_status(**kwargs)
        status.open_attempt = None  # as if the other request had not committed yet
        return status

    monkeypatch.setattr(services, "quiz_status", blind_status)
    again = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    assert again.pk == first.pk
    assert QuizAttempt.objects.count() == 1
    assert AttemptQuestion.objects.count() == 7


def test_it_refuses_answers_once_the_quiz_is_withdrawn(org, quiz_kit):
    attempt = attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    quiz_kit.quiz.unpublish()
    before = _state(attempt)
    with pytest.raises(AttemptRefused, match="withdrawn"):
        attempt_save(attempt=attempt, user=org.rep_east, responses={4: "x"})
    with pytest.raises(AttemptRefused, match="withdrawn"):
        attempt_submit(attempt=attempt, user=org.rep_east)
    assert _state(attempt) == before


def test_it_starts_afresh_in_a_new_cycle_of_the_course(org, quiz_kit, time_machine):
    """Recertification or recurring training asks for the quiz again: attempts of
    earlier cycles stay in the history but neither use up the new cycle's attempts
    nor reveal its answers."""
    from courses.models import Assignment
    from courses.quizzes.selectors import answers_revealed, quiz_status
    from courses.services import assignment_create

    quiz = quiz_kit.quiz
    quiz.max_attempts = 1
    quiz.show_answers = quiz.ShowAnswers.AFTER_PASSING
    quiz.save_revision().publish()
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    first = attempt_start(user=org.rep_east, quiz=quiz)
    first = attempt_submit(
        attempt=first, user=org.rep_east, responses=right_answers(first)
    )
    assert first.passed and answers_revealed(first)
    with pytest.raises(AttemptRefused, match="used your 1 attempt"):
        attempt_start(user=org.rep_east, quiz=quiz)

    time_machine.move_to(start + dt.timedelta(days=330), tick=False)
    assignment_create(
        user=org.rep_east,
        course=quiz_kit.course,
        reason=Assignment.Reason.RECERTIFICATION,
        counts_from=timezone.now(),
    )

    status = quiz_status(user=org.rep_east, quiz=quiz)
    assert (status.can_start, status.attempts_left, status.passed) == (True, 1, False)
    assert len(status.attempts) == 1  # the history stays
    assert not answers_revealed(first)
    second = attempt_start(user=org.rep_east, quiz=quiz)
    assert second.number == 2
    second = attempt_submit(
        attempt=second, user=org.rep_east, responses=right_answers(second)
    )
    assert second.passed and answers_revealed(first) and answers_revealed(second)
