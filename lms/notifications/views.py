"""One-click unsubscribe from a notice's e-mail (RFC 8058), without signing in."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from lms.notifications.preferences import (
    notice_kind_label,
    notice_unsubscribe,
    unsubscribe_target,
)


# Mail programs POST "List-Unsubscribe=One-Click" with no cookies and no CSRF token
# (RFC 8058 section 3.1); the signed token is the authority. A GET only asks, so a
# link scanner that follows the link unsubscribes no one.
@csrf_exempt
@never_cache
def notice_unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    target = unsubscribe_target(token)
    if target is None:
        raise Http404
    user, kind = target
    if request.method == "POST":
        notice_unsubscribe(user=user, kind=kind)
    elif request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    response = render(
        request,
        "notifications/unsubscribe.html",
        {
            "label": notice_kind_label(kind),
            "done": request.method == "POST",
            "email": user.email,
        },
    )
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
