"""`<h1{% lang_of page %}>`: a ` lang` attribute on the element around a page's text
(or a title) shown in another language than the page's, the source language for
want of a translation (`lms.pages.TranslatedContentMixin.content_language`), so
screen readers pronounce it, fonts suit it and its digits stay its own; nothing
otherwise."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def lang_of(page: Any) -> SafeString | str:
    language = getattr(page, "content_language", "")
    return format_html(' lang="{}"', language) if language else ""
