"""Charts for managers, drawn on the server as SVG with pygal (no JavaScript), each
with a table of the same figures as its text alternative:

- cohort ramp curves: the share of the onboarding path completed against days since
  the start date, one line per start month;
- completion over time: lessons completed per week over the last twelve weeks;
- coaching score trend: the average coach review score per month over the last year.

Data come from grouped queries over the people in the viewer's scope (three queries
plus the scope)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pygal
from django.db.models import Avg, Count, Min
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import dateformat
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from coaching.models import Review
from courses.models import Assignment, CoursePage, LessonCompletion, PathStep
from dashboards.team import TeamFilters, _required_lessons, people_in_scope
from lms.accounts.models import User
from lms.lib import clock
from lms.lib.charts import chart_options, chart_svg

RAMP_DAYS = list(range(0, 91, 10))


@dataclass(frozen=True)
class Chart:
    title: str
    svg: SafeString
    columns: list[str]  # the data table: first column, then one per series
    rows: list[list[str]]


def _config(title: str, **extra: object) -> dict[str, object]:
    return chart_options(title=title, height=360, show_minor_x_labels=True, **extra)


def ramp_curves(*, viewer: User, filters: TeamFilters, cohorts: int = 6) -> Chart:
    """Share of the onboarding path done by day N since start, per start month (the
    latest `cohorts` months with people on an onboarding path)."""
    start_of: dict[int, dt.date] = {
        pk: start
        for pk, start in people_in_scope(viewer=viewer, filters=filters).values_list(
            "pk", "start_date"
        )
        if start is not None
    }
    path_of = dict(
        Assignment.objects.current()
        .filter(
            user__in=list(start_of),
            reason=Assignment.Reason.ONBOARDING,
            path__isnull=False,
        )
        .order_by("user_id", "assigned_at")
        .values_list("user_id", "path_id")
    )
    steps = PathStep.objects.filter(path_id__in=set(path_of.values())).select_related(
        "course"
    )
    courses_of: dict[int, list[CoursePage]] = defaultdict(list)
    for step in steps:
        courses_of[step.path_id].append(step.course)
    lesson_course = _required_lessons([c for cs in courses_of.values() for c in cs])
    totals: dict[int, int] = defaultdict(int)
    course_path = {c.pk: pid for pid, cs in courses_of.items() for c in cs}
    for course_id in lesson_course.values():
        totals[course_path[course_id]] += 1
    firsts = (
        LessonCompletion.objects.filter(
            user__in=list(path_of), lesson_id__in=list(lesson_course)
        )
        .values("user_id", "lesson_id")
        .annotate(first=Min("completed_at"))
        .order_by()
        .values_list("user_id", "lesson_id", "first")
    )
    days_done: dict[int, list[int]] = defaultdict(list)
    for user_id, lesson_id, first in firsts:
        if course_path.get(lesson_course[lesson_id]) != path_of[user_id]:
            continue
        days_done[user_id].append(max(0, (first.date() - start_of[user_id]).days))
    today = clock.today()
    by_cohort: dict[dt.date, list[int]] = defaultdict(list)
    for user_id in path_of:
        by_cohort[start_of[user_id].replace(day=1)].append(user_id)
    chosen = sorted(by_cohort, reverse=True)[:cohorts]
    chart = pygal.Line(
        **_config(
            _("Onboarding completed by days since start"),
            x_title=_("Days since start date"),
            y_title=_("Path done (%)"),
            range=(0, 100),
        )
    )
    chart.x_labels = [str(day) for day in RAMP_DAYS]
    rows: list[list[str]] = [[str(day)] for day in RAMP_DAYS]
    columns = [_("Days since start")]
    for month in sorted(chosen):
        members = by_cohort[month]
        series: list[float | None] = []
        for i, day in enumerate(RAMP_DAYS):
            # Only people who have been here that long count towards day N.
            eligible = [u for u in members if (today - start_of[u]).days >= day]
            if not eligible:
                series.append(None)
                rows[i].append("—")
                continue
            shares = [
                sum(1 for d in days_done[u] if d <= day) / totals[path_of[u]]
                for u in eligible
                if totals[path_of[u]]
            ]
            value = round(100 * sum(shares) / len(shares), 1) if shares else None
            series.append(value)
            rows[i].append("—" if value is None else f"{value}%")
        label = _("Started %(month)s (%(people)s)") % {
            "month": dateformat.format(month, "M Y"),
            "people": len(members),
        }
        chart.add(label, series)
        columns.append(label)
    return Chart(_("Cohort ramp curves"), chart_svg(chart), columns, rows)


def completions_over_time(
    *, viewer: User, filters: TeamFilters, weeks: int = 12
) -> Chart:
    """Lessons completed per week by the people in scope."""
    today = clock.today()
    monday = today - dt.timedelta(days=today.weekday())
    first = monday - dt.timedelta(weeks=weeks - 1)
    people = people_in_scope(viewer=viewer, filters=filters).values("pk")
    counts = {
        (week.date() if isinstance(week, dt.datetime) else week): n
        for week, n in LessonCompletion.objects.filter(
            user__in=people, completed_at__date__gte=first
        )
        .annotate(week=TruncWeek("completed_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("week", "n")
    }
    labels = [first + dt.timedelta(weeks=i) for i in range(weeks)]
    values = [counts.get(week, 0) for week in labels]
    chart = pygal.Bar(
        **_config(
            _("Lessons completed per week"), x_title=_("Week of"), y_title=_("Lessons")
        )
    )
    chart.x_labels = [dateformat.format(week, "d M") for week in labels]
    chart.add(_("Lessons completed"), values)
    rows = [
        [f"{week:%Y-%m-%d}", str(n)] for week, n in zip(labels, values, strict=True)
    ]
    return Chart(
        _("Completion over time"),
        chart_svg(chart),
        [_("Week of"), _("Lessons")],
        rows,
    )


def coaching_trend(*, viewer: User, filters: TeamFilters, months: int = 12) -> Chart:
    """Average score of coaches' submitted reviews per month."""
    today = clock.today().replace(day=1)
    labels = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        labels.append(dt.date(year, month + 1, 1))
    people = people_in_scope(viewer=viewer, filters=filters).values("pk")
    averages = {
        (m.date() if isinstance(m, dt.datetime) else m): (avg, n)
        for m, avg, n in Review.objects.by_coaches()
        .submitted()
        .filter(
            take__submission__rep__in=people,
            score__isnull=False,
            submitted_at__date__gte=labels[0],
        )
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(avg=Avg("score"), n=Count("pk"))
        .order_by()
        .values_list("month", "avg", "n")
    }
    values = [
        round(float(averages[m][0]), 2) if m in averages else None for m in labels
    ]
    chart = pygal.Line(
        **_config(
            _("Average coaching score per month"),
            x_title=_("Month"),
            y_title=_("Score (1–5)"),
            range=(1, 5),
        )
    )
    chart.x_labels = [dateformat.format(m, "M y") for m in labels]
    chart.add(_("Average score"), values)
    rows = [
        [
            f"{m:%Y-%m}",
            f"{averages[m][0]:.2f}" if m in averages else "—",
            str(averages[m][1]) if m in averages else "0",
        ]
        for m in labels
    ]
    return Chart(
        _("Coaching score trend"),
        chart_svg(chart),
        [_("Month"), _("Average score"), _("Reviews")],
        rows,
    )
