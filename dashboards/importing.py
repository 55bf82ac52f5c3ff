"""Import of monthly sales outcomes from a CSV export of the CRM, by enablement admins
(anyone) and managers (the people in their teams).

The file: UTF-8 (a byte-order mark is fine), comma, semicolon or tab separated, a
header row naming the columns in any order: email, month (YYYY-MM), opportunities,
deals_won, revenue, quota, and optionally first_deal_date (YYYY-MM-DD). Every row is
checked first; any error (reported with its line number) means nothing is imported.
The same e-mail and month twice in one file is an error; a month already imported for
a rep is replaced by the new figures (a corrected CRM export is simply imported
again). Parsing is pure; `outcomes_import` writes, in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from dashboards.models import SalesOutcome
from dashboards.signals import outcomes_imported
from lms.accounts import visibility
from lms.accounts.models import User
from lms.lib import clock

REQUIRED = ["email", "month", "opportunities", "deals_won", "revenue", "quota"]
OPTIONAL = ["first_deal_date"]
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000


@dataclass(frozen=True)
class OutcomeRow:
    line: int
    email: str
    month: dt.date
    opportunities: int
    deals_won: int
    revenue: Decimal
    quota: Decimal
    first_deal_on: dt.date | None


@dataclass
class ParsedFile:
    rows: list[OutcomeRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def decode(data: bytes) -> str:
    """The file's text; UnicodeDecodeError says it is not UTF-8."""
    return data.decode("utf-8-sig")


def parse_outcomes(text: str) -> ParsedFile:
    """Check every row; the result lists all errors, with line numbers."""
    parsed = ParsedFile()
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        parsed.errors.append((1, _("The file is empty: it needs a header row.")))
        return parsed
    delimiter = _delimiter(lines[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        _check_rows(reader, parsed)
    except csv.Error as error:
        # A stray quote that swallows the rest of the file, a field over the csv
        # module's size limit: reported like any other error, nothing imported.
        parsed.rows.clear()
        parsed.errors.append(
            (
                reader.line_num or 1,
                _("The file cannot be read as CSV: %(error)s.") % {"error": error},
            )
        )
    return parsed


def _check_rows(reader: Any, parsed: ParsedFile) -> None:
    header = [name.strip().lower().replace(" ", "_") for name in next(reader)]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        parsed.errors.append(
            (
                1,
                _(
                    "The header row must name the columns %(required)s (separated "
                    "by commas, semicolons or tabs); missing: %(missing)s."
                )
                % {"required": ", ".join(REQUIRED), "missing": ", ".join(missing)},
            )
        )
        return
    position = {
        name: header.index(name) for name in REQUIRED + OPTIONAL if name in header
    }
    seen: dict[tuple[str, dt.date], int] = {}
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(parsed.rows) + len(parsed.errors) >= MAX_ROWS:
            parsed.errors.append(
                (
                    line,
                    _("More than %(rows)s rows: split the file.") % {"rows": MAX_ROWS},
                )
            )
            break
        if len(values) != len(header):
            parsed.errors.append(
                (
                    line,
                    _("Expected %(expected)s columns, found %(found)s.")
                    % {"expected": len(header), "found": len(values)},
                )
            )
            continue
        row, problems = _row(line, {k: values[i].strip() for k, i in position.items()})
        if problems:
            parsed.errors.extend((line, problem) for problem in problems)
            continue
        assert row is not None
        key = (row.email, row.month)
        if key in seen:
            parsed.errors.append(
                (
                    line,
                    _("%(email)s %(month)s is already on line %(line)s.")
                    % {
                        "email": row.email,
                        "month": f"{row.month:%Y-%m}",
                        "line": seen[key],
                    },
                )
            )
            continue
        seen[key] = line
        parsed.rows.append(row)
    if not parsed.rows and not parsed.errors:
        parsed.errors.append((2, _("The file has a header but no rows.")))


def _delimiter(header: str) -> str:
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _row(line: int, raw: dict[str, str]) -> tuple[OutcomeRow | None, list[str]]:
    problems: list[str] = []
    email = raw["email"].lower()
    if "@" not in email:
        problems.append(
            _("“%(email)s” is not an e-mail address.") % {"email": raw["email"]}
        )
    month = _month(raw["month"])
    if month is None:
        problems.append(
            _("Month “%(month)s” must be written YYYY-MM.") % {"month": raw["month"]}
        )
    counts = {}
    for name in ("opportunities", "deals_won"):
        try:
            counts[name] = int(raw[name])
            if counts[name] < 0:
                raise ValueError
        except ValueError:
            problems.append(
                _("%(column)s “%(value)s” must be a whole number, 0 or more.")
                % {"column": name, "value": raw[name]}
            )
    amounts = {}
    for name in ("revenue", "quota"):
        amount = _amount(raw[name])
        if amount is None:
            problems.append(
                _(
                    "%(column)s “%(value)s” must be an amount, 0 or more, "
                    "like 18500.50 or 18,500.50."
                )
                % {"column": name, "value": raw[name]}
            )
        else:
            amounts[name] = amount
    if not problems and counts["deals_won"] > counts["opportunities"]:
        problems.append(_("deals_won cannot be more than opportunities."))
    first_deal_on = None
    if raw.get("first_deal_date"):
        try:
            first_deal_on = dt.date.fromisoformat(raw["first_deal_date"])
        except ValueError:
            problems.append(
                _("first_deal_date “%(value)s” must be YYYY-MM-DD.")
                % {"value": raw["first_deal_date"]}
            )
    if problems:
        return None, problems
    assert month is not None
    return (
        OutcomeRow(
            line,
            email,
            month,
            counts["opportunities"],
            counts["deals_won"],
            amounts["revenue"].quantize(Decimal("0.01")),
            amounts["quota"].quantize(Decimal("0.01")),
            first_deal_on,
        ),
        [],
    )


# Digits with an optional decimal point; commas only as thousands separators. A
# decimal comma ("18500,50", common in semicolon files) is refused rather than read
# as 1850050.
_AMOUNT = re.compile(r"(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?")


def _amount(value: str) -> Decimal | None:
    if not _AMOUNT.fullmatch(value):
        return None
    try:
        amount = Decimal(value.replace(",", ""))
    except InvalidOperation:
        return None
    return amount if amount < Decimal("1e12") else None


def _month(value: str) -> dt.date | None:
    year, _dash, month = value.partition("-")
    if len(year) != 4 or not month:
        return None
    try:
        return dt.date(int(year), int(month[:2]), 1) if len(month) <= 2 else None
    except ValueError:
        return None


@dataclass
class ImportPlan:
    """What an import would do: rows matched to people, or errors."""

    parsed: ParsedFile
    people: dict[str, User] = field(default_factory=dict)
    existing: set[tuple[int, dt.date]] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return self.parsed.ok

    @property
    def new_count(self) -> int:
        return sum(1 for r in self.parsed.rows if not self.replaces(r))

    @property
    def update_count(self) -> int:
        return sum(1 for r in self.parsed.rows if self.replaces(r))

    def replaces(self, row: OutcomeRow) -> bool:
        person = self.people.get(row.email)
        return person is not None and (person.pk, row.month) in self.existing


def outcomes_plan(*, importer: User, data: bytes) -> ImportPlan:
    """Check an uploaded file for the importer: format, values, and that every e-mail
    belongs to someone in the teams they manage. Three queries; nothing written."""
    if len(data) > MAX_BYTES:
        return ImportPlan(ParsedFile(errors=[(0, _("The file is larger than 5 MB."))]))
    try:
        text = decode(data)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return ImportPlan(
            ParsedFile(
                errors=[
                    (
                        line,
                        _(
                            "The file is not UTF-8 text. Export it from the CRM or "
                            "your spreadsheet as “CSV UTF-8”."
                        ),
                    )
                ]
            )
        )
    parsed = parse_outcomes(text)
    plan = ImportPlan(parsed)
    if parsed.errors:
        return plan
    emails = {row.email for row in parsed.rows}
    # E-mails are stored as typed: match them without regard to case.
    plan.people = {
        person.email_lower: person
        for person in User.objects.filter(team__in=visibility.managed_teams(importer))
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
    }
    for row in parsed.rows:
        if row.email not in plan.people:
            parsed.errors.append(
                (
                    row.line,
                    _("No one with the e-mail %(email)s is in your teams.")
                    % {"email": row.email},
                )
            )
    parsed.errors.sort()
    if parsed.errors:
        return plan
    plan.existing = set(
        SalesOutcome.objects.filter(
            user__in=[p.pk for p in plan.people.values()],
            month__in={row.month for row in parsed.rows},
        ).values_list("user_id", "month")
    )
    return plan


@transaction.atomic
def outcomes_import(*, importer: User, data: bytes) -> ImportPlan:
    """Import the file if every row is right (checked again here): new months are
    added, months already imported for a rep are replaced. All or nothing."""
    plan = outcomes_plan(importer=importer, data=data)
    if not plan.ok:
        return plan
    now = clock.now()
    # Lock the months being replaced; then one INSERT … ON CONFLICT writes new and
    # replaced months alike (a month another import added meanwhile is replaced, as
    # if it had been there). An UPDATE per row, or bulk_update's CASE over a
    # thousand rows, costs several times more.
    list(
        SalesOutcome.objects.select_for_update()
        .filter(
            user__in=[p.pk for p in plan.people.values()],
            month__in={row.month for row in plan.parsed.rows},
        )
        .values_list("pk", flat=True)
    )
    outcomes = [
        SalesOutcome(
            user=plan.people[row.email],
            month=row.month,
            opportunities=row.opportunities,
            deals_won=row.deals_won,
            revenue=row.revenue,
            quota=row.quota,
            first_deal_on=row.first_deal_on,
            imported_at=now,
            imported_by=importer,
        )
        for row in plan.parsed.rows
    ]
    SalesOutcome.objects.bulk_create(
        outcomes,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["user", "month"],
        update_fields=[
            "opportunities",
            "deals_won",
            "revenue",
            "quota",
            "first_deal_on",
            "imported_at",
            "imported_by",
        ],
    )
    people = sorted({person.pk for person in plan.people.values()})
    summary = {
        "imported": len(plan.parsed.rows),
        "created": plan.new_count,
        "updated": plan.update_count,
        "months": sorted({f"{row.month:%Y-%m}" for row in plan.parsed.rows}),
    }
    transaction.on_commit(
        lambda: outcomes_imported.send(
            sender=SalesOutcome, importer=importer, people=people, summary=summary
        )
    )
    return plan
