"""Earning, issuing, revoking, expiring and renewing certificates.

Evidence is read from the rows the other apps keep (lesson completions, graded quiz
attempts, submitted coaching reviews), never from what a client says.

Cycles: a person's first certificate for a program is cycle 1 and counts evidence
from any time. Once renewal opens for a certificate (inside the renewal window, or at
expiry if it never opened), the next cycle counts only evidence newer than that
moment, and asks for the program's renewal content (its renewal path or course) when
the program names one, or for all of its requirements again when it does not. A
revoked certificate is not earned back automatically (the evidence that earned it is
still there): an enablement admin issues the next cycle by hand, with a reason, once
the person has made good. Every cycle's certificate stays in the history.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, F, Max, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificationProgram,
    ProgramRequirement,
)
from courses.models import (
    Assignment,
    CoursePage,
    LearningPath,
)
from courses.services import assignment_create, required_progress
from lms.accounts.models import User
from lms.lib import clock
from lms.lib.urls import absolute_url
from lms.notifications.models import NotificationLog

RENEWAL_NOTICE = "certificate_renewal"


class CertificateRefused(Exception):
    """An admin action that cannot be done; str(exc) says why, for the person."""


# Progress: what each requirement asks, whether it is met, and what to do next.


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
            return f"{self.program.title}: certified"
        if self.revoked:
            return f"{self.program.title}: revoked"
        return (
            f"{self.program.title}: {self.met_count} of {len(self.lines)} "
            f"requirement{'s' if len(self.lines) != 1 else ''} met"
        )


def _latest_certificate(
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


def _path_line(
    user: User, path: LearningPath, since: dt.datetime | None
) -> RequirementLine:
    courses = [
        step.course
        for step in path.steps.select_related("course").order_by("sort_order", "pk")
    ]
    needed, done = required_progress(user, courses, since=since)
    met = needed > 0 and done >= needed
    return RequirementLine(
        label=f"Complete the learning path “{path.title}”",
        met=met,
        next_step="Done."
        if met
        else f"{done} of {needed} required steps done: continue on My learning.",
        url=reverse("my_learning"),
        done=done,
        needed=needed,
    )


def _course_line(
    user: User, course: CoursePage, since: dt.datetime | None
) -> RequirementLine:
    needed, done = required_progress(user, [course], since=since)
    met = needed > 0 and done >= needed
    return RequirementLine(
        label=f"Complete the course “{course.title}”",
        met=met,
        next_step="Done."
        if met
        else f"{done} of {needed} required steps done: continue the course.",
        url=course.url or "",
        done=done,
        needed=needed,
    )


def _quiz_line(
    user: User, requirement: ProgramRequirement, since: dt.datetime | None
) -> RequirementLine:
    from courses.quizzes.models import QuizAttempt

    quiz = requirement.quiz
    assert quiz is not None
    attempts = QuizAttempt.objects.graded().filter(
        user=user, quiz=quiz, percent__isnull=False
    )
    if since is not None:
        attempts = attempts.filter(closed_at__gte=since)
    if requirement.min_percent:
        threshold = f"at least {requirement.min_percent}%"
        passing = attempts.filter(percent__gte=requirement.min_percent)
    else:
        threshold = f"the pass mark ({quiz.pass_mark_percent}%)"
        passing = attempts.filter(percent__gte=F("pass_mark_percent"))
    met = passing.exists()
    best = attempts.aggregate(best=Max("percent"))["best"]
    if met:
        next_step = "Done."
    elif best is None:
        next_step = "Take the quiz."
    else:
        next_step = f"Your best score so far is {best.normalize():f}%: try again."
    return RequirementLine(
        label=f"Pass the quiz “{quiz.title}” with {threshold}",
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
    score = (
        f" with a score of at least {Decimal(requirement.min_score).normalize():f}"
        if requirement.min_score is not None
        else ""
    )
    practice = PracticePage.objects.live().filter(rubric=rubric).first()
    url = practice.url if practice is not None else reverse("coaching_request_new")
    met = done >= needed
    return RequirementLine(
        label=f"{needed} approved coaching review{'s' if needed != 1 else ''} on "
        f"“{rubric.name}”{score}",
        met=met,
        next_step="Done."
        if met
        else f"{done} of {needed} so far: send a recording for review.",
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
        next_step="This requirement is incomplete: ask your enablement team.",
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
    latest = _latest_certificate(user=user, program=program)
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


def _next_serial(year: int) -> str:
    stem = f"{settings.CERTIFICATE_SERIAL_PREFIX}-{year}-"
    last = (
        Certificate.objects.filter(serial__startswith=stem)
        .order_by("-serial")
        .values_list("serial", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{number:06d}"


def _after_issue(certificate_id: int) -> None:
    from certificates.tasks import (
        certificate_notify_issued_task,
        certificate_render_pdf_task,
    )

    certificate_render_pdf_task.delay(certificate_id)
    certificate_notify_issued_task.delay(certificate_id)


@transaction.atomic
def certificate_issue(
    *,
    user: User,
    program: CertificationProgram,
    cycle: int,
    actor: User | None = None,
    reason: str = "",
    issued_at: dt.datetime | None = None,
) -> tuple[Certificate, bool]:
    """Issue the program's certificate for this cycle, unless it exists already
    (returned, with False). The serial is sequential per year, the verification
    code random; the name and program title are kept as they are now. After commit
    the PDF is rendered and the holder e-mailed. Used by the evaluation and by
    `certificate_issue_manually`."""
    issued_at = issued_at or timezone.now()
    expires_at = (
        issued_at + relativedelta(months=program.validity_months)
        if program.validity_months
        else None
    )
    for _ in range(10):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    program=program,
                    user=user,
                    cycle=cycle,
                    serial=_next_serial(issued_at.year),
                    verification_code=secrets.token_urlsafe(18),
                    holder_name=user.full_name or user.email,
                    program_title=program.title,
                    issued_at=issued_at,
                    expires_at=expires_at,
                    issued_by=actor,
                    issue_reason=reason,
                )
        except IntegrityError:
            existing = Certificate.objects.filter(
                program=program, user=user, cycle=cycle
            ).first()
            if existing is not None:
                return existing, False
            continue  # another certificate took the serial: take the next one
        break
    else:
        raise RuntimeError("Could not find a free certificate serial.")
    CertificateEvent.objects.create(
        certificate=certificate,
        action=CertificateEvent.Action.ISSUED_MANUALLY
        if actor is not None
        else CertificateEvent.Action.ISSUED,
        actor=actor,
        reason=reason,
        at=issued_at,
    )
    transaction.on_commit(lambda: _after_issue(certificate.pk))
    return certificate, True


def certificates_evaluate(*, user_id: int) -> list[Certificate]:
    """Issue every certificate whose requirements the person now meets; returns the
    ones issued by this call. Runs in a Celery task on the course, quiz and coaching
    events; idempotent: events arriving twice or together issue one certificate per
    program and cycle (the person's row is locked while evaluating, and the unique
    constraint on program, person and cycle backs it up)."""
    issued = []
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None or not user.is_active:
            return []
        for program in CertificationProgram.objects.filter(active=True):
            progress = program_progress(user=user, program=program)
            if progress.holds_valid or not progress.complete:
                continue
            certificate, created = certificate_issue(
                user=user, program=program, cycle=progress.cycle
            )
            if created:
                issued.append(certificate)
    return issued


def _require_reason(reason: str, what: str) -> str:
    reason = reason.strip()
    if not reason:
        raise CertificateRefused(f"Give a reason for {what}: it goes in the audit log.")
    return reason


def certificate_issue_manually(
    *, user: User, program: CertificationProgram, actor: User, reason: str
) -> Certificate:
    """An enablement admin issues a certificate by hand (e.g. for someone certified
    before Onramp), with a reason for the audit log. Refused for anyone but an
    enablement admin, without a reason, or while the person holds a valid certificate
    with no renewal open."""
    if not actor.is_enablement_admin:
        raise CertificateRefused("Only enablement admins issue certificates.")
    reason = _require_reason(reason, "issuing it by hand")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        latest = _latest_certificate(user=user, program=program)
        if (
            latest is not None
            and latest.status == Certificate.Status.ACTIVE
            and latest.renewal_opened_at is None
        ):
            raise CertificateRefused(
                f"{user.full_name} already holds a valid “{program.title}” certificate."
            )
        cycle = latest.cycle + 1 if latest is not None else 1
        certificate, _ = certificate_issue(
            user=user, program=program, cycle=cycle, actor=actor, reason=reason
        )
    return certificate


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, actor: User, reason: str
) -> Certificate:
    """An enablement admin revokes a certificate, with a reason for the audit log.
    It then verifies as revoked; only an admin's manual issue certifies the person
    again."""
    if not actor.is_enablement_admin:
        raise CertificateRefused("Only enablement admins revoke certificates.")
    reason = _require_reason(reason, "revoking it")
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status == Certificate.Status.REVOKED:
        raise CertificateRefused("This certificate is revoked already.")
    now = timezone.now()
    locked.status = Certificate.Status.REVOKED
    locked.revoked_at, locked.revoked_by, locked.revoked_reason = now, actor, reason
    locked.save(update_fields=["status", "revoked_at", "revoked_by", "revoked_reason"])
    CertificateEvent.objects.create(
        certificate=locked,
        action=CertificateEvent.Action.REVOKED,
        actor=actor,
        reason=reason,
        at=now,
    )
    return locked


# Expiry and renewal (daily, from beat).


def _has_newer_cycle(certificate: Certificate) -> bool:
    return Certificate.objects.filter(
        user_id=certificate.user_id,
        program_id=certificate.program_id,
        cycle__gt=certificate.cycle,
    ).exists()


def _renewal_content(
    program: CertificationProgram,
) -> list[tuple[LearningPath | None, CoursePage | None]]:
    """What to assign when renewal opens: the program's renewal path or course, else
    the paths and courses among its requirements (done afresh for the new cycle)."""
    if program.renewal_path is not None:
        return [(program.renewal_path, None)]
    if program.renewal_course is not None:
        return [(None, program.renewal_course)]
    return [
        (requirement.path, requirement.course)
        for requirement in program.requirements.select_related("path", "course")
        if requirement.path is not None
        and requirement.kind == ProgramRequirement.Kind.PATH_COMPLETED
        or requirement.course is not None
        and requirement.kind == ProgramRequirement.Kind.COURSE_COMPLETED
    ]


def _renewal_open(certificate: Certificate, now: dt.datetime) -> bool:
    """Open renewal for one certificate: record it, assign the renewal content
    (counting from now, due at expiry). Returns whether this call opened it."""
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update()
            .select_related("program", "user")
            .get(pk=certificate.pk)
        )
        if (
            locked.renewal_opened_at is not None
            or locked.status == Certificate.Status.REVOKED
            or _has_newer_cycle(locked)
        ):
            return False
        locked.renewal_opened_at = now
        locked.save(update_fields=["renewal_opened_at"])
        CertificateEvent.objects.create(
            certificate=locked, action=CertificateEvent.Action.RENEWAL_OPENED, at=now
        )
        due_at = (
            locked.expires_at if locked.expires_at and locked.expires_at > now else None
        )
        for path, course in _renewal_content(locked.program):
            assignment_create(
                user=locked.user,
                reason=Assignment.Reason.RECERTIFICATION,
                path=path,
                course=course,
                due_at=due_at,
                counts_from=now,
            )
    return True


def _renewal_notify(certificate: Certificate) -> None:
    from lms.notifications.services import notify_once

    key = f"certificate:{certificate.pk}"
    progress = program_progress(user=certificate.user, program=certificate.program)
    with timezone.override(clock.zone(certificate.user.time_zone)):
        notify_once(
            user=certificate.user,
            kind=RENEWAL_NOTICE,
            key=key,
            subject=f"Renew your “{certificate.program_title}” certificate",
            template="certificates/email/renewal",
            context={
                "certificate": certificate,
                "first_name": certificate.user.get_short_name(),
                "lines": progress.lines,
                "mine_url": absolute_url("certificates_mine"),
            },
        )


def certificates_expire_and_renew(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Daily, from beat: open renewal for valid certificates inside their program's
    renewal window, and for lapsed ones never renewed (assign the renewal content,
    e-mail the holder of a still valid one once; not for inactive programs, which
    issue nothing new), then mark certificates past their expiry as expired (they
    still verify, as expired).
    Running it again changes nothing. Returns how many of each it did."""
    now = now or timezone.now()
    opened = 0
    renewed = Certificate.objects.filter(
        user_id=OuterRef("user_id"),
        program_id=OuterRef("program_id"),
        cycle__gt=OuterRef("cycle"),
    )
    for program in CertificationProgram.objects.filter(active=True):
        # Expired ones too: a certificate that lapsed while its program was inactive
        # gets its renewal content once the program is active again (without it,
        # lessons done before would never be recorded again for the new cycle).
        due = Certificate.objects.filter(
            ~Exists(renewed),
            program=program,
            status__in=[Certificate.Status.ACTIVE, Certificate.Status.EXPIRED],
            renewal_opened_at__isnull=True,
            expires_at__isnull=False,
            expires_at__lte=now + dt.timedelta(days=program.renewal_window_days),
        ).select_related("program", "user")
        for certificate in due:
            if _renewal_open(certificate, now):
                opened += 1
    # The e-mail goes out after the commit, once per certificate however often this
    # runs (also when an earlier run failed to send it).
    # Those already told or already renewed are left out in the query, so that an
    # hourly run with nothing to send costs one query, however many are open.
    told = NotificationLog.objects.filter(
        user_id=OuterRef("user_id"),
        kind=RENEWAL_NOTICE,
        key=Concat(Value("certificate:"), Cast(OuterRef("pk"), CharField())),
    )
    pending_notice = Certificate.objects.filter(
        ~Exists(renewed),
        ~Exists(told),
        renewal_opened_at__isnull=False,
        status=Certificate.Status.ACTIVE,
        expires_at__gt=now,
        user__is_active=True,
    ).select_related("program", "user")
    for certificate in pending_notice:
        _renewal_notify(certificate)
    expired = 0
    for certificate in Certificate.objects.filter(
        status=Certificate.Status.ACTIVE, expires_at__lte=now
    ):
        with transaction.atomic():
            changed = Certificate.objects.filter(
                pk=certificate.pk, status=Certificate.Status.ACTIVE
            ).update(status=Certificate.Status.EXPIRED)
            if changed:
                CertificateEvent.objects.create(
                    certificate=certificate,
                    action=CertificateEvent.Action.EXPIRED,
                    at=certificate.expires_at or now,
                )
                expired += 1
    return {"renewals_opened": opened, "expired": expired}


# The PDF and the e-mail are queued after commit; a broker that was down then, or a
# worker that gave up, would leave them undone for good without this sweep.
STUCK_AFTER = dt.timedelta(minutes=15)
ISSUED_NOTICE_WITHIN = dt.timedelta(days=7)


def certificates_requeue_stuck(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Periodic sweeper (with the hourly expiry job): queue again the PDF of every
    certificate issued over 15 minutes ago that has none yet, and the "you are
    certified" e-mail of every certificate issued in the last week (not revoked)
    whose holder was never told. Both jobs are idempotent, so a duplicate of one
    still waiting in the queue is harmless. Returns how many of each it queued."""
    from certificates.tasks import (
        certificate_notify_issued_task,
        certificate_render_pdf_task,
    )

    now = now or timezone.now()
    unrendered = list(
        Certificate.objects.filter(
            pdf_rendered_at__isnull=True, issued_at__lt=now - STUCK_AFTER
        ).values_list("pk", flat=True)
    )
    for certificate_id in unrendered:
        certificate_render_pdf_task.delay(certificate_id)
    recent = list(
        Certificate.objects.filter(
            issued_at__lt=now - STUCK_AFTER,
            issued_at__gte=now - ISSUED_NOTICE_WITHIN,
            user__is_active=True,
        )
        .exclude(status=Certificate.Status.REVOKED)
        .values_list("pk", flat=True)
    )
    told = set(
        NotificationLog.objects.filter(
            kind="certificate_issued",
            key__in=[f"certificate:{pk}" for pk in recent],
        ).values_list("key", flat=True)
    )
    untold = [pk for pk in recent if f"certificate:{pk}" not in told]
    for certificate_id in untold:
        certificate_notify_issued_task.delay(certificate_id)
    return {"pdfs_requeued": len(unrendered), "notices_requeued": len(untold)}


def certificate_notify_issued(*, certificate: Certificate) -> bool:
    """E-mail the holder that their certificate was issued, once, with dates on
    their calendar."""
    from lms.notifications.services import notify_once

    with timezone.override(clock.zone(certificate.user.time_zone)):
        return notify_once(
            user=certificate.user,
            kind="certificate_issued",
            key=f"certificate:{certificate.pk}",
            subject=f"You are certified: {certificate.program_title}",
            template="certificates/email/issued",
            context={
                "certificate": certificate,
                "first_name": certificate.user.get_short_name(),
                "mine_url": absolute_url("certificates_mine"),
                "verify_url": certificate.verification_url,
            },
        )
