"""The start page's content, registered by the layer that builds it.

The site root (`lms.models.HomePage`) lives in the bottom layer, but what a person
sees on it (their training, their teams, their coaching) comes from the layers above.
The top layer registers one builder in its `AppConfig.ready()`; without one the page
shows only the welcome text. The builder is given the request and the page served (its
welcome text is part of what the builder may render).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from wagtail.models import Page


@dataclass(frozen=True)
class StartPage:
    template: str
    context: Callable[[HttpRequest, Page], Mapping[str, Any]]


WELCOME_ONLY = StartPage(
    template="lms/home_page.html", context=lambda request, page: {}
)

_registered: list[StartPage] = []


def register_start_page(start_page: StartPage) -> None:
    _registered[:] = [start_page]


def registered_start_page() -> StartPage:
    return _registered[0] if _registered else WELCOME_ONLY
