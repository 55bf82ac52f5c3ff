"""Render a certificate's PDF and keep it in private storage.

Called by the Celery task `certificates.tasks.certificate_render_pdf_task` whenever a
certificate is issued (or its PDF must be made again). The page shows what the
certificate row holds (the name and program title as they were at issue), the
organisation's branding from the Wagtail setting, and a QR code of the public
verification URL. One file per certificate: rendering again replaces it.

The page's words and dates are in the holder's language: English, Spanish and
Bengali (drawn in Noto Sans Bengali and shaped by HarfBuzz, see `certificates.pdf`).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from certificates.models import Certificate, CertificateBranding
from certificates.pdf import CertificateData, CertificateWording, render_certificate_pdf
from lms.lib import clock
from lms.lib.digits import localize_digits_for

logger = logging.getLogger(__name__)

LOGO_RENDITION = "max-450x180|format-png"
# Languages whose script the PDF's fonts draw; others get the English page.
PDF_LANGUAGES = {"en", "es", "bn"}


def certificate_render_pdf(*, certificate_id: int) -> str:
    """Render the certificate's PDF, store it as `certificates/<code>.pdf` in private
    storage (replacing an earlier rendering of it, never beside it) and record the
    name and time on the row. Returns the stored name, or "" when the certificate no
    longer exists (deleted with its holder before the task ran)."""
    certificate = (
        Certificate.objects.select_related("user").filter(pk=certificate_id).first()
    )
    if certificate is None:
        return ""
    content = render_certificate_pdf(certificate_data(certificate))
    name = f"certificates/{certificate.verification_code or certificate.serial}.pdf"
    storage = storages["private"]
    with transaction.atomic():
        # Two renders of one certificate take turns here, so one file results.
        locked = (
            Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        )
        if locked is None:
            return ""
        _replace(storage, name, content)
        previous = locked.pdf
        Certificate.objects.filter(pk=certificate_id).update(
            pdf=name, pdf_rendered_at=clock.now()
        )
        if previous and previous != name:
            transaction.on_commit(lambda: storage.delete(previous))
    return name


def certificate_data(certificate: Certificate) -> CertificateData:
    """What the PDF of `certificate` shows. Dates are the holder's calendar dates."""
    branding = (
        CertificateBranding.objects.filter(site__is_default_site=True)
        .select_related("logo")
        .first()
    )
    zone_name = certificate.user.time_zone
    organisation_name = (
        branding.organisation_name if branding else ""
    ) or settings.ORGANISATION_NAME
    return CertificateData(
        organisation_name=organisation_name,
        holder_name=certificate.holder_name,
        program_title=certificate.program_title,
        issued_on=timezone.localtime(
            certificate.issued_at, clock.zone(zone_name)
        ).date(),
        expires_on=clock.local_date(certificate.expires_at, zone_name),
        serial=certificate.serial,
        verification_url=certificate.verification_url,
        signatory=branding.signatory if branding else "",
        logo=_logo_bytes(branding),
        wording=certificate_wording(
            language=certificate.user.language,
            organisation_name=organisation_name,
            serial=certificate.serial,
        ),
    )


def certificate_wording(
    *, language: str, organisation_name: str, serial: str
) -> CertificateWording | None:
    """The PDF's words in `language`, or None (English) when the font cannot draw
    that language's script or the language is English."""
    if language not in PDF_LANGUAGES or language == "en":
        return None
    with translation.override(language):
        return CertificateWording(
            heading=pgettext("the title printed on the PDF", "Certificate"),
            certifies=_("This certifies that"),
            met_every_requirement=_("has met every requirement of the program"),
            issued=_("Issued"),
            valid_until=_("Valid until"),
            does_not_expire=_("Does not expire"),
            serial=_("Serial"),
            scan_to_verify=_("Scan to verify"),
            signed_for=_("for %(organisation)s") % {"organisation": organisation_name},
            subject=_("Certificate %(serial)s") % {"serial": serial},
            format_date=functools.partial(_date_in, language),
        )


def _date_in(language: str, day: dt.date) -> str:
    """The date as the language writes it, in its digits (২ মার্চ, ২০২৬); the
    serial keeps its Western digits (it is a code, read back to verify)."""
    with translation.override(language):
        written = formats.date_format(day, "DATE_FORMAT")
    return localize_digits_for(language, text=written)


def _logo_bytes(branding: CertificateBranding | None) -> bytes | None:
    """A small PNG rendition of the branding logo (decoding the original upload for
    every certificate would cost more than the page). None without a usable logo."""
    if branding is None or branding.logo is None:
        return None
    logo = branding.logo
    if logo.is_svg():
        logger.warning("Certificate logo %s is an SVG; PDFs are made without it.", logo)
        return None
    try:
        rendition = logo.get_rendition(LOGO_RENDITION)
        with rendition.file.open("rb") as data:
            return bytes(data.read())
    except (OSError, ValueError) as error:
        logger.warning("Certificate logo %s cannot be read: %s", logo, error)
        return None


def _replace(storage: Storage, name: str, content: bytes) -> None:
    """Put `content` at `name`, replacing what is there. On local disk the bytes go
    to a temporary name first and are renamed over the old file in one step, so a
    reader sees the old PDF or the new one, never half of one. Other storages (S3)
    have no rename: the old object is deleted and the new one uploaded under the
    same name (the download view renders again if it asks in between)."""
    if not isinstance(storage, FileSystemStorage):
        if storage.exists(name):
            storage.delete(name)
        stored = storage.save(name, ContentFile(content))
        if stored != name:
            storage.delete(stored)
            raise RuntimeError(f"Storage kept the certificate PDF as {stored}.")
        return
    folder, _, filename = name.rpartition("/")
    temporary = storage.save(
        f"{folder}/.{filename}.{secrets.token_hex(6)}.tmp", ContentFile(content)
    )
    try:
        os.replace(storage.path(temporary), storage.path(name))
    except OSError:
        storage.delete(temporary)
        raise
