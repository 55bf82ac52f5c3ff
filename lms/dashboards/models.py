from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from lms.dashboards.selectors import start_page_for
from lms.pages import SignInRequiredMixin


class HomePage(SignInRequiredMixin, Page):
    """The site root: every signed-in person's start page, built for their roles.

    Enablement admins edit the welcome text in Wagtail; visitors who are not signed in
    are sent to the sign-in page.
    """

    welcome = RichTextField(
        blank=True, help_text="Shown to everyone at the top of their start page."
    )

    content_panels = [*Page.content_panels, FieldPanel("welcome")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage"]
    max_count = 1

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["start"] = start_page_for(request.user)
        return context


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
