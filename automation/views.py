from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from automation import calendars, connections
from automation.forms import NoticePreferencesForm, SlackTokenForm, TeamsWebhookForm
from automation.models import TeamsWebhook
from lms.accounts.models import User
from lms.lib.ics import ICS_CONTENT_TYPE, calendar_ics
from lms.lib.ratelimit import seconds_to_wait
from lms.lib.requests import SignedInRequest
from lms.lib.urls import absolute_url
from lms.notifications.models import Timing
from lms.notifications.preferences import (
    notice_kinds,
    notice_preference_set,
    notice_preferences_of,
    notices_pause_set,
    notices_paused,
)


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
        _(
            "Your calendar addresses are new: the old ones no longer work. "
            "Add the new address to your calendar app."
        ),
    )
    return redirect("calendar_settings")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's own feed, opened by its secret address (no sign-in)."""
    if limited := _rate_limited(request):
        return limited
    owner = calendars.feed_owner(token)
    if owner is None:
        raise Http404
    # Nobody signs in to a feed: its events speak the owner's language.
    with translation.override(owner.preferred_language):
        events = calendars.person_events(user=owner)
        return _ics_response(calendar_ics(events, name="Onramp"))


def calendar_team_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A manager's team due dates, by the same secret address."""
    if limited := _rate_limited(request):
        return limited
    owner = calendars.feed_owner(token)
    if owner is None or not calendars.can_have_team_feed(owner):
        raise Http404
    with translation.override(owner.preferred_language):
        events = calendars.team_events(manager=owner)
        return _ics_response(calendar_ics(events, name=_("Onramp: my teams")))


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
        _("Too many calendar requests from this address; try again later.") + "\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def notice_preferences(request: SignedInRequest) -> HttpResponse:
    """Which channel each kind of notice takes, when, and the pause switch."""
    user = request.user
    form = NoticePreferencesForm(
        request.POST or None,
        kinds=notice_kinds(),
        chat=connections.channels_available(user),
        current=notice_preferences_of(user=user),
        paused=notices_paused(user=user),
    )
    if request.method == "POST" and form.is_valid():
        # Only what the person changed becomes their choice: an untouched kind
        # keeps following the channel its sender picks.
        changed = set(form.changed_data)
        for kind in form.kinds:
            if not {f"channel:{kind.kind}", f"timing:{kind.kind}"} & changed:
                continue
            notice_preference_set(
                user=user,
                kind=kind.kind,
                channel=form.cleaned_data[f"channel:{kind.kind}"],
                timing=form.cleaned_data.get(f"timing:{kind.kind}", Timing.IMMEDIATE),
            )
        notices_pause_set(user=user, paused=form.cleaned_data["paused"])
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notice_preferences")
    return render(
        request,
        "automation/notice_preferences.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _channel_admin(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not connections.may_configure_channels(user):
        raise PermissionDenied(_("Only enablement admins configure Slack and Teams."))
    return user


@never_cache
@login_required
def channel_settings(request: HttpRequest) -> HttpResponse:
    """The Slack app and the Teams webhooks: enablement admins only."""
    user = _channel_admin(request)
    slack_form = SlackTokenForm(request.POST or None, prefix="slack")
    if request.method == "POST" and slack_form.is_valid():
        connections.slack_workspace_connect(
            token=slack_form.cleaned_data["token"], by=user
        )
        messages.success(request, _("The Slack token is saved. Test the connection."))
        return redirect("channel_settings")
    return _channel_page(request, slack_form=slack_form, teams_form=None)


def _channel_page(
    request: HttpRequest,
    *,
    slack_form: SlackTokenForm | None,
    teams_form: TeamsWebhookForm | None,
) -> HttpResponse:
    invalid = (slack_form is not None and slack_form.errors) or (
        teams_form is not None and teams_form.errors
    )
    return render(
        request,
        "automation/channel_settings.html",
        {
            "slack": connections.slack_workspace(),
            "slack_form": slack_form or SlackTokenForm(prefix="slack"),
            "teams_form": teams_form or TeamsWebhookForm(prefix="teams"),
            "webhooks": TeamsWebhook.objects.select_related("team").order_by(
                "team__path"
            ),
        },
        status=400 if invalid else 200,
    )


@login_required
@require_POST
def slack_test(request: HttpRequest) -> HttpResponse:
    _channel_admin(request)
    workspace = connections.slack_workspace()
    if workspace is None:
        raise Http404
    result = connections.slack_workspace_test(workspace=workspace)
    (messages.success if result.ok else messages.error)(request, result.message)
    return redirect("channel_settings")


@login_required
@require_POST
def slack_enable(request: HttpRequest) -> HttpResponse:
    _channel_admin(request)
    workspace = connections.slack_workspace()
    if workspace is None:
        raise Http404
    connections.slack_workspace_set_enabled(
        workspace=workspace, enabled=request.POST.get("enabled") == "1"
    )
    return redirect("channel_settings")


@login_required
@require_POST
def slack_remove(request: HttpRequest) -> HttpResponse:
    _channel_admin(request)
    connections.slack_workspace_remove()
    messages.success(request, _("Slack is disconnected; its messages go by e-mail."))
    return redirect("channel_settings")


@login_required
@require_POST
def teams_webhook_add(request: HttpRequest) -> HttpResponse:
    _channel_admin(request)
    form = TeamsWebhookForm(request.POST, prefix="teams")
    if not form.is_valid():
        return _channel_page(request, slack_form=None, teams_form=form)
    connections.teams_webhook_set(
        team=form.cleaned_data["team"], url=form.cleaned_data["url"]
    )
    messages.success(
        request,
        _("Teams notices of %(team)s are on.") % {"team": form.cleaned_data["team"]},
    )
    return redirect("channel_settings")


@login_required
@require_POST
def teams_webhook_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _channel_admin(request)
    connections.teams_webhook_remove(webhook=get_object_or_404(TeamsWebhook, pk=pk))
    return redirect("channel_settings")
