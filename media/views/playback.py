"""Serving processed media: only to people allowed to see it, with HTTP Range."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import TypeVar

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from media.models import MediaAsset
from media.permissions import can_view_asset
from media.ranges import ByteRange, RangeNotSatisfiable, parse_range
from media.services import private_storage

BLOCK = 256 * 1024

_Response = TypeVar("_Response", bound=HttpResponseBase)


def visible_asset_or_404(request: HttpRequest, public_id: str) -> MediaAsset:
    """The asset if this visitor may see it; 404 alike for unknown and forbidden."""
    asset = (
        MediaAsset.objects.select_related("owner").filter(public_id=public_id).first()
    )
    user = request.user
    if asset is None or not user.is_authenticated or not can_view_asset(user, asset):
        raise Http404("No such recording.")
    return asset


@require_safe
def playback(request: HttpRequest, public_id: str) -> HttpResponseBase:
    """The processed video or audio, seekable (206 Partial Content)."""
    asset = visible_asset_or_404(request, public_id)
    if asset.status != MediaAsset.Status.READY or not asset.playback:
        raise Http404("This recording is not ready to play yet.")
    etag = f'"{PurePosixPath(asset.playback).parent.name}-{asset.playback_size}"'
    if settings.MEDIA_X_ACCEL_REDIRECT_PREFIX:
        response: HttpResponseBase = HttpResponse(
            content_type=asset.playback_content_type
        )
        response["X-Accel-Redirect"] = (
            settings.MEDIA_X_ACCEL_REDIRECT_PREFIX + asset.playback
        )
        response["ETag"] = etag
        return _private(response)
    size = asset.playback_size or 0
    range_header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range != etag:
        range_header = None  # the client's copy is stale: send the whole file
    try:
        byte_range = parse_range(range_header, size)
    except RangeNotSatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _private(response)
    part = byte_range or ByteRange(0, size - 1)
    status = 206 if byte_range else 200
    if request.method == "HEAD":
        response = HttpResponse(status=status, content_type=asset.playback_content_type)
    else:
        response = StreamingHttpResponse(
            _read(asset.playback, part),
            status=status,
            content_type=asset.playback_content_type,
        )
    response["Content-Length"] = str(part.length)
    if byte_range:
        response["Content-Range"] = byte_range.content_range(size)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Content-Disposition"] = "inline"
    return _private(response)


@require_safe
def poster(request: HttpRequest, public_id: str) -> HttpResponse:
    asset = visible_asset_or_404(request, public_id)
    if asset.status != MediaAsset.Status.READY or not asset.poster:
        raise Http404("No poster.")
    with private_storage().open(asset.poster, "rb") as image:
        response = HttpResponse(image.read(), content_type="image/jpeg")
    return _private(response)


@require_safe
def status(request: HttpRequest, public_id: str) -> JsonResponse:
    """Polled by the player page while the file is processed."""
    asset = visible_asset_or_404(request, public_id)
    return JsonResponse(
        {
            "status": asset.status,
            "label": asset.get_status_display(),
            "failure_reason": asset.failure_reason,
        }
    )


def _read(name: str, part: ByteRange) -> Iterator[bytes]:
    with private_storage().open(name, "rb") as stored:
        stored.seek(part.start)
        remaining = part.length
        while remaining > 0:
            block = stored.read(min(BLOCK, remaining))
            if not block:
                return
            remaining -= len(block)
            yield block


def _private(response: _Response) -> _Response:
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
