"""Lesson videos in the Wagtail admin: enablement admins upload through the same
pipeline, watch the processing, and choose ready videos for lessons."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from lms.lib.requests import signed_in_user
from media import services
from media.models import MediaAsset
from media.views.recordings import upload_limits


def _require_enablement_admin(request: HttpRequest) -> None:
    if not signed_in_user(request).is_enablement_admin:
        raise PermissionDenied(gettext("Only enablement admins manage lesson videos."))


def lesson_video_index(request: HttpRequest) -> HttpResponse:
    _require_enablement_admin(request)
    videos = MediaAsset.objects.filter(
        kind=MediaAsset.Kind.LESSON_VIDEO
    ).select_related("owner")
    return render(
        request,
        "media/admin/lesson_video_index.html",
        {"videos": videos, **upload_limits(request)},
    )


def lesson_video_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    _require_enablement_admin(request)
    video = get_object_or_404(
        MediaAsset, public_id=public_id, kind=MediaAsset.Kind.LESSON_VIDEO
    )
    return render(request, "media/admin/lesson_video_detail.html", {"asset": video})


@require_POST
def lesson_video_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    _require_enablement_admin(request)
    video = get_object_or_404(
        MediaAsset, public_id=public_id, kind=MediaAsset.Kind.LESSON_VIDEO
    )
    title = str(video)
    services.asset_delete(asset=video)
    messages.success(
        request, gettext("“%(title)s” and its files were deleted.") % {"title": title}
    )
    return redirect("lesson_videos:index")
