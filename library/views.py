"""The library for signed-in people: search, the item page, downloads.

Every item is found through library.selectors, which keeps to the viewer's
audience: an item outside it answers 404, on every address."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from library import selectors, services
from library.models import ItemUse, LibraryItem
from lms.lib.requests import signed_in_user


def _item_or_404(request: HttpRequest, item_id: int) -> LibraryItem:
    item = selectors.visible_item(viewer=signed_in_user(request), item_id=item_id)
    if item is None:
        raise Http404("No such item in your library.")
    return item


@login_required
@require_safe
def library_home(request: HttpRequest) -> HttpResponse:
    """Search the library (`?q=`), narrow by facets; without a search, what is
    new since the last visit and what was updated recently."""
    user = signed_in_user(request)
    query = request.GET.get("q", "")[:200]
    filters = {
        name: request.GET.get(name, "")[:100]
        for name in ("kind", "stage", "product", "competitor")
    }
    include_expired = request.GET.get("expired") == "1"
    previous_visit = services.library_visit(user=user)
    search = selectors.library_search(
        viewer=user, query=query, include_expired=include_expired, **filters
    )
    return render(
        request,
        "library/home.html",
        {
            "query": query,
            "filters": filters,
            "include_expired": include_expired,
            "search": search,
            "searching": bool(query.strip() or any(filters.values())),
            "new_items": selectors.new_since(viewer=user, since=previous_visit),
            "recent_items": selectors.recently_updated(viewer=user),
        },
    )


@login_required
@require_safe
def library_item(request: HttpRequest, item_id: int) -> HttpResponse:
    """One item: its content (card text, video, link or document), freshness,
    tags and owner, and what the person can do with it."""
    user = signed_in_user(request)
    item = _item_or_404(request, item_id)
    services.item_use_record(item=item, user=user, action=ItemUse.Action.VIEW)
    return render(
        request,
        "library/item.html",
        {
            "item": item,
            "freshness": item.freshness(),
            "current_file": item.current_file(),
        },
    )


@login_required
@require_safe
def library_download(request: HttpRequest, item_id: int) -> FileResponse:
    """The item's current file, as an attachment."""
    user = signed_in_user(request)
    item = _item_or_404(request, item_id)
    current = item.current_file()
    if current is None:
        raise Http404("This item has no file.")
    services.item_use_record(item=item, user=user, action=ItemUse.Action.DOWNLOAD)
    response = FileResponse(
        services.private_storage().open(current.name, "rb"),
        as_attachment=True,
        filename=current.original_filename,
        content_type=current.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def library_copied(request: HttpRequest, item_id: int) -> JsonResponse:
    """The copy button copied a card's text (counted as a use)."""
    item = _item_or_404(request, item_id)
    services.item_use_record(
        item=item, user=signed_in_user(request), action=ItemUse.Action.COPY
    )
    return JsonResponse({"ok": True})
