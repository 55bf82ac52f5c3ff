from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address (/calendar/<token>.ics): calendar apps
    fetch it without signing in, so the token is random and the person can replace
    it (the old address then stops working at once)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class CalendarRevision(models.Model):
    """The revision (iCalendar SEQUENCE) of one event, by its UID: it goes up when
    the event's date or text changes, so calendars move the event they have."""

    uid = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=32)
    sequence = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.uid} #{self.sequence}"


from automation.sequences.models import (  # noqa: E402  (the sequences' models)
    Enrolment,
    LinkClick,
    Sequence,
    SequenceStep,
    StepSend,
)

__all__ = [
    "CalendarFeed",
    "CalendarRevision",
    "Enrolment",
    "LinkClick",
    "Sequence",
    "SequenceStep",
    "StepSend",
]
