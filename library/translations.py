"""Reads of translated library items: which words a reader gets.

Reps find, open, use and share source items (the default language's rows,
LibraryItemQuerySet.sources()); a translation, made in the Wagtail admin with
wagtail-localize, only lends its source its words in the reader's language. So
audience, freshness, flags, shares and usage stay keyed on the source, and each
item is listed once.

A translation is out of date when its source holds words it has no translation
for: the source changed after it was translated (every change of a source
extracts its words again: services.item_translations_sync), or it was saved
half translated. Translations of a page of items are read in one query, with
that state; a reader in the source language costs none.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail_localize.models import StringSegment, StringTranslation

from library.models import LibraryItem, LibraryItemQuerySet
from lms.accounts.models import User
from lms.pages import source_language


def reader_language(person: User) -> str:
    """The language a person reads items in: their profile's, else the page's.
    A language items cannot be translated into reads the source."""
    wanted = getattr(person, "language", "") or translation.get_language() or ""
    try:
        return str(get_supported_content_language_variant(wanted))
    except LookupError:
        return source_language()


def out_of_date() -> Exists:
    """For a translation row: whether its source holds a word (a string
    wagtail-localize extracted) with no translation into the row's language."""
    untranslated_words = StringSegment.objects.filter(
        # A translation key is a UUID: no other model's source shares it.
        source__object_id=OuterRef("translation_key"),
        source__locale__language_code=source_language(),
    ).exclude(
        Exists(
            StringTranslation.objects.filter(
                translation_of_id=OuterRef("string_id"),
                context_id=OuterRef("context_id"),
                locale_id=OuterRef(OuterRef("locale_id")),
                has_error=False,
            )
        )
    )
    return Exists(untranslated_words)


def translations_in(language: str) -> LibraryItemQuerySet:
    """The translations into `language`, each with `out_of_date`."""
    return LibraryItem.objects.filter(locale__language_code=language).annotate(
        out_of_date=out_of_date()
    )


def shown_to(person: User, items: Iterable[LibraryItem]) -> list[LibraryItem]:
    """The source items as `person` reads them (item.reading set): with the words
    of their translation in the person's language where there is one. One query
    for them all; none in the source language."""
    items = list(items)
    language = reader_language(person)
    found: dict[object, LibraryItem] = {}
    if language != source_language() and items:
        found = {
            found_translation.translation_key: found_translation
            for found_translation in translations_in(language).filter(
                translation_key__in={item.translation_key for item in items}
            )
        }
    return [item.read_as(language, found.get(item.translation_key)) for item in items]


def shown_one(person: User, item: LibraryItem) -> LibraryItem:
    """One source item as `person` reads it (shown_to)."""
    return shown_to(person, [item])[0]
