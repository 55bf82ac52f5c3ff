"""The coaching admin in Wagtail: rubrics as snippets under a "Coaching" menu, for
enablement admins (they hold the coaching rubric permissions, see apps.py). The
rubric form checks the whole rubric before it is saved (coaching.rubrics)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import (
    DeleteView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from coaching.models import PracticePage, Rubric, Submission
from coaching.rubrics import RubricForm


class RubricDeleteView(DeleteView):
    """A rubric that requests or practice pages use stays: their reviews were
    scored on it. Unused rubrics can be deleted."""

    def form_valid(self, form: Any) -> HttpResponse:
        rubric = self.object
        by_requests = Submission.objects.filter(rubric=rubric).exists()
        by_pages = PracticePage.objects.filter(rubric=rubric).exists()
        if by_requests and by_pages:
            refusal = gettext(
                "“%(rubric)s” is used by coaching requests and practice pages, so it "
                "cannot be deleted."
            )
        elif by_requests:
            refusal = gettext(
                "“%(rubric)s” is used by coaching requests, so it cannot be deleted."
            )
        elif by_pages:
            refusal = gettext(
                "“%(rubric)s” is used by practice pages, so it cannot be deleted."
            )
        if by_requests or by_pages:
            messages.error(self.request, refusal % {"rubric": rubric})
            return redirect("wagtailsnippets_coaching_rubric:edit", rubric.pk)
        response: HttpResponse = super().form_valid(form)
        return response


class RubricViewSet(SnippetViewSet):
    model = Rubric
    delete_view_class = RubricDeleteView
    icon = "tasks"
    menu_label = gettext_lazy("Rubrics")
    list_display = [
        "name",
        "pass_threshold",
        Column("criteria_count", label=gettext_lazy("Criteria")),
    ]
    search_fields = ["name", "description"]
    search_backend_name = None
    edit_handler = ObjectList(Rubric.panels, base_form_class=RubricForm)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Rubric]:
        return Rubric.objects.annotate(criteria_count=Count("criteria"))


class CoachingViewSetGroup(SnippetViewSetGroup):
    items = (RubricViewSet,)
    menu_label = gettext_lazy("Coaching")
    menu_icon = "tasks"
    menu_order = 260
