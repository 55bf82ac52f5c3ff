"""Reads of the library: what a person may see."""

from __future__ import annotations

from library.models import LibraryItem, LibraryItemQuerySet
from lms.accounts.models import User


def items_visible_to(person: User) -> LibraryItemQuerySet:
    """Every item this person may open: in their audience, not archived."""
    return LibraryItem.objects.live().for_audience(person)


def visible_item(*, viewer: User, item_id: int) -> LibraryItem | None:
    """The item if the viewer may open it, else None (views answer 404)."""
    return items_visible_to(viewer).filter(pk=item_id).select_related("owner").first()
