"""Wagtail wiring of the project shell: documents are company-internal."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from wagtail import hooks
from wagtail.documents.models import AbstractDocument
from wagtail.rich_text.pages import PageLinkHandler

from lms.pages import source_language


@hooks.register("before_serve_document")
def documents_only_for_signed_in_people(
    document: AbstractDocument, request: HttpRequest
) -> HttpResponse | None:
    """Lesson documents are as internal as the lessons that link them: a visitor who
    is not signed in is sent to sign in, exactly as a lesson page does
    (lms.pages.SignInRequiredMixin). Document ids are sequential, so the address
    is no secret."""
    if request.user.is_authenticated:
        return None
    return redirect_to_login(request.get_full_path())


class SourcePageLinkHandler(PageLinkHandler):
    """A link to a page in rich text leads to the page's source-language address,
    where every reader sees their language's version (lms.pages.TranslatedContentMixin).
    Wagtail's own handler leads to the translation in the active language, whose
    address Onramp does not serve. One query finds the source pages of a text's
    links."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict[str, Any]]) -> list[str]:
        from wagtail.models import Page

        pages = cls.get_many(attrs_list)
        sources = {
            source.translation_key: source
            for source in Page.objects.filter(
                translation_key__in={page.translation_key for page in pages if page},
                locale__language_code=source_language(),
            )
        }
        return [
            f'<a href="{escape(_url(sources.get(page.translation_key, page)))}">'
            if page
            else "<a>"
            for page in pages
        ]


def _url(page: Any) -> str:
    return str(page.url or "")


@hooks.register("register_rich_text_features", order=100)
def links_to_source_pages(features: Any) -> None:
    """After Wagtail's own page link type, which this replaces."""
    features.register_link_type(SourcePageLinkHandler)
