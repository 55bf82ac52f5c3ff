"""The public page of a share link, `/s/<token>/`, for prospects who never sign in.

It shows only the shared content: the title, the summary and the content itself
(card text, link, a PDF to read page by page and, if the item allows it, its
download); never the owner, the tags, flags or anything else internal. A PDF is
read from pictures of its first LIBRARY_SHARE_PAGES_MAX pages, drawn with its
preview in the preview job: no PDF is parsed while a prospect waits, and reading
pages is not downloading (it works when downloads are not allowed). Each page
viewed is recorded: which, when, and the visitor's keyed hash.

Search engines are told not to index it, and each client address may make
`LIBRARY_SHARE_RATE_PER_MINUTE` requests a minute (opens, pages, pictures and
downloads). A token that matches nothing answers 404 after the same work as one
that matches (one indexed query, a constant-time comparison, the same template); a
revoked or expired link, or one whose item was archived or expired, answers 410.
Each open is recorded without the client's address (a keyed hash of it). Opening a
link costs at most five queries.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_safe

from library import services
from library.models import Freshness, LibraryFile, ShareLink, ShareOpen
from lms.lib import clock

_NO_TOKEN = "-" * 43


def _open_link(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """A view of an open link: rate-limited, then the token looked up; an unknown,
    revoked or expired link answers as `_gone` does, before the view runs."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponseBase:
        limited = _rate_limited(request)
        if limited:
            return limited
        link, state = _link(token)
        if link is None or state != "open":
            return _gone(request, state)
        return view(request, link, **kwargs)

    return wrapped


@require_safe
@_open_link
def share_open(request: HttpRequest, link: ShareLink) -> HttpResponse:
    first_page = 1 if _is_readable(link) else None
    services.share_open_record(
        link=link,
        address=_address(request),
        action=ShareOpen.Action.OPEN,
        page=first_page,
    )
    return _share_page(request, link, page=first_page)


@require_safe
@_open_link
def share_page(request: HttpRequest, link: ShareLink, page: int) -> HttpResponse:
    """One page of a shared PDF, read on the share page; the view is recorded."""
    if not _is_readable(link) or link.item.page_picture_name(page) is None:
        raise Http404("The shared document has no such page.")
    services.share_page_view_record(link=link, address=_address(request), page=page)
    return _share_page(request, link, page=page)


@require_safe
@_open_link
def share_page_picture(
    request: HttpRequest, link: ShareLink, page: int
) -> FileResponse | HttpResponse:
    """The picture of one page of a shared PDF (not counted: its page is)."""
    name = link.item.page_picture_name(page) if _is_readable(link) else None
    if name is None:
        raise Http404("The shared document has no such page.")
    return _picture(name)


def _is_readable(link: ShareLink) -> bool:
    return link.item.kind == link.item.Kind.DOCUMENT and link.item.readable_pages > 0


def _share_page(
    request: HttpRequest, link: ShareLink, *, page: int | None
) -> HttpResponse:
    item = link.item
    current: LibraryFile | None = None
    if item.kind == item.Kind.DOCUMENT:
        current = item.files.order_by("-version").first()
    pages = item.readable_pages
    response = render(
        request,
        "library/share_page.html",
        {
            "item": item,
            "link": link,
            "current_file": current,
            "page": page,
            "pages": pages,
            "previous_page": page - 1 if page and page > 1 else None,
            "next_page": page + 1 if page and page < pages else None,
            "more_pages": item.page_count > pages,
        },
    )
    return _private(response)


@require_safe
@_open_link
def share_download(
    request: HttpRequest, link: ShareLink
) -> FileResponse | HttpResponse:
    current = link.item.files.order_by("-version").first()
    if not link.item.downloadable or current is None:
        raise Http404("This content cannot be downloaded.")
    services.share_open_record(
        link=link, address=_address(request), action=ShareOpen.Action.DOWNLOAD
    )
    response = FileResponse(
        services.private_storage().open(current.name, "rb"),
        as_attachment=True,
        filename=current.original_filename,
        content_type=current.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def share_preview(request: HttpRequest, token: str) -> FileResponse | HttpResponse:
    """The first-page picture of a shared document."""
    limited = _rate_limited(request)
    if limited:
        return limited
    link, state = _link(token)
    if link is None or state != "open" or not link.item.preview:
        raise Http404("No preview.")
    return _picture(link.item.preview)


def _picture(name: str) -> FileResponse:
    response = FileResponse(
        services.private_storage().open(name, "rb"), content_type="image/png"
    )
    patch_cache_control(response, private=True, max_age=300)
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _link(token: str) -> tuple[ShareLink | None, str]:
    """The link and whether it opens ("open"), is "gone" (410) or "unknown"
    (404). The same query and comparison run whatever the token."""
    found = (
        ShareLink.objects.filter(token=token[:64])
        .select_related("item")
        .order_by()
        .first()
    )
    known = constant_time_compare(found.token if found else _NO_TOKEN, token)
    if found is None or not known:
        return None, "unknown"
    now = clock.now()
    item = found.item
    if (
        found.revoked_at is not None
        or found.expires_at <= now
        or item.archived_at is not None
        or item.freshness() == Freshness.EXPIRED
    ):
        return found, "gone"
    return found, "open"


def _gone(request: HttpRequest, state: str) -> HttpResponse:
    response = render(
        request,
        "library/share_gone.html",
        {"gone": state == "gone"},
        status=410 if state == "gone" else 404,
    )
    return _private(response)


def _address(request: HttpRequest) -> str:
    return str(get_adapter(request).get_client_ip(request))


def _rate_limited(request: HttpRequest) -> HttpResponse | None:
    limit = settings.LIBRARY_SHARE_RATE_PER_MINUTE
    if limit <= 0:
        return None
    now = time.time()
    window = int(now // 60)
    client = hashlib.sha256(_address(request).encode()).hexdigest()[:32]
    key = f"library:share:{client}:{window}"
    cache.add(key, 0, timeout=61)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=61)
        count = 1
    if count <= limit:
        return None
    retry_after = max(1, int((window + 1) * 60 - now))
    response = render(
        request, "library/share_gone.html", {"rate_limited": True}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return _private(response)


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token never leaves in a Referer to another site; to this one it must: a
    # form (the language switcher) posted under "no-referrer" carries `Origin: null`,
    # which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response
