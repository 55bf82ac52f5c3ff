"""Anything under /api/v1/ that matches no route is a problem detail too, never the
site's HTML page."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from integrations.api.problems import PROBLEM_CONTENT_TYPE


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": "Not found",
        "status": 404,
        "detail": "Nothing is at this address of the API.",
    }
    return HttpResponse(json.dumps(body), status=404, content_type=PROBLEM_CONTENT_TYPE)
