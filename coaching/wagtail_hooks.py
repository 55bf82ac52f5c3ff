from __future__ import annotations

from wagtail.snippets.models import register_snippet

from coaching.viewsets import CoachingViewSetGroup

register_snippet(CoachingViewSetGroup)
