"""Translating pages in tests the way wagtail-localize's "Translate" action does."""

from __future__ import annotations

from typing import Any

from wagtail.models import Page

from courses.services import page_translation_publish


def translate_page(page: Page, language: str, **fields: Any) -> Any:
    """`page` translated into `language` and published, with `fields` written in."""
    return page_translation_publish(page=page, language=language, fields=fields)
