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


class SlackWorkspace(models.Model):
    """The Slack app Onramp posts as: one per site. The bot token is sealed with
    INTEGRATIONS_ENCRYPTION_KEY (lms.lib.crypto) and never shown again."""

    sealed_token = models.TextField()
    enabled = models.BooleanField(default=True)
    workspace_name = models.CharField(max_length=200, blank=True)
    last_tested_at = models.DateTimeField(null=True, blank=True)
    last_test_ok = models.BooleanField(default=False)
    last_error = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"Slack workspace {self.workspace_name or '(untested)'}"


class TeamsWebhook(models.Model):
    """A Microsoft Teams channel of one team, reached through a Workflows or
    incoming webhook: notices to the team's people (sub-teams included, unless
    one has its own) are posted there as Adaptive Cards. The address is a secret
    (whoever has it may post), so it is sealed like the Slack token."""

    team = models.OneToOneField(
        "accounts.Team", on_delete=models.CASCADE, related_name="+"
    )
    sealed_url = models.TextField()
    host = models.CharField(max_length=255, help_text="Shown to admins instead.")
    enabled = models.BooleanField(default=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Teams webhook of {self.team}"


class Delivery(models.Model):
    """One message on one channel: what became of it (sent, failed, skipped by
    the person's preferences, queued for their daily digest), the error, and how
    many times it was retried (rate limits). A Slack delivery that failed points
    to the e-mail sent instead."""

    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"
        QUEUED = "queued", "Queued for the daily digest"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=32)
    key = models.CharField(max_length=100)
    channel = models.CharField(max_length=8)
    status = models.CharField(max_length=8, choices=Status.choices)
    error = models.CharField(max_length=300, blank=True)
    retries = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    fallback_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fallback",
    )
    # Kept for the daily digest, which sends them later.
    subject = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key", "channel"],
                name="one_delivery_per_message_and_channel",
            )
        ]
        indexes = [models.Index(fields=["status", "user"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} to {self.user} by {self.channel}: {self.status}"


class SlackIdentity(models.Model):
    """Who a person is in Slack and their DM with the app, found once by e-mail
    (users.lookupByEmail, conversations.open), so that later messages cost one call
    (chat.postMessage). Forgotten when the e-mail changes or Slack refuses it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(help_text="The e-mail it was found by.")
    member_id = models.CharField(max_length=32)
    dm_channel = models.CharField(max_length=32)
    found_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} is {self.member_id} in Slack"


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
