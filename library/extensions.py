"""What higher layers add to the library without the library importing them.

The library sits below courses: it cannot name lessons or courses. Courses
registers, in its AppConfig.ready(), a search source (its lessons and courses the
viewer can see that match the library's search words) and a related source (its
lessons that show a library item). Each source answers for one viewer and keeps to
what that viewer may open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from library.models import LibraryItem
    from lms.accounts.models import User


@dataclass(frozen=True)
class LinkedResult:
    """Something outside the library to show beside it: a lesson or a course."""

    kind_label: str  # "Lesson", "Course"
    title: str
    url: str
    context: str = ""  # e.g. the course a lesson belongs to


SearchSource = Callable[["User", str, int], list[LinkedResult]]
RelatedSource = Callable[["User", "LibraryItem", int], list[LinkedResult]]

_SEARCH_SOURCES: dict[str, SearchSource] = {}
_RELATED_SOURCES: dict[str, RelatedSource] = {}


def register_search_source(name: str, source: SearchSource) -> None:
    _SEARCH_SOURCES[name] = source


def register_related_source(name: str, source: RelatedSource) -> None:
    _RELATED_SOURCES[name] = source


def search_elsewhere(
    *, viewer: User, terms: str, limit: int = 10
) -> list[LinkedResult]:
    """What the registered sources find for these words, for this viewer."""
    found: list[LinkedResult] = []
    for source in _SEARCH_SOURCES.values():
        found += source(viewer, terms, limit)
    return found[:limit]


def related_elsewhere(
    *, viewer: User, item: LibraryItem, limit: int = 10
) -> list[LinkedResult]:
    """What the registered sources show with this item (lessons embedding it)."""
    found: list[LinkedResult] = []
    for source in _RELATED_SOURCES.values():
        found += source(viewer, item, limit)
    return found[:limit]
