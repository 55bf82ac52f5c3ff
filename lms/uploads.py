"""Request bodies are refused above a size limit before Onramp reads them.

The rules, for every request:

- a body whose Content-Length is above the view's limit is answered 413 at once,
  before anything reads it (the CSRF check, the form, the view);
- a multipart upload is then parsed here, through SizeLimitedUploadHandler, which
  counts the bytes as they stream and stops at the limit whatever the headers said;
- the limit is UPLOAD_MAX_BYTES (100 MiB by default) for the files of a request, plus
  FORM_FIELDS_ALLOWANCE for the form's other fields and the multipart framing; a
  view may declare a lower one with @request_body_limit(n), or None when it bounds
  its own body (the tus endpoint: each upload announces its length and is checked
  against it).

Django's own limits still apply below: DATA_UPLOAD_MAX_MEMORY_SIZE for the form
fields of a request (400 above it), FILE_UPLOAD_MAX_MEMORY_SIZE for the size above
which an uploaded file goes to a temporary file instead of memory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string

View = TypeVar("View", bound=Callable[..., Any])

LIMIT_ATTRIBUTE = "request_body_limit"
# Room for a form's other fields (CSRF token, title, choices) and the multipart
# boundaries around the file: a file of exactly the limit still goes through.
FORM_FIELDS_ALLOWANCE = 64 * 1024


class UploadTooLarge(Exception):
    """A request body went past its limit; answered 413 by the middleware."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"The request is larger than {limit} bytes.")
        self.limit = limit


def request_body_limit(max_bytes: int | None) -> Callable[[View], View]:
    """Give a view its own upload limit in bytes (None: the view bounds its body)."""

    def decorate(view: View) -> View:
        setattr(view, LIMIT_ATTRIBUTE, max_bytes)
        return view

    return decorate


def limit_for(view: Callable[..., Any]) -> int | None:
    """The view's declared limit (on the function or its class), else the site's."""
    for holder in (view, getattr(view, "view_class", None)):
        if holder is not None and hasattr(holder, LIMIT_ATTRIBUTE):
            limit: int | None = getattr(holder, LIMIT_ATTRIBUTE)
            return limit
    max_bytes: int = settings.UPLOAD_MAX_BYTES
    return max_bytes


class SizeLimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: stops a multipart upload once it passes the
    request's limit, counting what arrives rather than trusting Content-Length."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = getattr(request, LIMIT_ATTRIBUTE, settings.UPLOAD_MAX_BYTES)
        self.received = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        if self.limit is not None and content_length > _body_limit(self.limit):
            raise UploadTooLarge(self.limit)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.limit is not None and self.received > self.limit:
            raise UploadTooLarge(self.limit)  # the files alone are past the limit
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class RequestBodyLimitMiddleware:
    """Applies the rules above; listed before CsrfViewMiddleware, the first thing
    that would read a form's body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: Any,
        kwargs: Any,
    ) -> HttpResponse | None:
        limit = limit_for(view)
        setattr(request, LIMIT_ATTRIBUTE, limit)
        if limit is None:
            return None
        if _content_length(request) > _body_limit(limit):
            return too_large(request, limit)
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018  (parse now, through the limited handler)
            except UploadTooLarge as error:
                return too_large(request, error.limit)
        return None


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    """413 with a page that says what the limit is."""
    page = render_to_string("413.html", {"limit": filesizeformat(limit)}, request)
    return HttpResponse(page, status=413)


def _body_limit(limit: int) -> int:
    return limit + FORM_FIELDS_ALLOWANCE


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0
