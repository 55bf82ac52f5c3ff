"""Nudge sequences in the Wagtail admin, for enablement admins: the editor
(trigger, audience, steps, exit, quiet hours) as a snippet, and a link from the
list to each sequence's page (analytics, preview, test, pause and resume)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from automation.sequences.models import Sequence


class ReportColumn(Column):
    def get_value(self, instance: Any) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("sequences_admin:detail", args=[instance.pk]),
            gettext("Analytics and preview"),
        )


class SequenceViewSet(SnippetViewSet):
    model = Sequence
    icon = "mail"
    menu_label = gettext_lazy("Sequences")
    menu_name = "sequences"
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        "name",
        Column("get_trigger_display", label=gettext_lazy("Trigger")),
        Column("get_status_display", label=gettext_lazy("Status")),
        ReportColumn("report", label=gettext_lazy("Report")),
    ]
    list_filter = ["status", "trigger"]
