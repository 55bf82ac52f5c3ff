"""The coaching pages: request a review, my coaching, the coach's queue, the review
screen with its comment and scoring endpoints, practice takes, and exports.

Every view finds objects through coaching.permissions (404 for what the viewer may
not see; 403 for an action they may not take on something they see); the services
decide everything else and their refusals are shown as messages."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from coaching import analytics, exports, selectors, services
from coaching.forms import (
    AddTakeForm,
    CommentForm,
    RepChannelForm,
    ReviewRequestForm,
    ReviewSubmitForm,
    SelfReviewForm,
    SendTakeForm,
    usable_recordings,
)
from coaching.models import CallAnalysis, Comment, PracticePage, Review, Take
from coaching.permissions import can_review, submissions_visible_to
from lms.accounts.models import User
from lms.lib.charts import chart_options, chart_svg
from lms.pages import in_source_language
from media.models import MediaAsset
from media.views.recordings import upload_limits

NIL_UUID = "00000000-0000-0000-0000-000000000000"


def _user(request: HttpRequest) -> User:
    """The signed-in person (every view here requires one)."""
    return cast(User, request.user)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _take_or_404(request: HttpRequest, take_id: int) -> Take:
    take = selectors.visible_take(viewer=_user(request), take_id=take_id)
    if take is None:
        raise Http404("No such recording to review.")
    return take


# The rep: request a review, my coaching.


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    """A rep sends a real call to a coach: upload it (or pick a recording), say
    what it is and what they want to hear about."""
    user = _user(request)
    chosen = _chosen_recording(user, request.GET.get("asset", ""))
    initial = {"asset": chosen, "title": chosen.title} if chosen else {}
    form = ReviewRequestForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.call_review_request(
                rep=user,
                asset=form.cleaned_data["asset"],
                title=form.cleaned_data["title"],
                rubric=form.cleaned_data["rubric"],
                deal_stage=form.cleaned_data["deal_stage"],
                feedback_wanted=form.cleaned_data["feedback_wanted"],
                coach=form.cleaned_data["coach"],
                rep_channel=form.cleaned_data["rep_channel"],
            )
        except services.CoachingRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext(
                    "“%(title)s” was sent for review. You will get an e-mail when "
                    "your coach has reviewed it."
                )
                % {"title": submission.title},
            )
            return redirect("coaching_mine")
    return render(
        request,
        "coaching/request_new.html",
        {
            "form": form,
            "chosen": chosen,
            "detail_url": reverse("coaching_request_new") + f"?asset={NIL_UUID}",
            **upload_limits(request),
        },
    )


def _chosen_recording(user: User, public_id: str) -> MediaAsset | None:
    """The recording just uploaded (the uploader comes back with its id)."""
    try:
        uuid.UUID(public_id)
    except ValueError:
        return None
    return usable_recordings(user).filter(public_id=public_id).first()


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The rep's submissions, the history of their scores, and their talk ratio and
    longest monologue over their analysed calls."""
    histories = selectors.score_history(rep=_user(request))
    trend = analytics.rep_trend(rep=_user(request))
    return render(
        request,
        "coaching/mine.html",
        {
            "rows": selectors.my_submissions(rep=_user(request)),
            "histories": [
                {"history": history, "chart": _history_chart(history)}
                for history in histories
            ],
            "trend": trend,
            "trend_chart": _trend_chart(trend) if trend else "",
        },
    )


# The coach's queue.


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The coach's work: To review, In progress, Done; oldest due first."""
    tab = request.GET.get("tab", "to_review")
    if tab not in selectors.QUEUE_TABS:
        tab = "to_review"
    counts = selectors.queue_counts(coach=_user(request))
    return render(
        request,
        "coaching/queue.html",
        {
            "tab": tab,
            "tabs": [
                {"key": key, "label": label, "count": counts[key]}
                for key, (label, _) in selectors.QUEUE_TABS.items()
            ],
            "rows": selectors.coach_queue(coach=_user(request), tab=tab),
        },
    )


# The review screen.


@login_required
@require_safe
def review(request: HttpRequest, take_id: int) -> HttpResponse:
    """One take: player, markers, comments; the rubric form for the coach; the
    submitted reviews for everyone who may see them."""
    take = _take_or_404(request, take_id)
    screen = selectors.review_screen(viewer=_user(request), take=take)
    return _render_review(request, screen)


def _render_review(
    request: HttpRequest,
    screen: selectors.ReviewScreen,
    *,
    review_form: ReviewSubmitForm | None = None,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    criteria = [line.criterion for line in screen.criteria]
    if review_form is None and screen.can_review:
        initial: dict[str, Any] = {
            f"criterion_{line.criterion.pk}": line.draft_level
            for line in screen.criteria
            if line.draft_level
        }
        if screen.draft is not None:
            initial["summary"] = screen.draft.summary
        review_form = ReviewSubmitForm(criteria=criteria, initial=initial)
    return render(
        request,
        "coaching/review.html",
        {
            "screen": screen,
            "submission": screen.submission,
            "take": screen.take,
            "asset": screen.asset,
            "review_form": review_form,
            "criterion_fields": _criterion_fields(review_form, screen)
            if review_form
            else [],
            "comment_form": comment_form or CommentForm(),
            "comment_kinds": Comment.Kind.choices,
            "duration": screen.asset.duration if screen.asset else None,
            "analysis_panel": analytics.analysis_panel(
                take=screen.take, viewer=_user(request)
            ),
            "channel_choices": CallAnalysis.RepChannel.choices,
        },
        status=status,
    )


@login_required
@require_POST
def analysis_channel(request: HttpRequest, take_id: int) -> HttpResponse:
    """The rep or their coach says which channel of a two-channel call is the rep;
    the metrics are worked out again at once."""
    take = _take_or_404(request, take_id)
    analysis = CallAnalysis.objects.filter(take=take).first()
    if analysis is None:
        raise Http404("This recording has no conversation analytics.")
    form = RepChannelForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose the first or the second channel."))
        return redirect("coaching_review", take.pk)
    try:
        analytics.call_analysis_set_rep_channel(
            analysis=analysis,
            user=_user(request),
            rep_channel=form.cleaned_data["rep_channel"],
        )
    except analytics.AnalysisRefused as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    messages.success(
        request, gettext("The rep's channel was changed; the metrics follow it.")
    )
    return redirect("coaching_review", take.pk)


def _criterion_fields(
    form: ReviewSubmitForm, screen: selectors.ReviewScreen
) -> list[dict[str, Any]]:
    return [
        {"line": line, "field": form[f"criterion_{line.criterion.pk}"]}
        for line in screen.criteria
    ]


def _comment_payload(
    request: HttpRequest, comment: Comment, take: Take
) -> dict[str, Any]:
    screen_user = _user(request)
    html = render_to_string(
        "coaching/includes/comment.html",
        {
            "comment": comment,
            "replies": [],
            "take": take,
            "user": screen_user,
            "can_reply": True,
            "is_reply": comment.parent_id is not None,
        },
        request=request,
    )
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        "start": float(comment.start_seconds)
        if comment.start_seconds is not None
        else None,
        "end": float(comment.end_seconds) if comment.end_seconds is not None else None,
        "kind": comment.kind,
        "html": html,
    }


def _fail(request: HttpRequest, take: Take, message: str, status: int) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    if status == 403:
        raise PermissionDenied(message)
    messages.error(request, message)
    return redirect("coaching_review", take.pk)


@login_required
@require_POST
def comment_add(request: HttpRequest, take_id: int) -> HttpResponse:
    """Add a comment (a routed coach reviewing the take) or a reply (the rep or a
    routed coach); JSON for the page's script, a redirect for a plain form."""
    take = _take_or_404(request, take_id)
    user = _user(request)
    submission = take.submission
    form = CommentForm(request.POST)
    if not form.is_valid():
        message = " ".join(
            str(error) for errors in form.errors.values() for error in errors
        )
        return _fail(request, take, message, 400)
    data = form.cleaned_data
    parent = None
    if data["parent"] is not None:
        parent = (
            selectors.comments_visible_to(user, take).filter(pk=data["parent"]).first()
        )
        if parent is None:
            return _fail(request, take, gettext("That comment no longer exists."), 400)
        if not (user.pk == submission.rep_id or can_review(user, submission)):
            return _fail(
                request,
                take,
                gettext("Only the rep and their coaches reply here."),
                403,
            )
    elif not selectors.take_is_open_for(viewer=user, take=take):
        return _fail(
            request,
            take,
            gettext("Only a coach reviewing this take adds comments on its timeline."),
            403,
        )
    try:
        comment = services.comment_add(
            take=take,
            author=user,
            text=data["text"],
            start_seconds=data["start_seconds"] if parent is None else None,
            end_seconds=data["end_seconds"] if parent is None else None,
            kind=data["kind"] if parent is None else "",
            parent=parent,
        )
    except services.CoachingRefused as error:
        return _fail(request, take, str(error), 400)
    if _wants_json(request):
        return JsonResponse(_comment_payload(request, comment, take), status=201)
    messages.success(request, gettext("Comment saved."))
    return redirect(
        reverse("coaching_review", args=[take.pk]) + f"#comment-{comment.pk}"
    )


def _own_comment_or_404(request: HttpRequest, comment_id: int) -> Comment:
    comment = (
        Comment.objects.filter(
            pk=comment_id,
            take__submission__in=submissions_visible_to(_user(request)),
        )
        .select_related("take", "take__submission", "review")
        .first()
    )
    if (
        comment is None
        or not selectors.comments_visible_to(_user(request), comment.take)
        .filter(pk=comment.pk)
        .exists()
    ):
        raise Http404("No such comment.")
    return comment


@login_required
@require_POST
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _own_comment_or_404(request, comment_id)
    take = comment.take
    if comment.author_id != _user(request).pk:
        return _fail(
            request, take, gettext("You can only delete your own comments."), 403
        )
    try:
        services.comment_delete(comment=comment, author=_user(request))
    except services.CoachingRefused as error:
        return _fail(request, take, str(error), 400)
    if _wants_json(request):
        return JsonResponse({"deleted": comment_id})
    messages.success(request, gettext("Comment deleted."))
    return redirect("coaching_review", take.pk)


@login_required
@require_POST
def review_submit(request: HttpRequest, take_id: int) -> HttpResponse:
    """The coach's scores, summary and outcome; the score is computed on the
    server."""
    take = _take_or_404(request, take_id)
    user = _user(request)
    if not selectors.take_is_open_for(viewer=user, take=take):
        raise PermissionDenied(gettext("This take is not waiting for your review."))
    screen = selectors.review_screen(viewer=user, take=take)
    form = ReviewSubmitForm(
        request.POST, criteria=[line.criterion for line in screen.criteria]
    )
    if form.is_valid():
        try:
            draft = services.review_start(take=take, coach=user)
            submitted = services.review_submit(
                review=draft,
                coach=user,
                levels=form.levels(),
                summary=form.cleaned_data["summary"],
                outcome=form.cleaned_data["outcome"],
            )
        except services.CoachingRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext("Review sent to %(rep)s: %(score)s (%(outcome)s).")
                % {
                    "rep": take.submission.rep.full_name,
                    "score": formats.localize(submitted.score),
                    "outcome": submitted.get_outcome_display(),
                },
            )
            return redirect("coaching_review", take.pk)
    return _render_review(request, screen, review_form=form, status=400)


# Exports.


@login_required
@require_safe
def review_vtt(request: HttpRequest, review_id: int) -> HttpResponse:
    review_ = _exportable_or_404(request, review_id)
    response = HttpResponse(
        exports.comments_webvtt(review_), content_type="text/vtt; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="review-{review_.pk}-comments.vtt"'
    )
    return response


@login_required
@require_safe
def review_csv(request: HttpRequest, review_id: int) -> HttpResponse:
    review_ = _exportable_or_404(request, review_id)
    response = HttpResponse(
        exports.comments_csv(review_), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="review-{review_.pk}-comments.csv"'
    )
    return response


def _exportable_or_404(request: HttpRequest, review_id: int) -> Review:
    review_ = selectors.exportable_review(viewer=_user(request), review_id=review_id)
    if review_ is None:
        raise Http404("No such review.")
    return review_


# Practice takes (the forms live on the practice page).


def _practice_or_404(request: HttpRequest, page_id: int) -> PracticePage:
    practice: PracticePage | None = (
        in_source_language(PracticePage.objects.live()).filter(pk=page_id).first()
    )
    if practice is None:
        raise Http404("No such practice.")
    from courses.selectors import lock_reason

    reason = lock_reason(user=_user(request), course=practice.get_parent().specific)
    if reason:
        raise PermissionDenied(reason)
    return practice


@login_required
@require_POST
def practice_take_add(request: HttpRequest, page_id: int) -> HttpResponse:
    practice = _practice_or_404(request, page_id)
    form = AddTakeForm(request.POST, user=_user(request))
    if not form.is_valid():
        messages.error(request, gettext("Choose one of your recordings."))
        return redirect(practice.url)
    try:
        take = services.practice_take_add(
            rep=_user(request), practice=practice, asset=form.cleaned_data["asset"]
        )
    except services.CoachingRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, gettext("Take %(number)s added.") % {"number": take.number}
        )
    return redirect(practice.url + "#takes")


def _own_take_or_404(request: HttpRequest, take_id: int) -> Take:
    take = get_object_or_404(
        Take.objects.select_related(
            "submission", "submission__rubric", "submission__practice"
        ),
        pk=take_id,
        submission__rep=_user(request),
    )
    return take


@login_required
@require_POST
def self_review(request: HttpRequest, take_id: int) -> HttpResponse:
    take = _own_take_or_404(request, take_id)
    criteria = list(take.submission.rubric.criteria.all())
    form = SelfReviewForm(request.POST, criteria=criteria)
    back = _practice_back(take)
    if not form.is_valid() or len(form.levels()) != len(criteria):
        messages.error(request, gettext("Score every criterion from 1 to 5."))
        return redirect(back)
    try:
        services.self_review_save(take=take, user=_user(request), levels=form.levels())
    except services.CoachingRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext("Your self-review of take %(number)s is saved.")
            % {"number": take.number},
        )
    return redirect(back)


@login_required
@require_POST
def take_send(request: HttpRequest, take_id: int) -> HttpResponse:
    take = _own_take_or_404(request, take_id)
    form = SendTakeForm(request.POST, user=_user(request))
    back = _practice_back(take)
    if not form.is_valid():
        messages.error(request, gettext("Choose one of your coaches, or any coach."))
        return redirect(back)
    try:
        services.take_send(
            take=take, user=_user(request), coach=form.cleaned_data["coach"]
        )
    except services.CoachingRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext(
                "Take %(number)s was sent for review. You will get an e-mail when "
                "your coach has reviewed it."
            )
            % {"number": take.number},
        )
    return redirect(back)


def _practice_back(take: Take) -> str:
    practice = take.submission.practice
    if practice is None:
        return reverse("coaching_mine")
    return f"{practice.url}#takes"


def _trend_chart(points: list[analytics.TrendPoint]) -> str:
    """The rep's talk ratio (percent) and longest monologue (seconds) per call, as
    two lines on one SVG (the table beside it says the same in words)."""
    import pygal

    chart = pygal.Line(
        **chart_options(
            height=260,
            width=640,
            show_dots=True,
            dots_size=4,
            explicit_size=False,
            # The seconds' axis is scaled to the percents' ticks (8, 8.8, 9.6…):
            # fewer ticks, at most one decimal, written as the reader's language
            # writes them (not "8.333333333").
            max_scale=6,
            value_formatter=_axis_number,
        )
    )
    chart.x_labels = [
        formats.date_format(timezone.localtime(point.when), "MONTH_DAY_FORMAT")
        for point in points
    ]
    chart.add(
        gettext("Talk ratio (%)"), [round(point.talk_ratio * 100) for point in points]
    )
    chart.add(
        gettext("Longest monologue (s)"),
        [
            round(point.longest_monologue_seconds)
            if point.longest_monologue_seconds is not None
            else None
            for point in points
        ],
        secondary=True,
    )
    return chart_svg(chart)


def _axis_number(value: float) -> str:
    return formats.number_format(value, decimal_pos=0 if value == int(value) else 1)


def _history_chart(history: selectors.RubricHistory) -> str:
    """An SVG line per criterion over the reviews (the table beside it says the same
    in words). Drawn on the server: no script, no CDN."""
    import pygal

    chart = pygal.Line(
        **chart_options(
            range=(1, 5),
            height=260,
            width=640,
            show_dots=True,
            dots_size=4,
            x_label_rotation=0,
            explicit_size=False,
        )
    )
    chart.x_labels = [
        formats.date_format(
            timezone.localtime(point.review.submitted_at), "MONTH_DAY_FORMAT"
        )
        if point.review.submitted_at
        else ""
        for point in history.points
    ]
    for index, criterion in enumerate(history.criteria):
        chart.add(criterion.name, [row[1][index] for row in history.rows()])
    chart.add(
        gettext("Weighted score"),
        [float(point.review.score or 0) or None for point in history.points],
    )
    return chart_svg(chart)
