"""A message as an e-mail: a plain-text and an HTML part, with List-Unsubscribe."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


def email_send(
    *, to: str, subject: str, text: str, html: str, headers: dict[str, str]
) -> None:
    """Send at once; errors from the mail server are raised to the caller."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    message.send()
