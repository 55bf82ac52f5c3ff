from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from lms.navigation import nav_items_for


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    return {
        "nav_items": nav_items_for(user, request.path) if user.is_authenticated else [],
        "organisation_name": settings.ORGANISATION_NAME,
    }
