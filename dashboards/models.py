from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SalesOutcome(models.Model):
    """A rep's sales results for one month, imported from the CRM by an enablement
    admin or a manager (CSV). Ramp analytics compare them with training; a re-import
    of the same rep and month replaces that month's figures."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcomes"
    )
    month = models.DateField(help_text="The first day of the month.")
    opportunities = models.PositiveIntegerField()
    deals_won = models.PositiveIntegerField()
    revenue = models.DecimalField(max_digits=14, decimal_places=2)
    quota = models.DecimalField(max_digits=14, decimal_places=2)
    first_deal_on = models.DateField(
        null=True, blank=True, help_text="The date of the rep's first closed deal."
    )
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["user", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "month"], name="one_outcome_per_rep_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.month:%Y-%m}"
