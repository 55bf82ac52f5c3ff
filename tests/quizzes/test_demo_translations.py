"""The demo's Spanish quiz: the Spanish bank imported and marked as the English
bank's translation, the quiz translated through wagtail-localize, once."""

from __future__ import annotations

import pytest

from courses import demo as courses_demo
from courses.quizzes import demo
from courses.quizzes.services import attempt_start
from tests.factories import course_index

pytestmark = pytest.mark.django_db


def test_it_translates_the_objection_handling_quiz_and_its_bank_once(org):
    catalogue = courses_demo.load_catalogue()
    author = org.admin  # an enablement admin, like Priya
    course = courses_demo._course(
        course_index(), catalogue.courses["objection-handling"], author
    )
    spec = demo.load_quizzes()
    bank, _imported = demo._bank(spec)
    (quiz_spec,) = [q for q in spec.quizzes if q.course == "objection-handling"]
    quiz = demo._quiz(quiz_spec, spec, bank, course, author)

    assert demo._translations(bank, catalogue, author) == 1
    spanish_bank = bank.translations.get(language="es")
    assert spanish_bank.questions.filter(tags__name="objection-handling").count() == 6
    spanish_quiz = quiz.get_translations().get(locale__language_code="es")
    assert spanish_quiz.title == "Cuestionario de Manejo de objeciones"
    attempt = attempt_start(user=org.rep_east, quiz=quiz, language="es")
    texts = {item.snapshot["text"] for item in attempt.questions.all()}
    assert len(texts) == 5
    assert texts <= set(spanish_bank.questions.values_list("text", flat=True))
    assert demo._translations(bank, catalogue, author) == 0
