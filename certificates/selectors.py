"""What the certificate pages show: a person's programs and certificates, and a
manager's view of their teams' certificates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from certificates.models import Certificate, CertificationProgram
from certificates.progress import ProgramProgress, program_progress
from lms.accounts import visibility
from lms.accounts.models import User
from lms.lib import clock

EXPIRY_HORIZONS = (30, 60, 90)


@dataclass
class MyCertificates:
    progress: list[ProgramProgress]
    certificates: list[Certificate]


def my_certificates(*, user: User) -> MyCertificates:
    """For My certificates: progress on every active program, and every certificate
    the person holds or held (all cycles, newest first)."""
    programs = CertificationProgram.objects.filter(active=True)
    return MyCertificates(
        progress=[program_progress(user=user, program=p) for p in programs],
        certificates=list(
            Certificate.objects.filter(user=user)
            .select_related("program", "user")
            .order_by("-issued_at", "-pk")
        ),
    )


def certificates_visible_to(viewer: User) -> QuerySet[Certificate]:
    """Certificates the viewer may see: their own, those of the people they manage or
    coach, everyone's for enablement admins."""
    if not viewer.is_authenticated:
        return Certificate.objects.none()
    if viewer.is_enablement_admin:
        return Certificate.objects.all()
    return Certificate.objects.filter(user__in=visibility.visible_users(viewer))


def team_certificates(
    *,
    viewer: User,
    status: str = "",
    program_id: int | None = None,
    expiring_within_days: int | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Certificate]:
    """For the team view: the certificates of everyone in the teams the viewer
    manages (their subtrees; everyone for enablement admins), filtered. Expiring
    means valid, ending within the days given, and not renewed yet."""
    now = now or clock.now()
    teams = visibility.managed_teams(viewer)
    certificates = Certificate.objects.filter(user__team__in=teams)
    if status:
        certificates = certificates.filter(status=status)
    if program_id:
        certificates = certificates.filter(program_id=program_id)
    if expiring_within_days:
        # A certificate already renewed (a newer cycle exists) needs nobody's action.
        renewed = Certificate.objects.filter(
            user_id=OuterRef("user_id"),
            program_id=OuterRef("program_id"),
            cycle__gt=OuterRef("cycle"),
        )
        certificates = certificates.filter(
            ~Exists(renewed),
            status=Certificate.Status.ACTIVE,
            expires_at__gt=now,
            expires_at__lte=now + dt.timedelta(days=expiring_within_days),
        )
    return certificates.select_related("user", "user__team", "program").order_by(
        "expires_at" if expiring_within_days else "-issued_at", "pk"
    )


def expiring_counts(*, viewer: User, now: dt.datetime | None = None) -> dict[int, int]:
    """How many valid certificates in the viewer's teams expire within 30, 60 and 90
    days."""
    now = now or clock.now()
    return {
        days: team_certificates(
            viewer=viewer, expiring_within_days=days, now=now
        ).count()
        for days in EXPIRY_HORIZONS
    }
