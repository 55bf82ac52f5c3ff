"""The SCORM player's doors: launch (the step page's player asks for an attempt),
commit (the runtime in the step page posts a SCO's CMI data), and the package's
files under /scorm-content/, served to a sandboxed iframe (see the README's
"SCORM" section for the isolation)."""

from __future__ import annotations

import json
import mimetypes
import posixpath
import re
from functools import cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from courses.models import CoursePage
from courses.scorm import selectors, services
from courses.scorm.cmi import CmiRefused
from courses.scorm.models import ScormPage
from courses.selectors import lock_reason
from lms.lib.digits import digits_as_written
from lms.lib.requests import SignedInRequest
from lms.pages import in_source_language

VENDOR = Path(__file__).parent / "static" / "scorm" / "vendor" / "scorm-again"
_HEAD = re.compile(rb"<head(\s[^>]*)?>", re.IGNORECASE)


@login_required
@require_POST
def scorm_launch(request: SignedInRequest, page_id: int) -> JsonResponse:
    """Start or resume the person's attempt; the SCOs to play and their data."""
    page = (
        in_source_language(ScormPage.objects.live())
        .filter(pk=page_id)
        .select_related("package")
        .first()
    )
    if page is None:
        raise Http404(_("No such step."))
    reason = lock_reason(
        user=request.user, course=CoursePage.objects.get(pk=page.get_parent().pk)
    )
    if reason:
        raise PermissionDenied(reason)
    try:
        attempt = services.attempt_launch(user=request.user, page=page)
    except services.LaunchRefused as exc:
        return JsonResponse({"error": str(exc)}, status=409)
    return JsonResponse(selectors.launch_data(attempt))


@login_required
@require_POST
def scorm_commit(request: SignedInRequest, token: str, sco_id: int) -> JsonResponse:
    """A commit from the runtime (scorm-again's JSON CMI object). Answers in the
    shape scorm-again reads: {"result": true|false, "errorCode": 0|101}."""
    try:
        committed = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        committed = None
    if not isinstance(committed, dict):
        return JsonResponse(
            {"result": False, "errorCode": 101, "error": _("Send a JSON object.")},
            status=400,
        )
    try:
        state = services.sco_commit(
            user=request.user,
            token=token,
            sco_id=sco_id,
            committed=committed,
            session=request.headers.get("X-Scorm-Session", ""),
        )
    except services.CommitRefused as exc:
        return JsonResponse(
            {"result": False, "errorCode": 101, "error": str(exc)}, status=403
        )
    except CmiRefused as exc:
        return JsonResponse(
            {
                "result": False,
                "errorCode": 101,
                "error": _("Some values were refused; nothing was stored."),
                "errors": exc.errors,
            },
            status=400,
        )
    return JsonResponse(
        {
            "result": True,
            "errorCode": 0,
            "done": state.done,
            "completed": state.attempt.completed_at is not None,
        }
    )


def _content_policy(base: str, bridge: str) -> str:
    """The package may load only from its own folder (and run the bridge): no
    other origin, no other path of this site, no plugins, no forms sent away; and
    the document is sandboxed even when opened on its own, outside the player."""
    return "; ".join(
        [
            f"default-src {base}",
            f"script-src {base} {bridge} 'unsafe-inline' 'unsafe-eval'",
            f"style-src {base} 'unsafe-inline'",
            f"img-src {base} data: blob:",
            f"media-src {base} data: blob:",
            f"font-src {base} data:",
            f"connect-src {base}",
            "object-src 'none'",
            "form-action 'none'",
            "frame-ancestors 'self'",
            "sandbox allow-scripts",
        ]
    )


def _protect(response: HttpResponseBase, request: HttpRequest, token: str) -> None:
    base = request.build_absolute_uri(reverse("scorm_content", args=[token, "x"]))
    bridge = request.build_absolute_uri(reverse("scorm_bridge", args=[token]))
    response["Content-Security-Policy"] = _content_policy(base[:-1], bridge)
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, max-age=3600"


@require_GET
@xframe_options_sameorigin
@digits_as_written
def scorm_content(request: HttpRequest, token: str, path: str) -> HttpResponseBase:
    """A file of the package, to the launch that holds the token: only files in the
    version's list (never the manifest), from the private storage. HTML pages get
    the bridge script first, which gives them the SCORM API."""
    grant = selectors.content_grant(token)
    if grant is None:
        raise Http404(_("This address has expired or was never issued."))
    version = grant.attempt.version
    path = posixpath.normpath(path)
    if path not in version.served_files:
        raise Http404(_("No such file in the package."))
    storage = storages["private"]
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response: HttpResponseBase
    if content_type == "text/html":
        with storage.open(version.storage_name(path)) as stored:
            html = stored.read()
        bridge = reverse("scorm_bridge", args=[token]).encode()
        tag = b'<script src="' + bridge + b'"></script>'
        match = _HEAD.search(html)
        html = html[: match.end()] + tag + html[match.end() :] if match else tag + html
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
    else:
        response = FileResponse(
            storage.open(version.storage_name(path)), content_type=content_type
        )
    _protect(response, request, token)
    return response


@cache
def _cross_frame_api() -> str:
    return (VENDOR / "cross-frame-api.min.js").read_text()


@require_GET
def scorm_bridge(request: HttpRequest, token: str) -> HttpResponse:
    """The script every HTML page of the package runs first: scorm-again's
    CrossFrameAPI as `window.API` (SCORM 1.2) and `window.API_1484_11` (2004),
    posting to the player in the parent page, with its cache primed with the
    SCO's starting values so that a resuming SCO reads them at once."""
    grant = selectors.content_grant(token)
    if grant is None:
        raise Http404(_("This address has expired or was never issued."))
    state = grant.attempt.sco_states.filter(sco=grant.sco).first()
    values = selectors.initial_cmi(grant.attempt, grant.sco, state)
    parent_origin = request.build_absolute_uri("/")[:-1]
    script = (
        _cross_frame_api()
        + "\n(function () {\n"
        + f"  var parentOrigin = {json.dumps(parent_origin)};\n"
        + "  var api = new CrossFrameAPI(parentOrigin, window.parent);\n"
        + f"  var values = {json.dumps(values)};\n"
        + "  Object.keys(values).forEach(function (key) {\n"
        + "    api._cache.set(key, values[key]);\n"
        + "  });\n"
        + "  window.API = api;\n"
        + "  window.API_1484_11 = api;\n"
        + "})();\n"
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    _protect(response, request, token)
    response["Cache-Control"] = "no-store"
    return response
