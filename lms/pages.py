"""What every Onramp page in the Wagtail tree shares."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import (
    get_language,
    get_language_info,
    gettext,
    pgettext_lazy,
)
from wagtail.coreutils import get_supported_content_language_variant


def source_language() -> str:
    """The language pages and library items are written in (the default locale's):
    the others are translations."""
    return str(get_supported_content_language_variant(settings.LANGUAGE_CODE))


def in_source_language_only() -> Q:
    """`limit_choices_to` of a foreign key to a page (a path's course, a
    certification's quiz, a sequence's course): only source-language pages, since
    everything is counted on them; a translation picked in a chooser is refused."""
    return Q(locale__language_code=source_language())


class SignInRequiredMixin:
    """Company-internal pages: a visitor who is not signed in is sent to sign in."""

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response: HttpResponse = super().serve(  # type: ignore[misc]
            request, *args, **kwargs
        )
        return response


def route_in_one_query(
    root: Any, request: HttpRequest, path_components: list[str]
) -> Any | None:
    """Wagtail's routing from `root` down `path_components`, with every level read in
    one query instead of two per level (the pages' `url_path` says where each one is),
    and the pages found kept in the cache under the site-wide version of
    `lms.lib.person_cache`, which every publish, unpublish, move and deletion of a
    page changes: a page view routes with no query until content changes.

    Each page gets its parent cached (`get_parent()` costs nothing, as after Wagtail's
    own routing) and the target is made specific. Returns None, to let Wagtail route
    the usual way, when a level is missing or any page on the way routes on its own
    (overrides `route`), so the result is always what Wagtail's routing gives.
    """
    from wagtail.url_routing import RouteResult

    from lms.lib import person_cache

    if not path_components:
        return None
    chain = person_cache.cached_for_everyone(
        name=f"route:{root.pk}:{'/'.join(path_components)}",
        compute=lambda: _pages_on_the_way(root, path_components),
        keep=lambda found: found is not None,  # a visitor's wrong address is not kept
    )
    if chain is None:
        return None
    chain[0]._cached_parent_obj = root
    target = chain[-1]
    if not target.live:
        raise Http404
    return RouteResult(target)


def _pages_on_the_way(root: Any, path_components: list[str]) -> list[Any] | None:
    """The pages from below `root` down `path_components`, each with its parent
    cached, the last one specific; None if one is missing or routes on its own."""
    from wagtail.models import Page

    condition = Q(pk__in=[])
    wanted: list[tuple[int, str]] = []
    for level, slug in enumerate(path_components, start=1):
        url_path = root.url_path + "/".join(path_components[:level]) + "/"
        wanted.append((root.depth + level, url_path))
        condition |= Q(slug=slug, depth=root.depth + level, url_path=url_path)
    found = {(p.depth, p.url_path): p for p in Page.objects.filter(condition)}
    if len(found) != len(wanted):
        return None
    chain = [found[key] for key in wanted]
    parent = root
    for page in chain:
        page_class = page.specific_class
        if page_class is None or page_class.route is not Page.route:
            return None
        page._cached_parent_obj = parent
        parent = page
    chain[-1] = chain[-1].specific
    return chain


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page view (`wagtail.views.serve`), routed from the site's own root.

    Wagtail starts routing at the root's translation in the active language
    (`site.root_page.localized`), which costs a query for the active Locale on every
    page view and two more where the root is translated. Onramp shows a translated page
    at its source's address (`TranslatedContentMixin`), so routing always starts at the
    source root: the route goes into Wagtail's own per-request cache, which its view
    then reads (`Page.route_for_request`), with every serve hook as before.

    Below the root, the root's own fields are never read (only its `route`), so its
    specific class is taken without the query for its row (`specific_deferred`); the
    root's own page (the start page) is served from its full row."""
    from wagtail import views

    site = _site_for(request)
    if site is not None:
        components = [component for component in path.split("/") if component]
        root = site.root_page
        root = root.specific_deferred if components else root.specific
        try:
            route = root.route(request, components)
        except Http404:
            route = None
        request._wagtail_route_for_request = route  # type: ignore[attr-defined]
    response: HttpResponse = views.serve(request, path)
    return response


def _site_for(request: HttpRequest) -> Any:
    """Wagtail's site for the request (`Site.find_for_request`, which the page view
    and its hooks read again from the request), kept in the cache per host under the
    site-wide version of `lms.lib.person_cache`, which any change to sites and to
    published pages changes: its look-up costs more CPU than any other query of a
    page view."""
    from django.http.request import split_domain_port
    from wagtail.models import Site

    from lms.lib import person_cache

    # Keyed as Wagtail's look-up reads the request: the host name (lower case, no
    # port or trailing dot) and the server's port. A host name no site has gets the
    # default site whatever the port, so all of those share one entry: a visitor's
    # made-up Host headers cannot fill the cache.
    hostname = split_domain_port(request.get_host())[0]
    known = person_cache.cached_for_everyone(
        name="site-hostnames",
        compute=lambda: set(Site.objects.values_list("hostname", flat=True)),
    )
    name = f"site:{hostname}:{request.get_port()}" if hostname in known else "site:*"
    site = person_cache.cached_for_everyone(
        name=name, compute=lambda: Site._find_for_request(request)
    )
    request._wagtail_site = site  # type: ignore[attr-defined]
    return site


class FastRoutingMixin:
    """For the site root: route below it with `route_in_one_query`.

    Routing always starts at the site's own root, the source-language one: Wagtail
    starts at the root's translation in the active language when there is one, but a
    translated page is shown at its source's address (`TranslatedContentMixin`)."""

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        from wagtail.models import Page, Site

        root: Any = self
        site = Site.find_for_request(request)
        if site is not None and site.root_page_id != self.pk:  # type: ignore[attr-defined]
            root = site.root_page
        result = route_in_one_query(root, request, path_components)
        if result is None:
            result = Page.route(root, request, path_components)
        return result


class TranslatedContentMixin:
    """Pages written in the source language (English) and translated in the Wagtail
    admin with wagtail-localize. A page has one address, its source's: every link
    (My learning, a course's outline, "Continue", e-mails) leads there, and the reader
    is shown the live translation in their language (the profile's, else the active
    one) or, when there is none, the source with a note saying so. The page served is
    always the source, with the translation's text laid over it, so whatever is
    counted on it (completions, attempts, locks, progress) and who may see it are the
    source's. A translation older than its source's last publish says so.

    `content_language` is the language of the text shown when it is not the reader's
    (the source's, shown for want of a translation): templates put it in a `lang`
    attribute around that text, for screen readers, fonts and digits."""

    reading_note = ""
    content_language = ""

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        shown = self
        if not getattr(request, "is_preview", False):
            shown = self.in_reader_language(get_language())
        response: HttpResponse = super(TranslatedContentMixin, shown).serve(  # type: ignore[misc]
            request, *args, **kwargs
        )
        return response

    def in_reader_language(self, language: str) -> Any:
        """This page as a reader of `language` sees it: the source itself, or a copy
        of it carrying its live translation's text and a note for the reader. Without
        a translation this costs no query (`live_translations`); with one, the query
        for the translation's row."""
        if language == source_language():
            return self
        shown = copy.copy(self)
        found = live_translations(language).get(str(self.translation_key))  # type: ignore[attr-defined]
        translation = None
        if found is not None:
            translation = (
                type(self)
                ._default_manager.filter(pk=found[0], live=True)  # type: ignore[attr-defined]
                .first()
            )
        if translation is None:
            shown.reading_note = _not_translated_note(language)
            shown.content_language = source_language()
            return shown
        for name in translated_field_names(type(self)):
            setattr(shown, name, getattr(translation, name))
        published = self.last_published_at  # type: ignore[attr-defined]
        translated = translation.last_published_at
        if published and translated and translated < published:
            shown.reading_note = _out_of_date_note()
        return shown


def live_translations(language: str) -> dict[str, tuple[int, str]]:
    """Every live page in `language`, by translation key (the source page's): the
    translation's id and title (`live_translation_fields`)."""
    from wagtail.models import Page

    return live_translation_fields(Page, language, "pk", "title")


def live_translation_fields(
    model: Any, language: str, *fields: str
) -> dict[str, tuple[Any, ...]]:
    """`fields` of every live `model` page in `language`, by translation key (the
    source page's). Read in one query after a change to published content, then kept
    in the cache under the site-wide version of `lms.lib.person_cache`, which every
    publish, unpublish, move and deletion of a page changes: a reader's language
    costs no query where nothing is translated, and a newly published translation
    shows at the next request. A page asks several times (the page, its breadcrumb
    and outline): read once per request."""
    from lms.lib import person_cache, request_cache

    name = f"live-translations:{model._meta.label}:{language}:{','.join(fields)}"

    def read() -> dict[str, tuple[Any, ...]]:
        rows = model._default_manager.filter(
            locale__language_code=language, live=True
        ).values_list("translation_key", *fields)
        return {str(key): tuple(values) for key, *values in rows}

    return request_cache.cached(
        name, lambda: person_cache.cached_for_everyone(name=name, compute=read)
    )


def translated_field_names(model: type) -> list[str]:
    """The fields wagtail-localize translates on `model`, except the slug (a page
    keeps its source's address)."""
    from wagtail_localize.fields import TranslatableField, get_translatable_fields

    return [
        field.field_name
        for field in get_translatable_fields(model)
        if isinstance(field, TranslatableField) and field.field_name != "slug"
    ]


def in_source_language(pages: QuerySet[Any]) -> QuerySet[Any]:
    """Only source-language pages: what is counted (completions, attempts, takes,
    enrolments) is keyed on the source page, never on a translation's id."""
    return pages.filter(locale__language_code=source_language())


def show_translated_titles(pages: Iterable[Any]) -> None:
    """Give each source page in a list (a course's lessons, the catalogue's courses)
    the title of its live translation in the active language, or, without one, the
    source language as its `content_language`: no query (`live_translations`)."""
    language = get_language()
    if language == source_language():
        return
    titles = live_translations(language)
    for page in pages:
        found = titles.get(str(page.translation_key))
        if found is None:
            page.content_language = source_language()
        else:
            page.title = found[1]


# A language's name inside a sentence ("not translated into Spanish yet"): Django's
# own names are capitalised as in a menu ("Español").
_LANGUAGE_NAMES_IN_A_SENTENCE = {
    "en": pgettext_lazy("language name in a sentence", "English"),
    "es": pgettext_lazy("language name in a sentence", "Spanish"),
    "bn": pgettext_lazy("language name in a sentence", "Bengali"),
}


def _language_name(language: str) -> str:
    name = _LANGUAGE_NAMES_IN_A_SENTENCE.get(language)
    if name is not None:
        return str(name)
    try:
        return str(get_language_info(language)["name_translated"])
    except KeyError:
        return language


def _not_translated_note(language: str) -> str:
    return gettext(
        "This page is not translated into %(language)s yet; showing the "
        "%(source_language)s version."
    ) % {
        "language": _language_name(language),
        "source_language": _language_name(source_language()),
    }


def _out_of_date_note() -> str:
    return gettext(
        "The %(source_language)s version of this page has changed since it was "
        "translated: this translation may be out of date."
    ) % {"source_language": _language_name(source_language())}
