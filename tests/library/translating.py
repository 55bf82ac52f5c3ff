"""Helpers for tests of translated library items."""

from __future__ import annotations

from typing import Any

from wagtail.models import Locale

from library import services
from library.models import LibraryItem


def content_languages() -> None:
    """The Spanish and Bengali locales (an lms migration makes them in a full
    install; the library's tests do not rely on it)."""
    for language in ("es", "bn"):
        Locale.objects.get_or_create(language_code=language)


def translate(item: LibraryItem, words: dict[str, str], language: str = "es") -> Any:
    """Translate `item` as a translator would in the admin's editor."""
    content_languages()
    return services.item_translation_write(item=item, language=language, words=words)


def speaks(person: Any, language: str) -> None:
    person.language = language
    person.save(update_fields=["language"])


GLOBEX_ES = {
    "Versus Globex": "Frente a Globex",
    "How we win against Globex.": "Cómo ganamos a Globex.",
}
