"""The main navigation, by role. Each app registers its own items in ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.functional import Promise

if TYPE_CHECKING:
    from lms.accounts.models import User


@dataclass(frozen=True)
class NavItem:
    label: str | Promise  # a lazily translated name
    # A URL name, or a path for pages Wagtail serves (such as "/").
    target: str
    order: int
    is_visible: Callable[[User], bool] = field(compare=False)


_ITEMS: dict[str, NavItem] = {}


def register_nav_item(item: NavItem) -> None:
    _ITEMS[item.target] = item


def nav_items_for(user: User, path: str) -> list[dict[str, object]]:
    """The items this user may use, with the one for the current page marked."""
    if not user.is_authenticated:
        return []
    items = []
    for item in sorted(_ITEMS.values(), key=lambda i: i.order):
        if not item.is_visible(user):
            continue
        url = item.target if item.target.startswith("/") else reverse(item.target)
        current = path == url if url == "/" else path.startswith(url)
        items.append({"label": str(item.label), "url": url, "current": current})
    return items


@dataclass(frozen=True)
class ProfileLink:
    """A link on the profile page to something of one's own that a higher layer
    keeps: a settings page (the calendar feed) or, with `download`, a file of one's
    data (the learning record) listed under "Your data"."""

    label: str | Promise
    url_name: str
    description: str | Promise
    order: int = 50
    download: bool = False


_PROFILE_LINKS: dict[str, ProfileLink] = {}


def register_profile_link(link: ProfileLink) -> None:
    _PROFILE_LINKS[link.url_name] = link


def profile_links(*, download: bool) -> list[dict[str, str]]:
    """The registered settings links (or downloads), in order, with addresses."""
    return [
        {
            "label": str(link.label),
            "url": reverse(link.url_name),
            "text": str(link.description),
        }
        for link in sorted(_PROFILE_LINKS.values(), key=lambda link: link.order)
        if link.download == download
    ]
