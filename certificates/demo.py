"""The demo certification program, "Certified Discovery Seller", and certificates in
every state: Grace Adeyemi earned hers through the evaluation, Jonas Weber's expires
within 30 days (renewal open), Sofia Marquez's was revoked, Elena Popescu's expired."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from certificates.models import Certificate, CertificationProgram, ProgramRequirement
from certificates.services import (
    certificate_issue,
    certificate_revoke,
    certificates_evaluate,
    certificates_expire_and_renew,
)
from coaching.models import Rubric
from courses.models import CoursePage, LearningPath
from courses.quizzes.models import QuizPage
from lms.accounts.demo import demo_email
from lms.accounts.models import User
from lms.demo import Log

PROGRAM_TITLE = "Certified Discovery Seller"
PATH_TITLE = "First 30 days"
QUIZ_TITLE = "Discovery calls quiz"
RUBRIC_NAME = "Discovery call"
RENEWAL_COURSE_TITLE = "Discovery calls"
REVOKE_REASON = (
    "Issued before her approved reviews were re-scored under the new rubric; "
    "to be earned again."
)


def seed_certificates(log: Log) -> None:
    program = _program(log)
    admin = User.objects.get(email=demo_email("Priya Nair"))
    now = timezone.now()
    # Jonas earned his about eleven and a half months ago: renewal is open now.
    _backdated(program, "Jonas Weber", now - relativedelta(months=11, days=15))
    # Elena's lapsed two months ago without renewal.
    _backdated(program, "Elena Popescu", now - relativedelta(months=14))
    sofia = _backdated(program, "Sofia Marquez", now - relativedelta(months=3))
    if sofia.status != Certificate.Status.REVOKED:
        certificate_revoke(certificate=sofia, actor=admin, reason=REVOKE_REASON)
    certificates_expire_and_renew(now=now)
    grace = User.objects.get(email=demo_email("Grace Adeyemi"))
    certificates_evaluate(user_id=grace.pk)
    if not Certificate.objects.filter(user=grace, program=program).exists():
        log(
            f"{PROGRAM_TITLE}: Grace Adeyemi does not meet every requirement yet, "
            "so she has no certificate."
        )
    log(
        f"Certification: “{PROGRAM_TITLE}” with "
        f"{Certificate.objects.filter(program=program).count()} certificates."
    )


def _program(log: Log) -> CertificationProgram:
    program, _ = CertificationProgram.objects.get_or_create(title=PROGRAM_TITLE)
    program.description = (
        "Northwind's statement that a rep runs a discovery call on their own: the "
        "onboarding path, the discovery quiz, and two approved practice reviews."
    )
    program.validity_months = 12
    program.renewal_window_days = 30
    program.renewal_course = CoursePage.objects.filter(
        title=RENEWAL_COURSE_TITLE
    ).first()
    program.renewal_path = None
    program.active = True
    requirements = []
    path = LearningPath.objects.filter(title=PATH_TITLE).first()
    if path is not None:
        requirements.append(
            ProgramRequirement(kind=ProgramRequirement.Kind.PATH_COMPLETED, path=path)
        )
    else:
        log(f"{PROGRAM_TITLE}: no path “{PATH_TITLE}”, requirement skipped.")
    quiz = _quiz()
    if quiz is not None:
        requirements.append(
            ProgramRequirement(
                kind=ProgramRequirement.Kind.QUIZ_PASSED, quiz=quiz, min_percent=80
            )
        )
    else:
        log(f"{PROGRAM_TITLE}: no quiz “{QUIZ_TITLE}”, requirement skipped.")
    rubric = _rubric()
    if rubric is not None:
        requirements.append(
            ProgramRequirement(
                kind=ProgramRequirement.Kind.REVIEWS_APPROVED,
                rubric=rubric,
                min_reviews=2,
                min_score=Decimal("3.00"),
            )
        )
    else:
        log(f"{PROGRAM_TITLE}: no rubric “{RUBRIC_NAME}”, requirement skipped.")
    for order, requirement in enumerate(requirements):
        requirement.sort_order = order
    program.requirements = requirements
    program.save()
    return program


def _quiz() -> QuizPage | None:
    return QuizPage.objects.filter(title=QUIZ_TITLE).first()


def _rubric() -> Rubric | None:
    return Rubric.objects.filter(name=RUBRIC_NAME).first()


def _backdated(
    program: CertificationProgram, name: str, issued_at: dt.datetime
) -> Certificate:
    user = User.objects.get(email=demo_email(name))
    existing = Certificate.objects.filter(user=user, program=program).first()
    if existing is not None:
        return existing
    certificate, _ = certificate_issue(
        user=user, program=program, cycle=1, issued_at=issued_at
    )
    return certificate
