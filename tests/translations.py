"""Translating pages in tests the way wagtail-localize's "Translate" action does."""

from __future__ import annotations

from typing import Any

from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource


def translate_page(page: Page, language: str, **fields: Any) -> Any:
    """`page` translated into `language` by wagtail-localize (its parents copied
    first when they are not translated yet), with `fields` written into the
    translation, published."""
    locale = Locale.objects.get(language_code=language)
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation, _created = source.create_or_update_translation(
        locale, copy_parent_pages=True, fallback=True
    )
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return type(translation).objects.get(pk=translation.pk)
