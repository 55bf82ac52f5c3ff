"""Certification fixtures: a small catalogue, and a program over it.

    def test_it_...(program_kit, org):
        kit = program_kit
        kit.complete_path(org.rep_east)           # real lesson completions
        kit.pass_quiz(org.rep_east, percent=90)   # a graded attempt row
        kit.approve_review(org.rep_east)          # an approved coach review row
        certificates_evaluate(user_id=org.rep_east.pk)

`kit.program` is "Certified Discovery Seller": the path "First 30 days" completed, the
quiz "Discovery calls quiz" passed with at least 80%, and 2 approved reviews on the
rubric "Discovery call" with a score of at least 3.00; valid 12 months, renewal window
30 days, renewal course "Discovery calls".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from certificates.models import CertificationProgram, ProgramRequirement
from coaching.models import Review, Rubric, RubricCriterion, Submission, Take
from courses.models import (
    CourseIndexPage,
    CoursePage,
    LearningPath,
    LessonCompletion,
    LessonPage,
    PathStep,
)
from courses.quizzes.models import QuizAttempt, QuizPage
from courses.services import lesson_complete
from lms.accounts.models import User
from lms.models import HomePage
from tests.factories import make_coach


class ProgramKit:
    def __init__(self) -> None:
        home = HomePage.objects.get()
        self.index = home.add_child(
            instance=CourseIndexPage(title="Courses", slug="courses")
        )
        self.course = self.index.add_child(
            instance=CoursePage(title="Discovery calls", summary="Ask questions.")
        )
        self.lessons = [
            self.course.add_child(
                instance=LessonPage(
                    title=title, body=[("paragraph", f"<p>{title}.</p>")]
                )
            )
            for title in ("Why discovery", "Questions that open")
        ]
        self.quiz = self.course.add_child(
            instance=QuizPage(title="Discovery calls quiz", body=[])
        )
        self.path = LearningPath(title="First 30 days")
        self.path.steps.add(PathStep(course=self.course, due_offset_days=30))
        self.path.save()
        self.rubric = Rubric(name="Discovery call")
        self.rubric.criteria.add(
            RubricCriterion(
                name="Questioning",
                weight=100,
                level_1="None",
                level_2="Few",
                level_3="Some",
                level_4="Good",
                level_5="Great",
            )
        )
        self.rubric.save()
        self.other_rubric = Rubric(name="Demo")
        self.other_rubric.criteria.add(
            RubricCriterion(
                name="Flow",
                weight=100,
                level_1="1",
                level_2="2",
                level_3="3",
                level_4="4",
                level_5="5",
            )
        )
        self.other_rubric.save()
        self.coach = make_coach(full_name="Carla Coach")
        self.program = make_program(
            "Certified Discovery Seller",
            [
                ProgramRequirement(
                    kind=ProgramRequirement.Kind.PATH_COMPLETED, path=self.path
                ),
                ProgramRequirement(
                    kind=ProgramRequirement.Kind.QUIZ_PASSED,
                    quiz=self.quiz,
                    min_percent=80,
                ),
                ProgramRequirement(
                    kind=ProgramRequirement.Kind.REVIEWS_APPROVED,
                    rubric=self.rubric,
                    min_reviews=2,
                    min_score=Decimal("3.00"),
                ),
            ],
            validity_months=12,
            renewal_window_days=30,
            renewal_course=self.course,
        )

    def complete_path(self, user: User) -> None:
        """Every step of the path, the quiz step included, through the service."""
        for lesson in [*self.lessons, self.quiz]:
            lesson_complete(
                user=user,
                lesson=lesson,
                how=LessonCompletion.How.QUIZ_PASSED
                if lesson.pk == self.quiz.pk
                else LessonCompletion.How.READ,
            )

    def pass_quiz(
        self,
        user: User,
        *,
        percent: int | str = 90,
        state: str = QuizAttempt.State.SUBMITTED,
        at: dt.datetime | None = None,
    ) -> QuizAttempt:
        at = at or timezone.now()
        number = QuizAttempt.objects.filter(user=user, quiz=self.quiz).count() + 1
        percent = Decimal(str(percent))
        return QuizAttempt.objects.create(
            quiz=self.quiz,
            user=user,
            number=number,
            state=state,
            started_at=at - dt.timedelta(minutes=10),
            closed_at=at,
            score=percent / 10,
            max_score=Decimal("10"),
            percent=percent,
            passed=percent >= self.quiz.pass_mark_percent,
            pass_mark_percent=self.quiz.pass_mark_percent,
        )

    def approve_review(
        self,
        user: User,
        *,
        score: str = "4.00",
        outcome: str = Submission.Outcome.APPROVED,
        rubric: Rubric | None = None,
        reviewer: User | None = None,
        self_review: bool = False,
        take: Take | None = None,
        at: dt.datetime | None = None,
    ) -> Review:
        at = at or timezone.now()
        if take is None:
            submission = Submission.objects.create(
                kind=Submission.Kind.CALL,
                rep=user,
                title="A discovery call",
                rubric=rubric or self.rubric,
                state=Submission.State.REVIEWED,
                outcome=outcome,
                requested_at=at - dt.timedelta(hours=2),
            )
            take = Take.objects.create(
                submission=submission, number=1, sent_at=at - dt.timedelta(hours=2)
            )
        return Review.objects.create(
            take=take,
            reviewer=user if self_review else (reviewer or self.coach),
            is_self_review=self_review,
            state=Review.State.SUBMITTED,
            outcome=outcome,
            score=Decimal(score),
            passed=Decimal(score) >= self.rubric.pass_threshold,
            started_at=at - dt.timedelta(hours=1),
            submitted_at=at,
        )

    def meet_everything(self, user: User) -> None:
        self.complete_path(user)
        self.pass_quiz(user)
        self.approve_review(user)
        self.approve_review(user)


def make_program(
    title: str, requirements: list[ProgramRequirement], **fields: Any
) -> CertificationProgram:
    program = CertificationProgram(title=title, **fields)
    for order, requirement in enumerate(requirements):
        requirement.sort_order = order
        program.requirements.add(requirement)
    program.save()
    return program


@pytest.fixture
def program_kit(db: None) -> ProgramKit:
    return ProgramKit()
