"""The people's pages: my recordings, upload or record one, play it, delete it."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from lms.lib.durations import format_duration
from lms.lib.requests import SignedInRequest, signed_in_user
from media import ffmpeg, services
from media.models import MediaAsset
from media.permissions import can_manage_asset
from media.views.playback import visible_asset_or_404


def upload_limits(request: HttpRequest) -> dict[str, object]:
    used = services.storage_used_by(signed_in_user(request))
    quota = settings.MEDIA_USER_QUOTA_BYTES
    return {
        "max_upload": ffmpeg.human_size(settings.MEDIA_MAX_UPLOAD_BYTES),
        "max_upload_bytes": settings.MEDIA_MAX_UPLOAD_BYTES,
        "used": ffmpeg.human_size(used),
        "quota": ffmpeg.human_size(quota),
        "used_percent": min(100, round(100 * used / quota)) if quota else 0,
        "max_minutes": settings.MEDIA_MAX_DURATION_SECONDS // 60,
    }


@login_required
def recording_list(request: SignedInRequest) -> HttpResponse:
    """My recordings, and the place to upload a new one."""
    recordings = MediaAsset.objects.filter(
        owner=request.user, kind=MediaAsset.Kind.RECORDING
    )
    return render(
        request,
        "media/recording_list.html",
        {"recordings": recordings, **upload_limits(request)},
    )


@login_required
def recording_record(request: HttpRequest) -> HttpResponse:
    """Record with the camera and microphone (or the microphone alone). `?max=120`
    limits a take (practice prompts set it); never beyond the upload limit."""
    longest = settings.MEDIA_MAX_DURATION_SECONDS
    asked = request.GET.get("max", "")
    whole = re.fullmatch(r"[0-9]{1,6}", asked)
    max_seconds = min(int(asked), longest) if whole else min(600, longest)
    max_seconds = max(max_seconds, 10)
    return render(
        request,
        "media/recording_record.html",
        {
            **upload_limits(request),
            "max_seconds": max_seconds,
            "max_seconds_label": gettext("%(duration)s minutes")
            % {"duration": format_duration(max_seconds)}
            if max_seconds >= 60
            else ngettext("%(count)s second", "%(count)s seconds", max_seconds)
            % {"count": max_seconds},
        },
    )


@login_required
def recording_detail(request: SignedInRequest, public_id: str) -> HttpResponse:
    asset = visible_asset_or_404(request, public_id)
    return render(
        request,
        "media/recording_detail.html",
        {"asset": asset, "can_manage": can_manage_asset(request.user, asset)},
    )


@login_required
@require_POST
def recording_delete(request: SignedInRequest, public_id: str) -> HttpResponse:
    asset = visible_asset_or_404(request, public_id)
    if not can_manage_asset(request.user, asset):
        raise PermissionDenied(
            gettext("Only the person who uploaded a recording deletes it.")
        )
    title = str(asset)
    services.asset_delete(asset=asset)
    messages.success(
        request, gettext("“%(title)s” and its files were deleted.") % {"title": title}
    )
    return redirect("recording_list")
