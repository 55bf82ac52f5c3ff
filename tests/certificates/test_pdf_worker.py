"""The certificate PDF rendered by a real Celery worker process."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages

from certificates.models import Certificate
from certificates.tasks import certificate_render_pdf_task
from tests.certificates.test_pdf import decoded_qr_codes, make_certificate, page_text

pytestmark = pytest.mark.worker


def test_it_renders_and_stores_the_pdf_in_the_worker(celery_worker):
    certificate = make_certificate(holder_name="Łukasz Żółć")

    certificate_render_pdf_task.delay(certificate.pk)

    rendered = celery_worker.wait_for(
        lambda: Certificate.objects.filter(
            pk=certificate.pk, pdf_rendered_at__isnull=False
        ).first(),
        timeout=60,
        what="the PDF",
    )
    assert rendered.pdf == "certificates/q8Zr2LkP0aXv5TbN7cWmYe3H.pdf"
    with storages["private"].open(rendered.pdf, "rb") as stored:
        pdf = stored.read()
    assert "Łukasz Żółć" in page_text(pdf)
    (url,) = decoded_qr_codes(pdf)  # the worker's own SITE_URL comes first
    assert url.endswith("/verify/q8Zr2LkP0aXv5TbN7cWmYe3H/")
