from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from lms.pages import FastRoutingMixin, SignInRequiredMixin
from lms.start_page import registered_start_page


class HomePage(FastRoutingMixin, SignInRequiredMixin, Page):
    """The site root: every signed-in person's start page, built for their roles.

    Enablement admins edit the welcome text in Wagtail; visitors who are not signed in
    are sent to the sign-in page. What the page shows below the welcome comes from the
    start page the top layer registers (`lms.start_page`).
    """

    welcome = RichTextField(
        blank=True, help_text=_("Shown to everyone at the top of their start page.")
    )

    content_panels = [*Page.content_panels, FieldPanel("welcome")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage"]
    max_count = 1

    def get_template(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return registered_start_page().template

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context.update(registered_start_page().context(request, self))
        return context
