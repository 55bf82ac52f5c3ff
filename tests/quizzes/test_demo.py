"""The demo quizzes: a bank of realistic questions about the onboarding lessons, one
quiz as the last step of each onboarding course, and attempts for the demo people
that keep their course progress consistent."""

from __future__ import annotations

import pytest

from courses.demo import load_catalogue
from courses.models import Assignment, CoursePage, LessonCompletion
from courses.quizzes.demo import load_quizzes, seed_quizzes
from courses.quizzes.formats.moodlexml import parse_moodlexml
from courses.quizzes.importing import bank_export_moodlexml
from courses.quizzes.models import Question, QuestionBank, QuizAttempt, QuizPage
from courses.selectors import course_outline
from lms.accounts.models import User
from lms.demo import demo_steps

pytestmark = pytest.mark.django_db


def _seed_up_to_quizzes() -> None:
    """The steps quizzes build on (recordings are not among them)."""
    for step in demo_steps():
        if step.name in ("people and teams", "courses", "quizzes"):
            step.run(lambda line: None)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo up to and including the quizzes, seeded once for this module (it
    transcodes a lesson video) and removed afterwards."""
    from django.db import transaction

    with django_db_blocker.unblock():
        with transaction.atomic():
            _seed_up_to_quizzes()
            yield
            transaction.set_rollback(True)


def _person(first_name: str) -> User:
    return User.objects.get(email=f"{first_name}@northwind.example")


def test_it_imports_the_bank_file_with_every_kind_of_question_tagged_per_course(
    seeded,
):
    spec = load_quizzes()
    parsed = parse_moodlexml(spec.bank_file.read_bytes())
    assert parsed.skipped == []
    bank = QuestionBank.objects.get(name=spec.bank)
    assert bank.description == spec.bank_description
    assert bank.questions.count() == len(parsed.questions) >= 40
    kinds = set(bank.questions.values_list("kind", flat=True))
    assert kinds == {k.value for k in Question.Kind}
    for quiz in spec.quizzes:
        tagged = bank.questions.filter(tags__name=quiz.tag)
        assert tagged.count() == sum(quiz.tag in q.tags for q in parsed.questions)
        assert len({q.kind for q in tagged}) >= 5
        assert tagged.count() >= (quiz.draw or 5)
    for question in bank.questions.prefetch_related("options"):
        assert question.options.exists(), question.name
        if question.kind in ("single", "truefalse"):
            fractions = [option.fraction for option in question.options.all()]
            assert max(fractions) == 1, question.name


def test_it_exports_the_imported_bank_to_the_same_questions(seeded):
    """The importer and exporter agree on every question of the demo file."""
    spec = load_quizzes()
    bank = QuestionBank.objects.get(name=spec.bank)
    exported = parse_moodlexml(bank_export_moodlexml(bank=bank).encode())
    assert exported.questions == parse_moodlexml(spec.bank_file.read_bytes()).questions


def test_it_places_a_quiz_as_the_last_step_of_each_onboarding_course(seeded):
    for course in load_catalogue().onboarding:
        page = CoursePage.objects.get(title=course.title)
        last = page.lessons().last().specific
        assert isinstance(last, QuizPage)
        assert last.title == f"{course.title} quiz"
        assert (last.pass_mark_percent, last.max_attempts, last.wait_minutes) == (
            80,
            3,
            10,
        )
    quizzes = QuizPage.objects.all()
    assert any(q.time_limit_minutes for q in quizzes)
    assert any(q.slots.filter(bank__isnull=False).exists() for q in quizzes)
    assert any(q.layout == QuizPage.Layout.PER_QUESTION for q in quizzes)


def test_it_gives_the_people_who_completed_courses_passed_attempts(seeded):
    maya, luis, grace = _person("maya"), _person("luis"), _person("grace")
    index_pages = {
        c.title: CoursePage.objects.get(title=c.title)
        for c in load_catalogue().onboarding
    }
    assert course_outline(
        user=maya, course=index_pages["Ideal customer profile and personas"]
    ).complete
    assert not course_outline(user=maya, course=index_pages["Discovery calls"]).complete
    assert QuizAttempt.objects.filter(user=maya, passed=True).count() == 2
    assert QuizAttempt.objects.filter(user=grace, passed=True).count() == 6
    for course in load_catalogue().onboarding:
        assert course_outline(user=grace, course=index_pages[course.title]).complete

    luis_attempts = list(
        QuizAttempt.objects.filter(user=luis)
        .order_by("number")
        .values_list("number", "passed")
    )
    assert luis_attempts == [(1, False), (2, True)]
    first, second = QuizAttempt.objects.filter(user=luis).order_by("number")
    assert first.closed_at < second.started_at < second.closed_at
    completion = LessonCompletion.objects.get(user=luis, lesson=second.quiz)
    assert completion.how == LessonCompletion.How.QUIZ_PASSED
    assert completion.completed_at == second.closed_at


def test_it_keeps_the_onboarding_progress_counted_with_the_quizzes(seeded):
    maya = _person("maya")
    path_assignment = Assignment.objects.get(
        user=maya, path__title="First 30 days", completed_at__isnull=True
    )
    lessons_and_quizzes = sum(
        CoursePage.objects.get(title=c.title).lessons().count()
        for c in load_catalogue().onboarding
    )
    assert path_assignment.required_total == lessons_and_quizzes
    done = sum(
        CoursePage.objects.get(title=c.title).lessons().count()
        for c in load_catalogue().onboarding[:2]
    )
    assert path_assignment.required_done == done


def test_it_changes_nothing_when_run_again(seeded):
    counts = (
        Question.objects.count(),
        QuizPage.objects.count(),
        QuizAttempt.objects.count(),
        LessonCompletion.objects.count(),
    )
    seed_quizzes(lambda line: None)
    assert counts == (
        Question.objects.count(),
        QuizPage.objects.count(),
        QuizAttempt.objects.count(),
        LessonCompletion.objects.count(),
    )
