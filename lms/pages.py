"""What every Onramp page in the Wagtail tree shares."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse


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
    one query instead of two per level (the pages' `url_path` says where each one is).

    Each page gets its parent cached (`get_parent()` costs nothing, as after Wagtail's
    own routing) and the target is made specific. Returns None, to let Wagtail route
    the usual way, when a level is missing or any page on the way routes on its own
    (overrides `route`), so the result is always what Wagtail's routing gives.
    """
    from wagtail.models import Page
    from wagtail.url_routing import RouteResult

    if not path_components:
        return None
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
    target = chain[-1].specific
    if not target.live:
        raise Http404
    return RouteResult(target)


class FastRoutingMixin:
    """For the site root: route below it with `route_in_one_query`."""

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        result = route_in_one_query(self, request, path_components)
        if result is None:
            result = super().route(request, path_components)  # type: ignore[misc]
        return result
