from __future__ import annotations

from typing import Any

from django.http import HttpRequest
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
