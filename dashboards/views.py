"""Managers' pages: My team, the completion matrix and their exports, and the start
page's context. Thin: the figures come from dashboards.team and dashboards.selectors,
the files from dashboards.exports."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import ChoiceField
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from dashboards import charts as charts_module
from dashboards import exports, importing
from dashboards import reports as reports_module
from dashboards.forms import TeamFilterForm
from dashboards.importing import OPTIONAL, REQUIRED
from dashboards.metrics import RAMP_QUOTA_SHARE
from dashboards.ramp import person_selling
from dashboards.ramp import ramp_analytics as ramp_analytics_for
from dashboards.selectors import (
    person_engaged_prospects,
    personal_start_for,
    start_page_for,
)
from dashboards.team import (
    SORTS,
    PersonRow,
    TeamFilters,
    TeamView,
    team_filter_choices,
    team_rows,
    team_view,
)
from dashboards.timeline import person_timeline
from lms.accounts import visibility
from lms.accounts.models import User
from lms.lib import clock, fragments, person_cache
from lms.lib.requests import signed_in_user
from lms.uploads import request_body_limit

PAGE_SIZE = 250


def _viewer(request: HttpRequest) -> User:
    # Every view here is behind login_required.
    return cast(User, request.user)


def start_page_context(request: HttpRequest, page: Page) -> dict[str, Any]:
    """The start page's context (`lms.start_page`): the teams the person leads or
    coaches, read at every request, and what it shows about the person themself
    (their training and a rep's corner), kept rendered per person, page and language
    (`lms.lib.person_cache`) until their state changes, their day ends, a due date
    passes or a prospect's open leaves the 30-day window."""
    user = signed_in_user(request)

    def render_personal() -> tuple[tuple[str, str], dt.datetime | None]:
        personal, holds_until = personal_start_for(user)
        context = {"me": user, "page": page, "personal": personal}
        head = render_to_string(
            "dashboards/includes/start_head.html", context, request=request
        )
        rep_corner = render_to_string(
            "dashboards/includes/start_rep_corner.html", context, request=request
        )
        return (head, rep_corner), holds_until

    head, rep_corner = person_cache.cached_for_person(
        user=user,
        name=f"start-page:{page.pk}:{get_language()}",
        compute=render_personal,
    )
    return {
        "start": start_page_for(user),
        # Rendered by render_personal, from this page's templates:
        "personal_head": mark_safe(head),  # noqa: S308
        "personal_rep_corner": mark_safe(rep_corner),  # noqa: S308
    }


def require_team_lead(user: User) -> None:
    if not (user.is_manager or user.is_enablement_admin):
        raise PermissionDenied(
            _("Only managers and enablement admins see team reports.")
        )


def _filters(request: HttpRequest) -> tuple[TeamFilterForm, TeamFilters]:
    form = TeamFilterForm(request.GET)
    if form.is_valid():
        return form, form.filters()
    return form, TeamFilters()


def _sort_headers(request: HttpRequest, current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it (ascending, or descending
    when it is already the ascending sort) and its aria-sort value."""
    headers = {}
    for key in SORTS:
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = f"-{key}" if current == key else key
        state = "none"
        if current == key:
            state = "ascending"
        elif current == f"-{key}":
            state = "descending"
        headers[key] = {"query": query.urlencode(), "aria": state}
    return headers


@login_required
def team_overview(request: HttpRequest) -> HttpResponse:
    """My team: who in the manager's subtree is on track and who is not, with the
    invitations still pending."""
    require_team_lead(_viewer(request))
    context = team_page_context(request)
    context["pending_invitations"] = pending_invitations(_viewer(request))
    return render(
        request,
        "dashboards/team_overview.html",
        context,
        status=400 if context["form"].errors else 200,
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's profile, for themself and the people allowed to see them, with
    the timeline of their learning, quizzes, reviews and certificates."""
    person = (
        visibility.visible_users(_viewer(request))
        .select_related("team")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404("No such person.")
    return render(
        request,
        "dashboards/person_detail.html",
        {
            "person": person,
            "coaches": visibility.coaches_of(person),
            "managers": visibility.managers_of(person),
            "timeline": person_timeline(person=person),
            "engaged_prospects": person_engaged_prospects(person),
            "selling": person_selling(person=person),
        },
    )


def team_page_context(
    request: HttpRequest, *, with_cells: bool = False
) -> dict[str, Any]:
    """What /team/ (and, with cells, the matrix) renders; the benchmark's floor
    renders the same context."""
    form, filters = _filters(request)
    view = team_view(viewer=_viewer(request), filters=filters, with_cells=with_cells)
    context = _context(request, form, filters, view)
    if not with_cells:
        # Rendered as the page is (the template calls them), after its own context.
        context["filters_html"] = partial(_filters_html, form, filters, view)
        context["tiles_html"] = partial(
            fragments.fragment,
            "dashboards/includes/tiles.html",
            view={"tiles": view.tiles},
        )
        context["head_html"] = partial(
            fragments.fragment,
            "dashboards/includes/team_head.html",
            sort_headers=context["sort_headers"],
        )
        context["rows_html"] = partial(_rows_html, context["page"].object_list)
    return context


def _rows_html(rows: list[PersonRow]) -> SafeString:
    return SafeString("".join(_row_html(row) for row in rows))


def _filters_html(
    form: TeamFilterForm, filters: TeamFilters, view: TeamView
) -> SafeString:
    """My team's filters, rendered again only for choices and values not rendered
    before (`lms.lib.fragments`): the template reads the plain values it is given
    where the matrix's page passes the form, the filters and the view."""

    def choices(name: str) -> tuple[tuple[str, str], ...]:
        field = cast(ChoiceField, form.fields[name])
        listed = cast(list[tuple[str, Any]], field.choices)
        return tuple((str(value), str(label)) for value, label in listed)

    return fragments.fragment(
        "dashboards/includes/filters.html",
        form={
            "errors": {
                name: tuple(str(error) for error in errors)
                for name, errors in form.errors.items()
            },
            "fields": {
                "role": {"choices": choices("role")},
                "status": {"choices": choices("status")},
            },
        },
        filters={
            "team_id": filters.team_id,
            "role": filters.role,
            "cohort": filters.cohort,
            "status": filters.status,
            "sort": filters.sort,
        },
        view={"team_choices": tuple(view.team_choices), "cohorts": tuple(view.cohorts)},
    )


def _row_html(row: PersonRow) -> SafeString:
    """A row of My team, rendered again only for figures not rendered before: the
    figures are read at every request, their HTML is found by its values
    (`lms.lib.fragments`)."""
    return fragments.fragment(
        "dashboards/includes/team_row.html",
        row={
            "pk": row.person.pk,
            "full_name": row.person.full_name,
            "team_name": row.team_name,
            "start_date": row.person.start_date,
            "progress_percent": row.progress_percent,
            "overdue": row.overdue,
            "last_activity": row.last_activity,
            "quiz_average": row.quiz_average,
            "coaching_average": row.coaching_average,
            "talk_ratio_median": row.talk_ratio_median,
            "talk_ratio_calls": row.talk_ratio_calls,
            "engaged_prospects": row.engaged_prospects,
            "certification": row.certification_label,
        },
    )


def _context(
    request: HttpRequest, form: TeamFilterForm, filters: TeamFilters, view: TeamView
) -> dict[str, Any]:
    page = Paginator(view.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,
        "filters": filters,
        "view": view,
        "page": page,
        "query": query.urlencode(),
        "sort_headers": _sort_headers(request, filters.sort),
    }


@login_required
def team_matrix(request: HttpRequest) -> HttpResponse:
    """The completion matrix: people × courses of an onboarding path."""
    require_team_lead(_viewer(request))
    context = team_page_context(request, with_cells=True)
    return render(
        request,
        "dashboards/team_matrix.html",
        context,
        status=400 if context["form"].errors else 200,
    )


@login_required
def team_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The rows of My team as filtered and sorted, streamed as CSV."""
    require_team_lead(_viewer(request))
    _form, filters = _filters(request)
    rows = team_rows(viewer=_viewer(request), filters=filters)
    response = StreamingHttpResponse(
        # The viewer's time zone, read now: the rows are written after this returns.
        exports.csv_lines(rows, timezone.get_current_timezone()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="my-team-{clock.today():%Y-%m-%d}.csv"'
    )
    return response


@login_required
def team_export_xlsx(request: HttpRequest) -> FileResponse:
    """The rows of My team as filtered and sorted, as an Excel workbook."""
    require_team_lead(_viewer(request))
    _form, filters = _filters(request)
    rows = team_rows(viewer=_viewer(request), filters=filters)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    try:
        exports.write_xlsx(rows, handle.name, timezone.get_current_timezone())
        stream = open(handle.name, "rb")  # noqa: SIM115
    finally:
        # Unlinked at once: the open handle keeps the file readable until sent.
        os.unlink(handle.name)
    return FileResponse(
        stream,
        as_attachment=True,
        filename=f"my-team-{clock.today():%Y-%m-%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def pending_invitations(user: User) -> Any:
    """The invitations My team lists, with their team (who sent them is not shown)."""
    return (
        visibility.invitations_visible_to(user)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("team")
    )


# Ramp analytics and the import of sales outcomes.

_PENDING_KEY = "dashboards_pending_outcomes"


def _pending_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "outcome-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_stale_uploads(folder: Path) -> None:
    # Previews nobody confirmed: keep them a day.
    cutoff = time.time() - 86_400
    for stale in folder.glob("*.csv"):
        if stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)


@request_body_limit(importing.MAX_BYTES)
@login_required
def outcomes_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of monthly sales outcomes, see a preview (or every error with its
    line number), then confirm: all rows are imported, or none."""
    viewer = _viewer(request)
    require_team_lead(viewer)
    folder = _pending_dir()
    context: dict[str, Any] = {"required": REQUIRED, "optional": OPTIONAL}
    status = 200
    if request.method == "POST" and "confirm" in request.POST:
        token = request.session.get(_PENDING_KEY, "")
        pending = folder / f"{token}.csv"
        if not token or request.POST.get("token") != token or not pending.exists():
            messages.error(
                request, _("That preview has expired: upload the file again.")
            )
            return redirect("outcomes_import")
        plan = importing.outcomes_import(importer=viewer, data=pending.read_bytes())
        pending.unlink(missing_ok=True)
        request.session.pop(_PENDING_KEY, None)
        if plan.ok:
            messages.success(
                request,
                _("Imported %(new)s new months and replaced %(replaced)s.")
                % {"new": plan.new_count, "replaced": plan.update_count},
            )
            return redirect("ramp_analytics")
        context["plan"], status = plan, 400
    elif request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["upload_error"] = _("Choose a CSV file to import.")
            status = 400
        elif upload.size is not None and upload.size > importing.MAX_BYTES:
            context["upload_error"] = _("The file is larger than 5 MB.")
            status = 400
        else:
            data = upload.read()
            plan = importing.outcomes_plan(importer=viewer, data=data)
            context["plan"] = plan
            if plan.ok:
                _forget_stale_uploads(folder)
                token = secrets.token_urlsafe(16)
                (folder / f"{token}.csv").write_bytes(data)
                request.session[_PENDING_KEY] = token
                context["token"] = token
                context["preview"] = [
                    (row, plan.replaces(row)) for row in plan.parsed.rows[:50]
                ]
            else:
                status = 400
    return render(request, "dashboards/outcomes_import.html", context, status=status)


@login_required
def ramp_analytics(request: HttpRequest) -> HttpResponse:
    """Ramp metrics per rep and per onboarding cohort, for the viewer's teams."""
    viewer = _viewer(request)
    require_team_lead(viewer)
    form, filters = _filters(request)
    analytics = ramp_analytics_for(viewer=viewer, filters=filters)
    return render(
        request,
        "dashboards/ramp_analytics.html",
        {
            "form": form,
            "filters": filters,
            "analytics": analytics,
            "view": team_filter_choices(viewer),
            "share_percent": int(RAMP_QUOTA_SHARE * 100),
        },
        status=400 if form.errors else 200,
    )


@login_required
def team_charts(request: HttpRequest) -> HttpResponse:
    """Cohort ramp curves, completion over time and coaching score trend for the
    viewer's teams, as SVG with data tables."""
    viewer = _viewer(request)
    require_team_lead(viewer)
    form, filters = _filters(request)
    charts = [
        charts_module.ramp_curves(viewer=viewer, filters=filters),
        charts_module.completions_over_time(viewer=viewer, filters=filters),
        charts_module.coaching_trend(viewer=viewer, filters=filters),
    ]
    return render(
        request,
        "dashboards/team_charts.html",
        {
            "form": form,
            "filters": filters,
            "charts": charts,
            "view": team_filter_choices(viewer),
        },
        status=400 if form.errors else 200,
    )


@login_required
def admin_reports(request: HttpRequest) -> HttpResponse:
    """Completion rates, coaching turnaround and quiz analysis links, for enablement
    admins only."""
    if not _viewer(request).is_enablement_admin:
        raise PermissionDenied(_("Only enablement admins see these reports."))
    return render(
        request,
        "dashboards/admin_reports.html",
        {"reports": reports_module.admin_reports()},
    )
