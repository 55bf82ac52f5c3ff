"""StreamField blocks that other apps use to show library items (lessons embed
them): the item is referenced, so updating it updates every page showing it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from library import translations
from library.models import LibraryItem


class LibraryItemBlock(blocks.StructBlock):
    """A library item shown in a page: a card's text in full, or the item's title,
    summary and a link to it, in the reader's language when the item has a
    translation into it. A reader outside the item's audience, or an archived
    item, shows nothing. A translated lesson may hold the item's translation: the
    source item decides, as everywhere in the library."""

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
        source = (
            LibraryItem.objects.live()
            .for_audience(user)
            .filter(translation_key=item.translation_key)
            .first()
            if item is not None and user is not None
            else None
        )
        shown = (
            translations.shown_one(user, source)
            if source is not None and user is not None
            else None
        )
        context["library_item"] = shown
        context["freshness"] = shown.freshness() if shown else None
        return context
