"""The library in the Wagtail admin: items as snippets under a "Library" menu, for
enablement admins."""

from __future__ import annotations

from django.db.models import Case, QuerySet, Value, When
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from library.forms import LibraryItemForm
from library.models import LibraryItem
from library.translations import out_of_date
from lms.pages import source_language


class LibraryItemViewSet(SnippetViewSet):
    model = LibraryItem
    icon = "folder-open-inverse"
    menu_label = _("Library")
    menu_name = "library"
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "title",
        Column("kind_label", label=_("Kind")),
        "owner",
        "review_by",
        "shareable",
        Column("translation_state", label=_("Translation")),
    ]
    list_filter = ["kind", "deal_stage", "shareable", "audience_everyone"]
    search_fields = ["title", "summary", "product", "competitor", "persona"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            *LibraryItem.panels,
            FieldPanel("new_file"),
            HelpPanel(
                template="library/admin/versions_panel.html",
                heading=_("Versions"),
            ),
        ],
        base_form_class=LibraryItemForm,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[LibraryItem]:
        """Every row, translations with whether they are out of date (for the
        Translation column): one query for the page."""
        return LibraryItem.objects.annotate(
            out_of_date=Case(
                When(locale__language_code=source_language(), then=Value(None)),
                default=out_of_date(),
            )
        ).select_related("owner", "locale")
