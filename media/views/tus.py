"""The tus 1.0.0 resumable upload protocol (core, creation, termination) at /uploads/.

Any tus client works: our page script, tus-js-client, tuspy. Sessions authenticate the
requests. They are exempt from Django's CSRF token because every request but OPTIONS
must carry the custom `Tus-Resumable` header, which a cross-site form cannot send and
a cross-site script cannot send without a CORS preflight that Onramp never grants.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from lms.lib.requests import SignedInRequest
from lms.uploads import request_body_limit
from media import services
from media.models import MediaAsset

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination"


def _reply(status: int, message: str = "", **headers: str) -> HttpResponse:
    response = HttpResponse(
        message, status=status, content_type="text/plain; charset=utf-8"
    )
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _options() -> HttpResponse:
    return _reply(
        204,
        Tus_Version=TUS_VERSION,
        Tus_Extension=TUS_EXTENSIONS,
        Tus_Max_Size=str(settings.MEDIA_MAX_UPLOAD_BYTES),
    )


def tus_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Protocol checks shared by every tus request. Exempt from the site's body limit
    (lms/uploads.py): a PATCH may carry a whole upload, and is checked against the
    length its upload announced, itself at most MEDIA_MAX_UPLOAD_BYTES."""

    @request_body_limit(None)
    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        method = request.method or ""
        if method == "POST":  # for clients behind proxies that only pass POST
            method = request.headers.get("X-HTTP-Method-Override", method)
        if method == "OPTIONS":
            return _options()
        if request.headers.get("Tus-Resumable") != TUS_VERSION:
            return _reply(
                412, gettext("Unsupported tus version."), Tus_Version=TUS_VERSION
            )
        if not request.user.is_authenticated:
            return _reply(401, gettext("Sign in to upload."))
        try:
            return view(request, method, *args, **kwargs)
        except services.UploadRefused as refusal:
            return _reply(refusal.status, str(refusal))

    return wrapper


_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def _metadata(header: str) -> dict[str, str]:
    if len(header) > 4096:
        raise services.UploadRefused(400, gettext("Upload-Metadata is too long."))
    values = {}
    for pair in filter(None, (part.strip() for part in header.split(","))):
        key, _, encoded = pair.partition(" ")
        try:
            value = base64.b64decode(encoded, validate=True).decode() if encoded else ""
        except (binascii.Error, UnicodeDecodeError):
            raise services.UploadRefused(
                400,
                gettext("Upload-Metadata %(key)s is not base64.") % {"key": repr(key)},
            ) from None
        if _CONTROL_CHARACTERS.search(value):
            raise services.UploadRefused(
                400,
                gettext("Upload-Metadata %(key)s contains control characters.")
                % {"key": repr(key)},
            )
        values[key] = value
    return values


def _header_int(request: HttpRequest, name: str) -> int:
    raw = request.headers.get(name, "")
    if not _WHOLE_NUMBER.fullmatch(raw):
        raise services.UploadRefused(
            400,
            gettext("%(header)s must be a whole number of bytes.") % {"header": name},
        )
    return int(raw)


@tus_endpoint
def uploads(request: SignedInRequest, method: str) -> HttpResponse:
    """POST creates an upload; the Location header names it."""
    if method != "POST":
        return _reply(
            405, gettext("Use POST to create an upload."), Allow="OPTIONS, POST"
        )
    if "Upload-Defer-Length" in request.headers:
        return _reply(
            400, gettext("The length of the upload must be known when it starts.")
        )
    metadata = _metadata(request.headers.get("Upload-Metadata", ""))
    asset = services.upload_create(
        owner=request.user,
        length=_header_int(request, "Upload-Length"),
        filename=metadata.get("filename", ""),
        title=metadata.get("title", ""),
        kind=metadata.get("kind", MediaAsset.Kind.RECORDING),
    )
    return _reply(201, Location=request.build_absolute_uri(asset.upload_url))


@tus_endpoint
def upload(request: SignedInRequest, method: str, public_id: str) -> HttpResponse:
    """HEAD reports the offset, PATCH appends, DELETE terminates."""
    asset = MediaAsset.objects.filter(public_id=public_id, owner=request.user).first()
    if asset is None:
        return _reply(404, gettext("No such upload."))
    if method == "HEAD":
        return _reply(
            200,
            Upload_Offset=str(asset.upload_offset),
            Upload_Length=str(asset.upload_length),
        )
    if method == "PATCH":
        if request.content_type != "application/offset+octet-stream":
            return _reply(
                415,
                gettext("Content-Type must be application/offset+octet-stream."),
            )
        offset = _header_int(request, "Upload-Offset")
        length = request.headers.get("Content-Length", "")
        if (
            _WHOLE_NUMBER.fullmatch(length)
            and offset + int(length) > asset.upload_length
        ):
            return _reply(
                413,
                gettext("The request carries more bytes than the upload announced."),
            )
        asset = services.upload_append(asset=asset, offset=offset, stream=request)
        return _reply(204, Upload_Offset=str(asset.upload_offset))
    if method == "DELETE":
        services.asset_delete(asset=asset)
        return _reply(204)
    return _reply(
        405,
        gettext("Use HEAD, PATCH or DELETE."),
        Allow="OPTIONS, HEAD, PATCH, DELETE",
    )
