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
