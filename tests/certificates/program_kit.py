"""A certification program over a small catalogue, for certificate tests.

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

from django.utils import timezone

from certificates.models import ProgramRequirement
from coaching.models import Review, Rubric, Submission, Take
from courses.models import (
    LessonCompletion,
)
from courses.quizzes.models import QuizAttempt
from courses.services import lesson_complete
from lms.accounts.models import User
from tests.factories import (
    CoursePageFactory,
    LessonPageFactory,
    QuizPageFactory,
    make_coach,
    make_path,
    make_program,
    make_rubric,
)


class ProgramKit:
    def __init__(self) -> None:
        self.course = CoursePageFactory(
            title="Discovery calls", summary="Ask questions."
        )
        self.index = self.course.get_parent().specific
        self.lessons = [
            LessonPageFactory(parent=self.course, title=title)
            for title in ("Why discovery", "Questions that open")
        ]
        self.quiz = QuizPageFactory(parent=self.course, title="Discovery calls quiz")
        self.path = make_path("First 30 days", (self.course, 30))
        self.rubric = make_rubric(
            "Discovery call", [("Questioning", 100)], pass_threshold="3.00"
        )
        self.other_rubric = make_rubric("Demo", [("Flow", 100)])
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
