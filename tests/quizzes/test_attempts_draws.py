"""Questions drawn from banks, shuffled as the quiz allows, frozen per attempt."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.quizzes.models import QuestionBank, QuizAttempt
from courses.quizzes.selectors import quiz_status
from courses.quizzes.services import AttemptRefused, attempt_start, attempt_submit
from tests.factories import RepFactory
from tests.quizzes.questions import every_kind, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def pricing_bank():
    """Six pricing questions, four objection questions (none tagged pricing)."""
    bank = QuestionBank.objects.create(name="Pricing")
    pricing = [
        make_question(
            bank,
            "single",
            [{"text": "Yes", "fraction": 1}, {"text": "No"}],
            name=f"Pricing {n}",
            tags=["pricing"],
        )
        for n in range(6)
    ]
    objections = [
        make_question(
            bank,
            "truefalse",
            [{"text": "True", "fraction": 1}, {"text": "False"}],
            name=f"Objection {n}",
            tags=["objections"],
        )
        for n in range(4)
    ]
    return bank, pricing, objections


def _drawn(attempt):
    return [item.question_id for item in attempt.questions.order_by("position")]


def test_it_draws_the_asked_number_from_the_bank_with_the_tag(
    org, make_quiz, pricing_bank
):
    bank, pricing, objections = pricing_bank
    quiz = make_quiz(
        title="Draws",
        questions=[objections[0]],
        draws=[(bank, "pricing", 3), (bank, "", 5)],
    )
    attempt = attempt_start(user=org.rep_east, quiz=quiz)

    drawn = _drawn(attempt)
    assert len(drawn) == 9
    assert len(set(drawn)) == 9  # nothing twice, the fixed question included
    assert drawn[0] == objections[0].pk
    assert set(drawn[1:4]) <= {q.pk for q in pricing}
    assert attempt.max_score == 9


def test_it_matches_tags_without_regard_to_case(org, make_quiz, pricing_bank):
    bank, pricing, _ = pricing_bank
    quiz = make_quiz(title="Draws", draws=[(bank, "PRICING", 6)])
    assert set(_drawn(attempt_start(user=org.rep_east, quiz=quiz))) == {
        q.pk for q in pricing
    }


def test_it_refuses_to_start_when_a_bank_has_too_few_questions(
    org, make_quiz, pricing_bank
):
    bank, pricing, _ = pricing_bank
    quiz = make_quiz(
        title="Too many", questions=[pricing[0]], draws=[(bank, "pricing", 6)]
    )
    message = (
        "This quiz cannot start: it draws 6 questions from the bank “Pricing” "
        "tagged “pricing”, which has only 5 left to draw. Please tell the quiz's "
        "author."
    )
    with pytest.raises(AttemptRefused) as refusal:
        attempt_start(user=org.rep_east, quiz=quiz)
    assert str(refusal.value) == message
    assert not QuizAttempt.objects.exists()
    status = quiz_status(user=org.rep_east, quiz=quiz)
    assert not status.can_start
    assert status.refusal == message


def test_it_freezes_each_attempts_draw(org, make_quiz, pricing_bank):
    bank, pricing, _ = pricing_bank
    quiz = make_quiz(title="Draws", draws=[(bank, "pricing", 2)])
    attempt = attempt_start(user=org.rep_east, quiz=quiz)
    drawn = _drawn(attempt)
    snapshots = [item.snapshot for item in attempt.questions.order_by("position")]

    for _ in range(5):
        assert _drawn(attempt_start(user=org.rep_east, quiz=quiz)) == drawn
    for question in pricing:
        question.text = "Changed"
        question.save()
    attempt.refresh_from_db()
    assert [i.snapshot for i in attempt.questions.order_by("position")] == snapshots
    assert all(s["text"] == "A single question?" for s in snapshots)


def test_it_draws_differently_for_different_attempts(org, make_quiz, pricing_bank):
    bank, _, _ = pricing_bank
    quiz = make_quiz(title="Draws", draws=[(bank, "pricing", 2)])
    draws = set()
    for _ in range(25):
        rep = RepFactory(team=org.east)
        draws.add(frozenset(_drawn(attempt_start(user=rep, quiz=quiz))))
    # 15 possible pairs: 25 identical draws would happen once in 15**24.
    assert len(draws) > 1


def test_it_shuffles_the_question_order_when_the_quiz_says_so(org, make_quiz):
    bank = QuestionBank.objects.create(name="Order")
    questions = [
        make_question(bank, "single", [{"text": "a", "fraction": 1}], name=f"Q{n}")
        for n in range(8)
    ]
    fixed = make_quiz(title="Fixed order", questions=questions)
    shuffled = make_quiz(title="Shuffled", questions=questions, shuffle_questions=True)
    in_order = [q.pk for q in questions]

    assert _drawn(attempt_start(user=org.rep_east, quiz=fixed)) == in_order
    orders = set()
    for _ in range(6):
        rep = RepFactory(team=org.east)
        drawn = _drawn(attempt_start(user=rep, quiz=shuffled))
        assert sorted(drawn) == sorted(in_order)
        orders.add(tuple(drawn))
    assert len(orders) > 1


def test_it_shuffles_options_only_where_the_question_allows(org, make_quiz):
    bank = QuestionBank.objects.create(name="Options")
    kinds = every_kind(bank)
    many = [{"text": f"Option {n}", "fraction": 1 if n == 0 else 0} for n in range(8)]
    kept = make_question(bank, "single", many, name="Kept", shuffle_options=False)
    moved = make_question(bank, "single", many, name="Moved", shuffle_options=True)
    quiz = make_quiz(title="Options", questions=[*kinds.values(), kept, moved])

    moved_orders = set()
    for _ in range(6):
        attempt = attempt_start(user=RepFactory(team=org.east), quiz=quiz)
        items = {item.question_id: item for item in attempt.questions.all()}

        def author_order(question, items=items):
            return [o["key"] for o in items[question.pk].snapshot["options"]]

        assert items[kept.pk].option_order == author_order(kept)
        tf = kinds["truefalse"]
        assert items[tf.pk].option_order == author_order(tf)
        ordering = kinds["ordering"]
        # Items to order are never shown in their right order.
        assert items[ordering.pk].option_order != author_order(ordering)
        assert sorted(items[ordering.pk].option_order) == sorted(author_order(ordering))
        moved_orders.add(tuple(items[moved.pk].option_order))
    assert len(moved_orders) > 1


def test_it_shuffles_ordering_items_even_when_options_stay_put(org, make_quiz):
    bank = QuestionBank.objects.create(name="Two items")
    two = make_question(
        bank, "ordering", [{"text": "First"}, {"text": "Second"}], shuffle_options=False
    )
    quiz = make_quiz(title="Two", questions=[two])
    attempt = attempt_start(user=org.rep_east, quiz=quiz)
    keys = [o["key"] for o in attempt.questions.get().snapshot["options"]]
    assert attempt.questions.get().option_order == keys[::-1]


def test_it_does_not_count_abandoned_attempts(org, quiz_kit):
    quiz = quiz_kit.quiz
    quiz.max_attempts = 1
    quiz.save_revision().publish()
    attempt = attempt_start(user=org.rep_east, quiz=quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(state=QuizAttempt.State.ABANDONED)

    second = attempt_start(user=org.rep_east, quiz=quiz)
    assert second.number == 2
    attempt_submit(attempt=second, user=org.rep_east)
    with pytest.raises(AttemptRefused):
        attempt_start(user=org.rep_east, quiz=quiz)


def test_it_starts_an_attempt_in_queries_that_do_not_grow_with_its_questions(
    org, quiz_kit, make_quiz
):
    few = make_quiz(title="Two questions", questions=[*quiz_kit.questions.values()][:2])
    # A first start fills the person's cached learning state; both measured starts
    # then find it (the person cache's cost is its own test, tests/perf).
    warm_up = make_quiz(title="Warm-up", questions=[*quiz_kit.questions.values()][:1])
    attempt_start(user=org.rep_east, quiz=warm_up)
    with CaptureQueriesContext(connection) as two:
        attempt_start(user=org.rep_east, quiz=few)
    with CaptureQueriesContext(connection) as seven:
        attempt_start(user=org.rep_east, quiz=quiz_kit.quiz)
    assert len(seven.captured_queries) == len(two.captured_queries)
