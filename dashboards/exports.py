"""Exports of "My team" exactly as filtered and sorted on screen: CSV streamed row by
row, XLSX written in xlsxwriter's constant-memory mode to a temporary file. Pure over
computed rows: no queries here."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from dashboards.team import PersonRow
from lms.lib import spreadsheets

# The manager's download: headers in the viewer's language (the API keeps its own
# stable machine headers).
HEADERS = [
    _("Name"),
    _("E-mail"),
    _("Team"),
    _("Start date"),
    _("Onboarding path"),
    _("Onboarding progress (%)"),
    _("Lessons done"),
    _("Lessons required"),
    _("Overdue"),
    _("Last activity"),
    _("Quiz average (%)"),
    _("Coaching average (1-5)"),
    _("Talk ratio median (%)"),
    _("Calls analysed"),
    _("Engaged prospects (30 days)"),
    _("Certification"),
]


def headers() -> list[str]:
    """The header row in the active language."""
    return [str(header) for header in HEADERS]


def row_values(row: PersonRow, zone: dt.tzinfo = dt.UTC) -> list[Any]:
    """One person's figures as the export writes them (the page shows the same);
    times in `zone`, the viewer's time zone, as on the page."""
    person = row.person
    return [
        person.full_name,
        person.email,
        row.team_name,
        person.start_date.isoformat() if person.start_date else "",
        row.path_title,
        "" if row.progress_percent is None else row.progress_percent,
        row.lessons_done,
        row.lessons_total,
        row.overdue,
        _when(row.last_activity, zone),
        "" if row.quiz_average is None else str(row.quiz_average),
        "" if row.coaching_average is None else str(row.coaching_average),
        "" if row.talk_ratio_median is None else round(row.talk_ratio_median * 100),
        row.talk_ratio_calls,
        row.engaged_prospects,
        row.certification_label,
    ]


def _when(moment: dt.datetime | None, zone: dt.tzinfo) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {getattr(zone, 'key', None) or local.tzname()}"


def csv_lines(rows: Iterable[PersonRow], zone: dt.tzinfo = dt.UTC) -> Iterator[str]:
    """The CSV, one line at a time, for a StreamingHttpResponse. The header is read
    now, in the request's language, not when the response is streamed."""
    return _csv_lines(headers(), rows, zone)


def _csv_lines(
    header: list[str], rows: Iterable[PersonRow], zone: dt.tzinfo
) -> Iterator[str]:
    writer = csv.writer(spreadsheets.Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(
            [spreadsheets.cell(value) for value in row_values(row, zone)]
        )


def write_xlsx(rows: Iterable[PersonRow], path: str, zone: dt.tzinfo = dt.UTC) -> None:
    """Write the XLSX to `path`, keeping one row in memory at a time."""
    import xlsxwriter

    # Every cell is written as what it is: no text turned into a formula or a link.
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    try:
        sheet = workbook.add_worksheet(str(_("My team")))
        bold = workbook.add_format({"bold": True})
        sheet.write_row(0, 0, headers(), bold)
        sheet.freeze_panes(1, 1)
        for number, row in enumerate(rows, start=1):
            sheet.write_row(
                number, 0, [spreadsheets.cell(v) for v in row_values(row, zone)]
            )
    finally:
        workbook.close()
