from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import selectors, services
from courses.forms import AssignmentForm, managed_members
from courses.models import Assignment, CoursePage, LessonCompletion, LessonPage
from courses.selectors import lesson_context, lock_reason
from lms.accounts import visibility
from lms.accounts.models import User
from lms.lib import person_cache
from lms.lib.redirects import next_url, redirect_back
from lms.lib.requests import SignedInRequest
from lms.pages import in_source_language


def _live_lesson(request: SignedInRequest, page_id: int) -> LessonPage:
    """The lesson, if published and not in a step the person has not unlocked."""
    lesson: LessonPage | None = (
        in_source_language(LessonPage.objects.live()).filter(pk=page_id).first()
    )
    if lesson is None:
        raise Http404(_("No such lesson."))
    course = CoursePage.objects.get(pk=lesson.get_parent().pk)
    reason = lock_reason(user=request.user, course=course)
    if reason:
        raise PermissionDenied(reason)
    return lesson


@login_required
@require_POST
def lesson_mark_read(request: SignedInRequest, page_id: int) -> HttpResponse:
    """A reading lesson is completed by saying so; a video lesson by watching it."""
    lesson = _live_lesson(request, page_id).specific
    if not lesson.completes_by_reading:
        messages.error(request, lesson.how_to_complete())
        return redirect(lesson.url)
    services.lesson_complete(
        user=request.user, lesson=lesson, how=LessonCompletion.How.READ
    )
    following = lesson_context(user=request.user, lesson=lesson)["next_lesson"]
    if following is not None:
        return redirect(following.url)
    messages.success(
        request,
        _("You finished the last lesson of “%(course)s”.")
        % {"course": lesson.get_parent().title},
    )
    return redirect(lesson.get_parent().url)


@login_required
@require_POST
def lesson_watch(request: SignedInRequest, page_id: int) -> JsonResponse:
    """Periodic reports from the lesson's player: the ranges played, the position."""
    lesson = _live_lesson(request, page_id)
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


@login_required
def my_learning(request: SignedInRequest) -> HttpResponse:
    """The rep's home for learning: the path, what is due, and one Continue button.

    The page's body is kept rendered per person and language (`lms.lib.person_cache`)
    until their progress changes, a due date passes or their day ends."""
    user = request.user
    learning = SimpleLazyObject(lambda: selectors.learning_state(user=user))

    def render_body() -> tuple[str, dt.datetime | None]:
        state = selectors.learning_state(user=user)
        body = render_to_string(
            "courses/includes/my_learning_body.html",
            {"learning": state},
            request=request,
        )
        return body, selectors.next_due_instant(learning=state)

    body = person_cache.cached_for_person(
        user=user, name=f"learning-page:{get_language()}", compute=render_body
    )
    return render(
        request,
        "courses/my_learning.html",
        {"learning": learning, "body": mark_safe(body)},  # noqa: S308 rendered here
    )


def _require_assigner(user: User) -> None:
    if not (user.is_manager or user.is_enablement_admin):
        raise PermissionDenied(
            _("Only managers and enablement admins assign training.")
        )


@login_required
def assignment_new(request: SignedInRequest) -> HttpResponse:
    """Assign a path or a course to chosen people of the viewer's teams, in bulk."""
    _require_assigner(request.user)
    form = AssignmentForm(request.POST or None, assigner=request.user)
    if request.method == "POST" and form.is_valid():
        made = services.assignments_create_for(
            users=list(form.cleaned_data["people"]),
            reason=Assignment.Reason.MANUAL,
            path=form.cleaned_data["path"],
            course=form.cleaned_data["course"],
            assigned_by=request.user,
            due_at=form.due_at(),
        )
        skipped = len(form.cleaned_data["people"]) - len(made)
        message = ngettext(
            "Assigned to %(count)d person.", "Assigned to %(count)d people.", len(made)
        ) % {"count": len(made)}
        if skipped:
            message += " " + ngettext(
                "%(count)d already had it open.",
                "%(count)d already had it open.",
                skipped,
            ) % {"count": skipped}
        messages.success(request, message)
        return redirect_back(request)
    return render(
        request,
        "courses/assignment_new.html",
        {"form": form, "next": next_url(request)},
    )


@login_required
@require_POST
def assignment_unassign(request: SignedInRequest, pk: int) -> HttpResponse:
    _require_assigner(request.user)
    assignment = get_object_or_404(
        Assignment.objects.open().filter(user__in=managed_members(request.user)),
        pk=pk,
    )
    services.assignment_unassign(assignment=assignment)
    messages.success(
        request,
        _("“%(title)s” was withdrawn from %(person)s.")
        % {"title": assignment.title, "person": assignment.user},
    )
    return redirect("person_learning", assignment.user_id)


@login_required
def person_learning(request: SignedInRequest, pk: int) -> HttpResponse:
    """One person's assignments, for themself and the people allowed to see them."""
    person = visibility.visible_users(request.user).filter(pk=pk).first()
    if person is None:
        raise Http404(_("No such person."))
    return render(
        request,
        "courses/person_learning.html",
        {
            "person": person,
            "learning": selectors.learning_state(user=person),
            "can_unassign": managed_members(request.user).filter(pk=person.pk).exists(),
        },
    )


@login_required
@require_POST
def course_enrol(request: SignedInRequest, page_id: int) -> HttpResponse:
    """Take an optional course from the catalogue: it joins My learning."""
    course = get_object_or_404(
        in_source_language(CoursePage.objects.live()), pk=page_id
    )
    _enrolment, created = services.course_enrol(user=request.user, course=course)
    if created:
        messages.success(
            request, _("“%(course)s” is now in My learning.") % {"course": course.title}
        )
    return redirect(course.url)
