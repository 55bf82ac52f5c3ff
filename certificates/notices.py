"""The e-mails certificates send: issued, and renewal opened. Each is sent once per
certificate (lms.notifications), with dates on the holder's calendar, in the holder's
language (the subject and the requirement lines are made in it too)."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates.models import Certificate
from certificates.progress import program_progress
from lms.lib import clock
from lms.lib.urls import absolute_url
from lms.notifications.services import notify_once

ISSUED_NOTICE = "certificate_issued"
RENEWAL_NOTICE = "certificate_renewal"


def certificate_notify_issued(*, certificate: Certificate) -> bool:
    """E-mail the holder that their certificate was issued, once, with dates on
    their calendar."""
    with (
        timezone.override(clock.zone(certificate.user.time_zone)),
        translation.override(certificate.user.preferred_language),
    ):
        return notify_once(
            user=certificate.user,
            kind=ISSUED_NOTICE,
            key=f"certificate:{certificate.pk}",
            subject=_("You are certified: %(program)s")
            % {"program": certificate.program_title},
            template="certificates/email/issued",
            context={
                "certificate": certificate,
                "first_name": certificate.user.get_short_name(),
                "mine_url": absolute_url("certificates_mine"),
                "verify_url": certificate.verification_url,
            },
        )


def renewal_notify(*, certificate: Certificate) -> bool:
    """E-mail the holder once that renewal has opened, with what it asks."""
    key = f"certificate:{certificate.pk}"
    with (
        timezone.override(clock.zone(certificate.user.time_zone)),
        translation.override(certificate.user.preferred_language),
    ):
        progress = program_progress(user=certificate.user, program=certificate.program)
        return notify_once(
            user=certificate.user,
            kind=RENEWAL_NOTICE,
            key=key,
            subject=_("Renew your “%(program)s” certificate")
            % {"program": certificate.program_title},
            template="certificates/email/renewal",
            context={
                "certificate": certificate,
                "first_name": certificate.user.get_short_name(),
                "lines": progress.lines,
                "mine_url": absolute_url("certificates_mine"),
            },
        )
