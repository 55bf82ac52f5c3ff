"""The coaching admin in Wagtail: rubrics as snippets under a "Coaching" menu, for
enablement admins (they hold the coaching rubric permissions, see apps.py). The
rubric form checks the whole rubric before it is saved (coaching.rubrics)."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from coaching.models import Rubric
from coaching.rubrics import RubricForm


class RubricViewSet(SnippetViewSet):
    model = Rubric
    icon = "tasks"
    menu_label = "Rubrics"
    list_display = [
        "name",
        "pass_threshold",
        Column("criteria_count", label="Criteria"),
    ]
    search_fields = ["name", "description"]
    search_backend_name = None
    edit_handler = ObjectList(Rubric.panels, base_form_class=RubricForm)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Rubric]:
        return Rubric.objects.annotate(criteria_count=Count("criteria"))


class CoachingViewSetGroup(SnippetViewSetGroup):
    items = (RubricViewSet,)
    menu_label = "Coaching"
    menu_icon = "tasks"
    menu_order = 260
