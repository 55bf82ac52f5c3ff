from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from lms.dashboards.selectors import start_page_for


class HomePage(Page):
    """The site root: every signed-in person's start page, built for their roles.

    Enablement admins edit the welcome text in Wagtail; visitors who are not signed in
    are sent to the sign-in page.
    """

    welcome = RichTextField(
        blank=True, help_text="Shown to everyone at the top of their start page."
    )

    content_panels = [*Page.content_panels, FieldPanel("welcome")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["start"] = start_page_for(request.user)
        return context
