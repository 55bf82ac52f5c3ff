"""StreamField blocks that other apps use to show library items (lessons embed
them): the item is referenced, so updating it updates every page showing it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from library.models import LibraryItem


class LibraryItemBlock(blocks.StructBlock):
    """A library item shown in a page: a card's text in full, or the item's title,
    summary and a link to it. A reader outside the item's audience, or an archived
    item, shows nothing."""

    item = SnippetChooserBlock("library.LibraryItem")

    class Meta:
        icon = "folder-open-inverse"
        template = "library/blocks/library_item.html"
        label = _("Library item")

    def get_context(
        self, value: Any, parent_context: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(value, parent_context)
        item: LibraryItem | None = value.get("item")
        request = (parent_context or {}).get("request")
        user = getattr(request, "user", None)
        visible = (
            item is not None
            and user is not None
            and LibraryItem.objects.live()
            .for_audience(user)
            .filter(pk=item.pk)
            .exists()
        )
        context["library_item"] = item if visible else None
        context["freshness"] = item.freshness() if visible and item else None
        return context
