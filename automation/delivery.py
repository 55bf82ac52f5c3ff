"""Sending one automated message to one person, once.

Provisional: this version sends e-mail only. The channels work (Slack, Teams,
preferences, unsubscribe and the delivery log) replaces this module with the same
`send` signature.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from lms.accounts.models import User
from lms.notifications.models import NotificationLog


def send(
    *,
    recipient: User,
    channel: str,
    kind: str,
    key: str,
    subject: str,
    text: str,
    html: str,
    url: str | None = None,
    required: bool = False,
) -> bool:
    """Send `recipient` the message `kind` about `key` on `channel`, unless it was
    sent before (claimed in the notification log first, withdrawn if sending fails).
    Returns whether this call sent it."""
    if channel != "email":
        raise ValueError(f"Channel {channel!r} is not available.")
    with transaction.atomic():
        claim, created = NotificationLog.objects.get_or_create(
            user=recipient, kind=kind, key=key
        )
    if not created:
        return False
    try:
        message = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
        )
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception:
        NotificationLog.objects.filter(pk=claim.pk).delete()
        raise
    return True
