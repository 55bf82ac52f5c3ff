from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from courses import services
from courses.models import LessonPage
from courses.selectors import lesson_context


def _live_lesson(page_id: int) -> LessonPage:
    lesson = LessonPage.objects.live().filter(pk=page_id).first()
    if lesson is None:
        raise Http404("No such lesson.")
    return lesson


@login_required
@require_POST
def lesson_mark_read(request: HttpRequest, page_id: int) -> HttpResponse:
    """A reading lesson is completed by saying so; a video lesson by watching it."""
    lesson = _live_lesson(page_id)
    if lesson.video is not None:
        messages.error(
            request, "This lesson is complete once you have watched 90% of its video."
        )
        return redirect(lesson.url)
    services.lesson_complete(
        user=request.user, lesson=lesson, how=services.LessonCompletion.How.READ
    )
    following = lesson_context(user=request.user, lesson=lesson)["next_lesson"]
    if following is not None:
        return redirect(following.url)
    messages.success(
        request, f"You finished the last lesson of “{lesson.get_parent().title}”."
    )
    return redirect(lesson.get_parent().url)


@login_required
@require_POST
def lesson_watch(request: HttpRequest, page_id: int) -> JsonResponse:
    """Periodic reports from the lesson's player: the ranges played, the position."""
    lesson = _live_lesson(page_id)
    try:
        report = json.loads(request.body)
        ranges = [(float(start), float(end)) for start, end in report["ranges"]]
        position = float(report.get("position", 0))
        state = services.watch_report(
            user=request.user, lesson=lesson, ranges=ranges, position=position
        )
    except (ValueError, TypeError, KeyError) as error:
        return JsonResponse({"error": f"Malformed report: {error}"}, status=400)
    except services.WatchReportRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    return JsonResponse(
        {
            "watched_percent": state.watched_percent,
            "position": state.position,
            "completed": state.completed,
        }
    )
