from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dashboards.importing import outcomes_import, outcomes_plan
from dashboards.models import SalesOutcome

HEADER = "email,month,opportunities,deals_won,revenue,quota,first_deal_date\n"


@pytest.fixture(autouse=True)
def _var_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _good(org, sep=","):
    rows = [
        HEADER.strip().split(","),
        [org.rep_east.email, "2026-03", "12", "3", "18500.00", "20000", "2026-03-09"],
        [org.rep_east.email.upper(), "2026-04", "14", "4", "24100", "20000", ""],
        [org.rep_east2.email, "2026-03", "8", "1", "4000", "20000", ""],
    ]
    return ("\n".join(sep.join(r) for r in rows) + "\n").encode()


def _errors(plan):
    return [f"{line}: {message}" for line, message in plan.parsed.errors]


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_it_imports_with_any_delimiter(org, sep):
    plan = outcomes_import(importer=org.east_manager, data=_good(org, sep))
    assert plan.ok, _errors(plan)
    assert SalesOutcome.objects.count() == 3
    march = SalesOutcome.objects.get(user=org.rep_east, month=dt.date(2026, 3, 1))
    assert (march.opportunities, march.deals_won) == (12, 3)
    assert march.revenue == Decimal("18500.00")
    assert march.first_deal_on == dt.date(2026, 3, 9)
    assert march.imported_by == org.east_manager


def test_it_accepts_a_byte_order_mark(org):
    assert outcomes_import(
        importer=org.east_manager, data=b"\xef\xbb\xbf" + _good(org)
    ).ok


def test_it_replaces_months_imported_before(org):
    outcomes_import(importer=org.east_manager, data=_good(org))
    again = (HEADER + f"{org.rep_east.email},2026-03,20,5,30000,20000,\n").encode()
    plan = outcomes_plan(importer=org.east_manager, data=again)
    assert (plan.new_count, plan.update_count) == (0, 1)
    outcomes_import(importer=org.east_manager, data=again)
    march = SalesOutcome.objects.get(user=org.rep_east, month=dt.date(2026, 3, 1))
    assert (march.opportunities, march.revenue, march.first_deal_on) == (
        20,
        Decimal("30000.00"),
        None,
    )
    assert SalesOutcome.objects.count() == 3


def test_it_reports_bad_rows_with_line_numbers_and_imports_nothing(org):
    data = (
        HEADER
        + f"{org.rep_east.email},2026-03,12,3,18500,20000,\n"
        + f"{org.rep_east.email},March,12,3,18500,20000,\n"
        + f"{org.rep_east2.email},2026-03,two,3,18500,20000,\n"
        + f"{org.rep_east2.email},2026-04,2,3,-5,20000,2026-13-01\n"
        + f"{org.rep_east2.email},2026-05,2,1,5\n"
    ).encode()
    plan = outcomes_import(importer=org.east_manager, data=data)
    assert not plan.ok
    assert SalesOutcome.objects.count() == 0
    errors = _errors(plan)
    assert "3: Month “March” must be written YYYY-MM." in errors
    assert "4: opportunities “two” must be a whole number, 0 or more." in errors
    assert (
        "5: revenue “-5” must be an amount, 0 or more, like 18500.50 or 18,500.50."
        in errors
    )
    assert "5: first_deal_date “2026-13-01” must be YYYY-MM-DD." in errors
    assert "6: Expected 7 columns, found 5." in errors


def test_it_refuses_more_deals_than_opportunities(org):
    data = (HEADER + f"{org.rep_east.email},2026-03,2,3,100,200,\n").encode()
    plan = outcomes_plan(importer=org.east_manager, data=data)
    assert _errors(plan) == ["2: deals_won cannot be more than opportunities."]


def test_it_refuses_duplicate_rows_in_one_file(org):
    data = (
        HEADER
        + f"{org.rep_east.email},2026-03,12,3,18500,20000,\n"
        + f"{org.rep_east2.email},2026-03,12,3,18500,20000,\n"
        + f"{org.rep_east.email.upper()},2026-03,1,1,1,1,\n"
    ).encode()
    plan = outcomes_import(importer=org.east_manager, data=data)
    assert _errors(plan) == [f"4: {org.rep_east.email} 2026-03 is already on line 2."]
    assert SalesOutcome.objects.count() == 0


def test_it_refuses_unknown_emails_and_people_outside_the_managers_teams(org):
    data = (
        HEADER
        + f"{org.rep_east.email},2026-03,12,3,18500,20000,\n"
        + "nobody@example.com,2026-03,12,3,18500,20000,\n"
        + f"{org.rep_west.email},2026-03,12,3,18500,20000,\n"
    ).encode()
    plan = outcomes_import(importer=org.east_manager, data=data)
    assert _errors(plan) == [
        "3: No one with the e-mail nobody@example.com is in your teams.",
        f"4: No one with the e-mail {org.rep_west.email} is in your teams.",
    ]
    assert SalesOutcome.objects.count() == 0
    assert outcomes_plan(importer=org.admin, data=data).parsed.errors[0][0] == 3


def test_it_refuses_a_file_that_is_not_utf8(org):
    data = _good(org).replace(b"2026-04", "2026-04,Müller".encode("latin-1"), 1)
    plan = outcomes_import(importer=org.east_manager, data=data)
    assert len(plan.parsed.errors) == 1
    line, message = plan.parsed.errors[0]
    assert line == 3
    assert "not UTF-8" in message
    assert SalesOutcome.objects.count() == 0


def test_it_refuses_an_unknown_delimiter_with_the_expected_header(org):
    data = _good(org).replace(b",", b"|")
    plan = outcomes_plan(importer=org.east_manager, data=data)
    ((line, message),) = plan.parsed.errors
    assert line == 1
    assert "header row must name the columns" in message


def test_it_refuses_a_decimal_comma_rather_than_misreading_it(org):
    # "18500,50" in a semicolon file means 18,500.50, never 1,850,050.
    data = (
        HEADER.replace(",", ";")
        + f"{org.rep_east.email};2026-03;12;3;18500,50;20000;\n"
        + f"{org.rep_east.email};2026-04;12;3;18,500.50;20,000;\n"
    ).encode()
    plan = outcomes_import(importer=org.east_manager, data=data)
    ((line, message),) = plan.parsed.errors
    assert line == 2
    assert "revenue “18500,50”" in message
    assert SalesOutcome.objects.count() == 0
    fixed = data.replace(b"18500,50", b"18500.50")
    assert outcomes_import(importer=org.east_manager, data=fixed).ok
    april = SalesOutcome.objects.get(user=org.rep_east, month=dt.date(2026, 4, 1))
    assert (april.revenue, april.quota) == (Decimal("18500.50"), Decimal("20000.00"))


def test_it_reports_a_file_the_csv_reader_cannot_read(org):
    data = _good(org) + b'"' + b"x" * 200_000 + b'"\n'
    plan = outcomes_import(importer=org.east_manager, data=data)
    ((line, message),) = plan.parsed.errors
    assert line == 5
    assert "cannot be read as CSV" in message
    assert SalesOutcome.objects.count() == 0


def test_it_refuses_an_empty_file(org):
    assert _errors(outcomes_plan(importer=org.east_manager, data=b"")) == [
        "1: The file is empty: it needs a header row."
    ]
    assert _errors(outcomes_plan(importer=org.east_manager, data=HEADER.encode())) == [
        "2: The file has a header but no rows."
    ]


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("rep_east", 403), ("east_coach", 403), ("east_manager", 200), ("admin", 200)],
)
def test_it_opens_the_import_page_to_managers_and_admins(client, org, viewer, status):
    client.force_login(org[viewer])
    assert client.get(reverse("outcomes_import")).status_code == status
    assert client.get(reverse("ramp_analytics")).status_code == status


def test_it_previews_then_imports_on_confirmation(client, org):
    client.force_login(org.east_manager)
    upload = SimpleUploadedFile("outcomes.csv", _good(org), content_type="text/csv")
    preview = client.post(reverse("outcomes_import"), {"file": upload})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "3 rows checked: 3 new months, 0 to replace" in page
    assert SalesOutcome.objects.count() == 0
    token = preview.context["token"]
    done = client.post(reverse("outcomes_import"), {"confirm": "1", "token": token})
    assert done.status_code == 302
    assert done["Location"] == reverse("ramp_analytics")
    assert SalesOutcome.objects.count() == 3
    again = client.post(reverse("outcomes_import"), {"confirm": "1", "token": token})
    assert SalesOutcome.objects.count() == 3
    assert again.status_code == 302


def test_it_shows_errors_on_the_page_and_imports_nothing(client, org):
    client.force_login(org.east_manager)
    data = (HEADER + "nobody@example.com,2026-03,12,3,18500,20000,\n").encode()
    upload = SimpleUploadedFile("outcomes.csv", data, content_type="text/csv")
    response = client.post(reverse("outcomes_import"), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "No one with the e-mail nobody@example.com is in your teams." in page
    assert "token" not in response.context


def test_it_refuses_a_confirmation_without_a_preview(client, org):
    client.force_login(org.east_manager)
    response = client.post(reverse("outcomes_import"), {"confirm": "1", "token": "x"})
    assert response.status_code == 302
    assert SalesOutcome.objects.count() == 0
