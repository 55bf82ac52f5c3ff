from __future__ import annotations

from celery import shared_task

from lms.lib.mail import MAIL_RETRY


@shared_task(**MAIL_RETRY)
def certificates_evaluate_task(user_id: int) -> list[int]:
    """Queued after commit by the course, quiz and coaching signals: issue the
    certificates whose requirements the person now meets. Idempotent, so a retry or
    two events arriving together issue one certificate per program and cycle."""
    from certificates.services import certificates_evaluate

    return [certificate.pk for certificate in certificates_evaluate(user_id=user_id)]


@shared_task(**MAIL_RETRY)
def certificates_expire_and_renew_task() -> dict[str, int]:
    """Periodic (beat): open renewals inside the renewal window (assign the renewal
    content, e-mail once) and mark certificates past their expiry as expired; then
    queue again the PDFs and e-mails of new certificates whose jobs were lost.
    Running it again changes nothing."""
    from certificates.services import (
        certificates_expire_and_renew,
        certificates_requeue_stuck,
    )

    return {**certificates_expire_and_renew(), **certificates_requeue_stuck()}


@shared_task
def certificate_render_pdf_task(certificate_id: int) -> str:
    """Queued after a certificate is issued: render its PDF into private storage.
    Rendering again replaces the file, never adds a second one."""
    from certificates.rendering import certificate_render_pdf

    return certificate_render_pdf(certificate_id=certificate_id)


@shared_task(**MAIL_RETRY)
def certificate_notify_issued_task(certificate_id: int) -> bool:
    """Queued after a certificate is issued: e-mail the holder, once."""
    from certificates.models import Certificate
    from certificates.notices import certificate_notify_issued

    certificate = (
        Certificate.objects.select_related("user").filter(pk=certificate_id).first()
    )
    if certificate is None:
        return False
    return certificate_notify_issued(certificate=certificate)
