from __future__ import annotations

from wagtail.snippets.models import register_snippet

from library.viewsets import LibraryItemViewSet

register_snippet(LibraryItemViewSet)
