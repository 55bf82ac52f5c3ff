"""Quizzes in several languages: a quiz draws from the bank of the reader's
language where its bank has one; the attempt freezes what it drew, is graded on
that, and a pass counts for the source quiz and its course."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import LessonCompletion
from courses.quizzes.models import QuestionBank, QuizAttempt
from courses.quizzes.services import attempt_start, attempt_submit
from courses.selectors import course_outline
from tests.factories import CoursePageFactory
from tests.quizzes.questions import make_question, right_answers
from tests.translations import translate_page

pytestmark = pytest.mark.django_db


def _single(bank, text, right, wrong):
    return make_question(
        bank,
        "single",
        [{"text": right, "fraction": 1}, {"text": wrong, "fraction": 0}],
        text=text,
    )


@pytest.fixture
def banks():
    english = QuestionBank.objects.create(name="Pricing")
    spanish = QuestionBank.objects.create(
        name="Precios", language="es", translation_of=english
    )
    _single(english, "What do you defend first?", "Value", "Discount")
    _single(spanish, "¿Qué defiendes primero?", "El valor", "El descuento")
    return english, spanish


@pytest.fixture
def quiz(make_quiz, banks):
    course = CoursePageFactory(title="Objection handling")
    quiz = make_quiz(course=course, title="Pricing quiz", draws=[(banks[0], "", 1)])
    translate_page(quiz, "es", title="Cuestionario de precios")
    return quiz


def _texts(attempt):
    return [item.snapshot["text"] for item in attempt.questions.all()]


def test_it_draws_from_the_bank_of_the_readers_language(org, quiz):
    spanish = attempt_start(user=org.rep_east, quiz=quiz, language="es")
    english = attempt_start(user=org.rep_west, quiz=quiz, language="en")
    bengali = attempt_start(user=org.rep_north, quiz=quiz, language="bn")
    assert _texts(spanish) == ["¿Qué defiendes primero?"]
    assert _texts(english) == ["What do you defend first?"]
    assert _texts(bengali) == ["What do you defend first?"]  # no Bengali bank


def test_it_grades_a_spanish_attempt_and_counts_the_pass_for_the_course(org, quiz):
    reader = org.rep_east
    attempt = attempt_start(user=reader, quiz=quiz, language="es")
    (item,) = attempt.questions.all()
    assert [option["text"] for option in item.snapshot["options"]] == [
        "El valor",
        "El descuento",
    ]
    graded = attempt_submit(
        attempt=attempt, user=reader, responses=right_answers(attempt)
    )
    assert graded.state == QuizAttempt.State.SUBMITTED
    assert graded.score == Decimal("1.00")
    assert graded.passed
    assert graded.quiz_id == quiz.pk
    assert LessonCompletion.objects.filter(user=reader, lesson_id=quiz.pk).exists()
    assert course_outline(user=reader, course=quiz.get_parent()).complete


def test_it_fails_a_wrong_spanish_answer(org, quiz):
    reader = org.rep_east
    attempt = attempt_start(user=reader, quiz=quiz, language="es")
    (item,) = attempt.questions.all()
    wrong = item.snapshot["options"][1]["key"]
    graded = attempt_submit(attempt=attempt, user=reader, responses={1: wrong})
    assert graded.score == Decimal("0.00")
    assert not graded.passed
    assert not LessonCompletion.objects.filter(user=reader).exists()


def test_it_starts_a_spanish_readers_attempt_from_the_page(client, org, quiz):
    org.rep_east.language = "es"
    org.rep_east.save(update_fields=["language"])
    client.force_login(org.rep_east)
    page = client.get(quiz.url)
    assert "Cuestionario de precios" in page.content.decode()
    response = client.post(reverse("quiz_start", args=[quiz.pk]))
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(user=org.rep_east)
    assert attempt.quiz_id == quiz.pk
    assert _texts(attempt) == ["¿Qué defiendes primero?"]


def test_it_refuses_a_bank_translation_in_its_sources_language(banks):
    english, _spanish = banks
    copy = QuestionBank(name="Pricing again", language="en", translation_of=english)
    with pytest.raises(ValidationError):
        copy.full_clean()


def test_it_refuses_a_second_translation_into_one_language(banks):
    english, _spanish = banks
    second = QuestionBank(name="Precios 2", language="es", translation_of=english)
    with pytest.raises(ValidationError):
        second.full_clean()


def test_a_bank_still_being_translated_draws_from_its_source(org, make_quiz, banks):
    """A Spanish bank with fewer questions than a draw asks for (its translation
    under way) does not keep Spanish readers out of the quiz: they draw from the
    English bank, as readers of a language with no bank do."""
    english, _spanish = banks
    _single(english, "Who signs?", "The economic buyer", "The champion")
    course = CoursePageFactory(title="Pricing")
    quiz = make_quiz(course=course, title="Two questions", draws=[(english, "", 2)])

    attempt = attempt_start(user=org.rep_east, quiz=quiz, language="es")

    assert sorted(_texts(attempt)) == ["What do you defend first?", "Who signs?"]
