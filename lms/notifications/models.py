from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationLog(models.Model):
    """A notice sent to a person: makes every notice idempotent. A job claims the row
    (user, kind, key) before sending, so running it again, or twice at once, never
    sends the same notice twice. Operators may delete a row to have it sent again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=32, help_text=_("Which notice, e.g. overdue."))
    key = models.CharField(
        max_length=100,
        help_text=_("What it is about, e.g. assignment:42 or digest:2026-W48."),
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"], name="one_notice_per_user_kind_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} about {self.key} to {self.user}"


class Channel(models.TextChoices):
    """Where a notice reaches a person. Slack and Teams are offered once an
    enablement admin has connected them (automation)."""

    EMAIL = "email", "E-mail"
    SLACK = "slack", "Slack"
    TEAMS = "teams", "Microsoft Teams"
    OFF = "off", "Don't send"


class Timing(models.TextChoices):
    IMMEDIATE = "immediate", "At once"
    DIGEST = "digest", "In a daily digest"


class NoticePreference(models.Model):
    """How a person wants one kind of notice: on which channel (or not at all), at
    once or gathered in a daily digest. Without a row: e-mail, at once. Required
    notices (security, account) ignore it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=32)
    channel = models.CharField(
        max_length=8, choices=Channel.choices, default=Channel.EMAIL
    )
    timing = models.CharField(
        max_length=10, choices=Timing.choices, default=Timing.IMMEDIATE
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="one_preference_per_user_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user}: {self.channel}, {self.timing}"


class NoticePause(models.Model):
    """A person who paused all notices that are not required (a holiday, leave)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    paused_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Notices to {self.user} paused"
