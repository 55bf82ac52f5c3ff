"""Progress toward a certification program: what each requirement asks, whether the
person meets it in the current cycle, and what to do next.

Read only: evidence comes from the rows the other apps keep (lesson completions, graded
quiz attempts, coaches' submitted reviews). The services issue and renew certificates
from it; My certificates, the renewal e-mail and the coaching hints show it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import F, Max
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certificates.models import Certificate, CertificationProgram, ProgramRequirement
from courses.models import CoursePage, LearningPath
from courses.services import required_progress
from lms.accounts.models import User

if TYPE_CHECKING:
    from courses.quizzes.models import QuizPage


@dataclass(frozen=True)
class RequirementLine:
    label: str
    met: bool
    next_step: str
    url: str = ""
    done: int = 0
    needed: int = 1


@dataclass
class ProgramProgress:
    program: CertificationProgram
    # The newest certificate of any status, if there is one.
    certificate: Certificate | None
    # The cycle the requirements below are for, and the moment evidence counts from.
    cycle: int
    since: dt.datetime | None
    renewal: bool
    lines: list[RequirementLine] = field(default_factory=list)

    @property
    def revoked(self) -> bool:
        return (
            self.certificate is not None
            and self.certificate.status == Certificate.Status.REVOKED
        )

    @property
    def holds_valid(self) -> bool:
        """Certified now and nothing to do (renewal not open)."""
        return (
            self.certificate is not None
            and self.certificate.status == Certificate.Status.ACTIVE
            and self.certificate.renewal_opened_at is None
        )

    @property
    def met_count(self) -> int:
        return sum(line.met for line in self.lines)

    @property
    def complete(self) -> bool:
        return bool(self.lines) and all(line.met for line in self.lines)

    @property
    def summary(self) -> str:
        if self.holds_valid:
            return _("%(program)s: certified") % {"program": self.program.title}
        if self.revoked:
            return _("%(program)s: revoked") % {"program": self.program.title}
        total = len(self.lines)
        return ngettext(
            "%(program)s: %(met)s of %(total)s requirement met",
            "%(program)s: %(met)s of %(total)s requirements met",
            total,
        ) % {"program": self.program.title, "met": self.met_count, "total": total}


def _number(value: Decimal) -> str:
    """A score as the reader's language writes it: 87.5, 87,5; no trailing zeros."""
    return number_format(value.normalize())


def latest_certificate(
    *, user: User, program: CertificationProgram
) -> Certificate | None:
    return (
        Certificate.objects.filter(user=user, program=program)
        .order_by("-cycle")
        .first()
    )


def _target(
    latest: Certificate | None,
) -> tuple[int, dt.datetime | None, bool] | None:
    """The cycle to earn next, the moment its evidence counts from, and whether it is
    a renewal; None while a valid certificate has no renewal open, and after a
    revocation (only an admin issues again)."""
    if latest is None:
        return 1, None, False
    if latest.status == Certificate.Status.REVOKED:
        return None
    if latest.renewal_opened_at is not None:
        return latest.cycle + 1, latest.renewal_opened_at, True
    if latest.status == Certificate.Status.EXPIRED:
        return latest.cycle + 1, latest.expires_at, True
    return None


def _completion_line(
    label: str, needed: int, done: int, where: str, url: str
) -> RequirementLine:
    """A requirement met by completing every required step (of a course or path)."""
    met = needed > 0 and done >= needed
    return RequirementLine(
        label=label,
        met=met,
        next_step=_("Done.")
        if met
        else ngettext(
            "%(done)s of %(needed)s required step done: %(where)s.",
            "%(done)s of %(needed)s required steps done: %(where)s.",
            needed,
        )
        % {"done": done, "needed": needed, "where": where},
        url=url,
        done=done,
        needed=needed,
    )


def _path_line(
    user: User, path: LearningPath, since: dt.datetime | None
) -> RequirementLine:
    courses = [
        step.course
        for step in path.steps.select_related("course").order_by("sort_order", "pk")
    ]
    needed, done = required_progress(user, courses, since=since)
    return _completion_line(
        _("Complete the learning path “%(path)s”") % {"path": path.title},
        needed,
        done,
        _("continue on My learning"),
        reverse("my_learning"),
    )


def _course_line(
    user: User, course: CoursePage, since: dt.datetime | None
) -> RequirementLine:
    needed, done = required_progress(user, [course], since=since)
    return _completion_line(
        _("Complete the course “%(course)s”") % {"course": course.title},
        needed,
        done,
        _("continue the course"),
        course.url or "",
    )


def _quiz_answers_shown(user: User, quiz: QuizPage) -> bool:
    from courses.quizzes.models import QuizAttempt
    from courses.quizzes.selectors import answers_shown_this_cycle
    from courses.selectors import course_cycle_start

    course = CoursePage.objects.get(pk=quiz.get_parent().pk)
    return answers_shown_this_cycle(
        attempts=QuizAttempt.objects.filter(
            user=user, quiz=quiz, answers_shown_at__isnull=False
        ),
        cycle_start=course_cycle_start(user=user, course=course),
    )


def _quiz_line(
    user: User, requirement: ProgramRequirement, since: dt.datetime | None
) -> RequirementLine:
    from courses.quizzes.models import QuizAttempt

    quiz = requirement.quiz
    assert quiz is not None
    attempts = QuizAttempt.objects.counted().filter(
        user=user, quiz=quiz, percent__isnull=False
    )
    if since is not None:
        attempts = attempts.filter(closed_at__gte=since)
    if requirement.min_percent:
        threshold = _("at least %(percent)s%%") % {"percent": requirement.min_percent}
        passing = attempts.filter(percent__gte=requirement.min_percent)
    else:
        threshold = _("the pass mark (%(percent)s%%)") % {
            "percent": quiz.pass_mark_percent
        }
        passing = attempts.filter(percent__gte=F("pass_mark_percent"))
    met = passing.exists()
    best = attempts.aggregate(best=Max("percent"))["best"]
    if met:
        next_step = _("Done.")
    elif best is None:
        next_step = _("Take the quiz.")
    elif _quiz_answers_shown(user, quiz):
        next_step = _(
            "Your best score is %(percent)s%%. The correct answers have been shown "
            "to you, so further attempts are practice and do not count until the "
            "next cycle."
        ) % {"percent": _number(best)}
    else:
        next_step = _("Your best score so far is %(percent)s%%: try again.") % {
            "percent": _number(best)
        }
    return RequirementLine(
        label=_("Pass the quiz “%(quiz)s” with %(threshold)s")
        % {"quiz": quiz.title, "threshold": threshold},
        met=met,
        next_step=next_step,
        url=quiz.url or "",
        done=int(met),
    )


def _reviews_line(
    user: User, requirement: ProgramRequirement, since: dt.datetime | None
) -> RequirementLine:
    from coaching.models import PracticePage, Review, Submission

    rubric = requirement.rubric
    assert rubric is not None
    reviews = (
        Review.objects.by_coaches()
        .submitted()
        .filter(
            outcome=Submission.Outcome.APPROVED,
            take__submission__rep=user,
            take__submission__rubric=rubric,
        )
        .exclude(reviewer=user)
    )
    if requirement.min_score is not None:
        reviews = reviews.filter(score__gte=requirement.min_score)
    if since is not None:
        reviews = reviews.filter(submitted_at__gte=since)
    # Two coaches approving the same take are one piece of evidence, not two.
    done = reviews.values("take_id").distinct().count()
    needed = requirement.min_reviews
    rubric_name = {"needed": needed, "rubric": rubric.name}
    if requirement.min_score is not None:
        label = ngettext(
            "%(needed)s approved coaching review on “%(rubric)s” with a score of at "
            "least %(score)s",
            "%(needed)s approved coaching reviews on “%(rubric)s” with a score of at "
            "least %(score)s",
            needed,
        ) % {**rubric_name, "score": _number(Decimal(requirement.min_score))}
    else:
        label = (
            ngettext(
                "%(needed)s approved coaching review on “%(rubric)s”",
                "%(needed)s approved coaching reviews on “%(rubric)s”",
                needed,
            )
            % rubric_name
        )
    practice = PracticePage.objects.live().filter(rubric=rubric).first()
    url = practice.url if practice is not None else reverse("coaching_request_new")
    met = done >= needed
    return RequirementLine(
        label=label,
        met=met,
        next_step=_("Done.")
        if met
        else _("%(done)s of %(needed)s so far: send a recording for review.")
        % {"done": done, "needed": needed},
        url=url,
        done=min(done, needed),
        needed=needed,
    )


def _requirement_line(
    user: User, requirement: ProgramRequirement, since: dt.datetime | None
) -> RequirementLine:
    kind = ProgramRequirement.Kind
    if requirement.kind == kind.PATH_COMPLETED and requirement.path is not None:
        return _path_line(user, requirement.path, since)
    if requirement.kind == kind.COURSE_COMPLETED and requirement.course is not None:
        return _course_line(user, requirement.course, since)
    if requirement.kind == kind.QUIZ_PASSED and requirement.quiz is not None:
        return _quiz_line(user, requirement, since)
    if requirement.kind == kind.REVIEWS_APPROVED and requirement.rubric is not None:
        return _reviews_line(user, requirement, since)
    # A requirement whose object was never chosen can never be met.
    return RequirementLine(
        label=str(requirement),
        met=False,
        next_step=_("This requirement is incomplete: ask your enablement team."),
    )


def _renewal_lines(
    user: User, program: CertificationProgram, since: dt.datetime | None
) -> list[RequirementLine] | None:
    if program.renewal_path is not None:
        return [_path_line(user, program.renewal_path, since)]
    if program.renewal_course is not None:
        return [_course_line(user, program.renewal_course, since)]
    return None


def program_progress(*, user: User, program: CertificationProgram) -> ProgramProgress:
    """Where a person stands on a program: their newest certificate, and for the
    cycle to earn next, each requirement met or not with what to do next. Used by My
    certificates, the quiz result hint and the evaluation itself."""
    latest = latest_certificate(user=user, program=program)
    target = _target(latest)
    if target is None:
        assert latest is not None
        return ProgramProgress(program, latest, latest.cycle, None, False)
    cycle, since, renewal = target
    lines = _renewal_lines(user, program, since) if renewal else None
    if lines is None:
        lines = [
            _requirement_line(user, requirement, since)
            for requirement in program.requirements.select_related(
                "path", "course", "quiz", "rubric"
            ).order_by("sort_order", "pk")
        ]
    return ProgramProgress(program, latest, cycle, since, renewal, lines)


# Issuing.
