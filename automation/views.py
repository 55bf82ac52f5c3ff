from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from automation import calendars
from lms.lib.ics import ICS_CONTENT_TYPE, calendar_ics
from lms.lib.ratelimit import seconds_to_wait
from lms.lib.requests import SignedInRequest
from lms.lib.urls import absolute_url


@login_required
def calendar_settings(request: SignedInRequest) -> HttpResponse:
    """The person's feed addresses, with a button to replace them."""
    feed = calendars.calendar_feed_for(user=request.user)
    return render(
        request,
        "automation/calendar_settings.html",
        {
            "feed_url": absolute_url("calendar_feed", feed.token),
            "team_feed_url": (
                absolute_url("calendar_team_feed", feed.token)
                if calendars.can_have_team_feed(request.user)
                else ""
            ),
        },
    )


@login_required
@require_POST
def calendar_reset(request: SignedInRequest) -> HttpResponse:
    calendars.calendar_feed_reset(user=request.user)
    messages.success(
        request,
        "Your calendar addresses are new: the old ones no longer work. "
        "Add the new address to your calendar app.",
    )
    return redirect("calendar_settings")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's own feed, opened by its secret address (no sign-in)."""
    if limited := _rate_limited(request):
        return limited
    owner = calendars.feed_owner(token)
    if owner is None:
        raise Http404
    events = calendars.person_events(user=owner)
    return _ics_response(calendar_ics(events, name="Onramp"))


def calendar_team_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A manager's team due dates, by the same secret address."""
    if limited := _rate_limited(request):
        return limited
    owner = calendars.feed_owner(token)
    if owner is None or not calendars.can_have_team_feed(owner):
        raise Http404
    events = calendars.team_events(manager=owner)
    return _ics_response(calendar_ics(events, name="Onramp: my teams"))


def _ics_response(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="onramp.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _rate_limited(request: HttpRequest) -> HttpResponse | None:
    """A 429 when this address has fetched too many feeds this minute."""
    retry_after = seconds_to_wait(
        request,
        scope="automation:calendar",
        per_minute=settings.CALENDAR_FEED_RATE_PER_MINUTE,
    )
    if not retry_after:
        return None
    response = HttpResponse(
        "Too many calendar requests from this address; try again later.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
