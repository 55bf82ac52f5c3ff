"""Earning, issuing, revoking, expiring and renewing certificates.

Evidence is read from the rows the other apps keep (lesson completions, graded quiz
attempts, submitted coaching reviews), never from what a client says: progress toward
a program is read in certificates/progress.py, and the e-mails are in
certificates/notices.py.

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

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificationProgram,
    ProgramRequirement,
)
from certificates.notices import ISSUED_NOTICE, RENEWAL_NOTICE, renewal_notify
from certificates.progress import latest_certificate, program_progress
from courses.models import (
    Assignment,
    CoursePage,
    LearningPath,
)
from courses.services import assignment_create
from lms.accounts.models import User
from lms.lib import clock
from lms.notifications.models import NotificationLog


class CertificateRefused(Exception):
    """An admin action that cannot be done; str(exc) says why, for the person."""


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
def certificate_pdf_rerender(*, certificate: Certificate) -> None:
    """Render a certificate's PDF again (its file is missing, or a viewer asked for
    it): marked as not rendered, so that the sweep queues it again should the job be
    lost, and queued after commit. Rendering replaces the file, so asking twice is
    harmless."""
    from certificates.tasks import certificate_render_pdf_task

    Certificate.objects.filter(pk=certificate.pk).update(pdf_rendered_at=None)
    certificate_id = certificate.pk
    transaction.on_commit(lambda: certificate_render_pdf_task.delay(certificate_id))


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
    issued_at = issued_at or clock.now()
    expires_at = (
        issued_at + relativedelta(months=program.validity_months)
        if program.validity_months
        else None
    )
    for _attempt in range(10):
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
        raise CertificateRefused(
            _("Give a reason for %(what)s: it goes in the audit log.") % {"what": what}
        )
    return reason


def certificate_issue_manually(
    *, user: User, program: CertificationProgram, actor: User, reason: str
) -> Certificate:
    """An enablement admin issues a certificate by hand (e.g. for someone certified
    before Onramp), with a reason for the audit log. Refused for anyone but an
    enablement admin, without a reason, or while the person holds a valid certificate
    with no renewal open."""
    if not actor.is_enablement_admin:
        raise CertificateRefused(_("Only enablement admins issue certificates."))
    reason = _require_reason(reason, _("issuing it by hand"))
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        latest = latest_certificate(user=user, program=program)
        if (
            latest is not None
            and latest.status == Certificate.Status.ACTIVE
            and latest.renewal_opened_at is None
        ):
            raise CertificateRefused(
                _("%(person)s already holds a valid “%(program)s” certificate.")
                % {"person": user.full_name, "program": program.title}
            )
        cycle = latest.cycle + 1 if latest is not None else 1
        certificate, _created = certificate_issue(
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
        raise CertificateRefused(_("Only enablement admins revoke certificates."))
    reason = _require_reason(reason, _("revoking it"))
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status == Certificate.Status.REVOKED:
        raise CertificateRefused(_("This certificate is revoked already."))
    now = clock.now()
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


def certificates_expire_and_renew(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Daily, from beat: open renewal for valid certificates inside their program's
    renewal window, and for lapsed ones never renewed (assign the renewal content,
    e-mail the holder of a still valid one once; not for inactive programs, which
    issue nothing new), then mark certificates past their expiry as expired (they
    still verify, as expired).
    Running it again changes nothing. Returns how many of each it did."""
    now = now or clock.now()
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
        renewal_notify(certificate=certificate)
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

    now = now or clock.now()
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
            kind=ISSUED_NOTICE,
            key__in=[f"certificate:{pk}" for pk in recent],
        ).values_list("key", flat=True)
    )
    untold = [pk for pk in recent if f"certificate:{pk}" not in told]
    for certificate_id in untold:
        certificate_notify_issued_task.delay(certificate_id)
    return {"pdfs_requeued": len(unrendered), "notices_requeued": len(untold)}
