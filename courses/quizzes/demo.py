"""The demo organisation's quizzes (courses/quizzes/demo_data/): the question bank
"Northwind onboarding", a Moodle XML file imported with the importer authors use, one
quiz as the last step of each onboarding course, and passed (and failed) attempts for
the demo people who have completed those courses, made through the attempt
services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from courses import demo as courses_demo
from courses.models import CoursePage, LessonCompletion
from courses.quizzes import services
from courses.quizzes.grading import correct_response
from courses.quizzes.importing import questions_import
from courses.quizzes.models import (
    AttemptQuestion,
    Question,
    QuestionBank,
    QuizAttempt,
    QuizPage,
    QuizSlot,
)
from courses.services import assignments_recount, page_translation_publish
from lms.accounts.demo import demo_email
from lms.accounts.models import User
from lms.demo import Log
from lms.pages import in_source_language

DATA_DIR = Path(__file__).resolve().parent / "demo_data"


@dataclass(frozen=True)
class DemoQuiz:
    """The quiz of one onboarding course: it asks the questions tagged `tag`, or
    draws `draw` of them for each attempt."""

    course: str
    tag: str
    intro: str
    draw: int | None = None
    time_limit_minutes: int | None = None
    layout: str = QuizPage.Layout.ONE_PAGE
    show_answers: str = QuizPage.ShowAnswers.AFTER_PASSING


@dataclass(frozen=True)
class DemoQuizzes:
    bank: str
    bank_file: Path
    bank_description: str
    pass_tip: str
    quizzes: list[DemoQuiz]
    # person -> "failed_first" / "missed_one" -> course files
    attempts: dict[str, dict[str, set[str]]]

    def quirk(self, person: str, quirk: str, course: str) -> bool:
        return course in self.attempts.get(person, {}).get(quirk, set())


def load_quizzes(folder: Path = DATA_DIR) -> DemoQuizzes:
    """quizzes.toml, checked against the choices a quiz page offers."""
    path = folder / "quizzes.toml"
    data = courses_demo.read_toml(path)
    for name, quirks in data.get("attempts", {}).items():
        unknown = set(quirks) - {"failed_first", "missed_one"}
        if unknown:
            raise courses_demo.DemoDataError(
                f"{path.name}: {name}: unknown {sorted(unknown)}"
            )
    try:
        quizzes = [_quiz_spec(spec) for spec in data["quizzes"]]
        return DemoQuizzes(
            bank=str(data["bank"]),
            bank_file=folder / str(data["bank_file"]),
            bank_description=str(data["bank_description"]),
            pass_tip=str(data["pass_tip"]),
            quizzes=quizzes,
            attempts={
                str(name): {
                    quirk: {str(course) for course in courses}
                    for quirk, courses in quirks.items()
                }
                for name, quirks in data.get("attempts", {}).items()
            },
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise courses_demo.DemoDataError(f"{path.name}: {exc!r}") from exc


def _quiz_spec(spec: dict[str, Any]) -> DemoQuiz:
    layout = spec.get("layout", QuizPage.Layout.ONE_PAGE)
    show_answers = spec.get("show_answers", QuizPage.ShowAnswers.AFTER_PASSING)
    if layout not in QuizPage.Layout.values:
        raise ValueError(f"layout {layout!r} is not one of {QuizPage.Layout.values}")
    if show_answers not in QuizPage.ShowAnswers.values:
        raise ValueError(
            f"show_answers {show_answers!r} is not one of {QuizPage.ShowAnswers.values}"
        )
    return DemoQuiz(
        course=str(spec["course"]),
        tag=str(spec["tag"]),
        intro=str(spec["intro"]),
        draw=int(spec["draw"]) if "draw" in spec else None,
        time_limit_minutes=(
            int(spec["time_limit_minutes"]) if "time_limit_minutes" in spec else None
        ),
        layout=layout,
        show_answers=show_answers,
    )


def seed_quizzes(log: Log) -> None:
    spec = load_quizzes()
    catalogue = courses_demo.load_catalogue()
    author = User.objects.get(email=demo_email("Priya Nair"))
    bank, imported = _bank(spec)
    quizzes = []
    for quiz in spec.quizzes:
        course = in_source_language(CoursePage.objects.all()).get(
            title=catalogue.courses[quiz.course].title
        )
        quizzes.append(_quiz(quiz, spec, bank, course, author))
    for quiz in quizzes:
        assignments_recount(course=CoursePage.objects.get(pk=quiz.get_parent().pk))
    translated = _translations(bank, catalogue, author)
    log(
        f"  question bank “{bank}”: {imported} questions imported, "
        f"{len(quizzes)} quizzes, {translated} translated"
    )


def _translations(
    bank: QuestionBank, catalogue: courses_demo.DemoCatalogue, author: User
) -> int:
    """Each quizzes.<language>.toml: the bank's translation into that language
    (imported the first time) and the quizzes' translations through wagtail-localize
    (a quiz already translated keeps its translation)."""
    made = 0
    for path in sorted(DATA_DIR.glob("quizzes.*.toml")):
        data = courses_demo.read_toml(path)
        try:
            language = str(data["language"])
            translated_bank = QuestionBank.objects.filter(name=data["bank"]).first()
            if translated_bank is None:
                report = questions_import(
                    bank_name=str(data["bank"]),
                    data=(DATA_DIR / str(data["bank_file"])).read_bytes(),
                    format="moodlexml",
                )
                if report.skipped:
                    raise courses_demo.DemoDataError(
                        f"{data['bank_file']}: "
                        + "; ".join(str(item) for item in report.skipped)
                    )
                translated_bank = report.bank
                translated_bank.description = str(data["bank_description"])
                translated_bank.language = language
                translated_bank.translation_of = bank
                translated_bank.full_clean()
                translated_bank.save()
            for spec in data["quizzes"]:
                course = in_source_language(CoursePage.objects.all()).get(
                    title=catalogue.courses[spec["course"]].title
                )
                quiz = QuizPage.objects.child_of(course).get(
                    title=f"{course.title} quiz"
                )
                if (
                    quiz.get_translations()
                    .filter(locale__language_code=language)
                    .exists()
                ):
                    continue
                body = [
                    ("paragraph", f"<p>{spec['intro']}</p>"),
                    ("callout", {"kind": "tip", "text": str(data["pass_tip"])}),
                ]
                page_translation_publish(
                    page=quiz,
                    language=language,
                    fields={"title": str(spec["title"]), "body": body},
                    user=author,
                )
                made += 1
        except (KeyError, TypeError, ValueError) as exc:
            raise courses_demo.DemoDataError(f"{path.name}: {exc!r}") from exc
    return made


def _bank(spec: DemoQuizzes) -> tuple[QuestionBank, int]:
    """The bank, imported from its Moodle XML file the first time (an author's
    import, all or nothing); later runs leave it as it is."""
    bank = QuestionBank.objects.filter(name=spec.bank).first()
    if bank is not None and bank.questions.exists():
        return bank, 0
    report = questions_import(
        bank_name=spec.bank, data=spec.bank_file.read_bytes(), format="moodlexml"
    )
    if report.skipped:
        raise courses_demo.DemoDataError(
            f"{spec.bank_file.name}: " + "; ".join(str(item) for item in report.skipped)
        )
    bank = report.bank
    bank.description = spec.bank_description
    bank.save(update_fields=["description"])
    return bank, len(report.imported)


def _quiz(
    spec: DemoQuiz,
    quizzes: DemoQuizzes,
    bank: QuestionBank,
    course: CoursePage,
    author: User,
) -> QuizPage:
    title = f"{course.title} quiz"
    existing = QuizPage.objects.child_of(course).filter(title=title).first()
    if existing is not None:
        return cast(QuizPage, existing)
    quiz = QuizPage(
        title=title,
        body=[
            ("paragraph", f"<p>{spec.intro}</p>"),
            ("callout", {"kind": "tip", "text": quizzes.pass_tip}),
        ],
        pass_mark_percent=80,
        max_attempts=3,
        wait_minutes=10,
        time_limit_minutes=spec.time_limit_minutes,
        layout=spec.layout,
        show_answers=spec.show_answers,
    )
    if spec.draw is not None:
        quiz.slots.add(QuizSlot(bank=bank, tag=spec.tag, draw_count=spec.draw))
    else:
        tagged = Question.objects.filter(bank=bank, tags__name=spec.tag).order_by("pk")
        for order, question in enumerate(tagged):
            quiz.slots.add(QuizSlot(question=question, sort_order=order))
    return cast(QuizPage, courses_demo.publish_as_author(course, quiz, author))


def quiz_pass(
    *,
    person: User,
    quiz: QuizPage,
    when: dt.datetime,
    fail_first: bool = False,
    miss_one: bool = False,
) -> int:
    """The person passes the quiz `when` through the attempt services (failing once
    a few hours before, or leaving one question unanswered, if asked); nothing if they
    already have attempts (seed_demo runs again safely). Returns attempts made."""
    if QuizAttempt.objects.filter(quiz=quiz, user=person).exists():
        return 0
    made = 0
    if fail_first:
        _attempt(person, quiz, when - dt.timedelta(hours=3), right=0.5)
        made += 1
    attempt = _attempt(person, quiz, when, right=1.0, leave_last=miss_one)
    if not attempt.passed:
        raise RuntimeError(f"The demo attempt of {person} at “{quiz}” did not pass.")
    return made + 1


def _attempt(
    person: User,
    quiz: QuizPage,
    when: dt.datetime,
    *,
    right: float,
    leave_last: bool = False,
) -> QuizAttempt:
    """An attempt through the services, answering the first `right` share of the
    questions correctly and the rest not at all; then dated `when`."""
    attempt = services.attempt_start(user=person, quiz=quiz)
    items = list(attempt.questions.order_by("position"))
    answered = round(len(items) * right) - (1 if leave_last else 0)
    responses: dict[int, object] = {
        item.position: correct_response(item.snapshot) for item in items[:answered]
    }
    attempt = services.attempt_submit(attempt=attempt, user=person, responses=responses)
    took = dt.timedelta(minutes=4 + len(items))
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        started_at=when - took,
        deadline=when - took + dt.timedelta(minutes=quiz.time_limit_minutes)
        if quiz.time_limit_minutes
        else None,
        closed_at=when,
    )
    AttemptQuestion.objects.filter(attempt=attempt).update(saved_at=when)
    if attempt.passed:
        LessonCompletion.objects.filter(
            user=person, lesson=quiz, how=LessonCompletion.How.QUIZ_PASSED
        ).update(completed_at=when)
    attempt.refresh_from_db()
    return attempt
