from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("rep_east", 403),
        ("east_coach", 403),
        ("multi_coach", 403),
        ("east_manager", 200),
        ("region_manager", 200),
        ("admin", 200),
    ],
)
@pytest.mark.parametrize(
    "url_name", ["team_overview", "team_matrix", "team_export_csv", "team_export_xlsx"]
)
def test_it_opens_team_pages_to_managers_and_admins_only(
    client, org, viewer, status, url_name
):
    client.force_login(org[viewer])
    assert client.get(reverse(url_name)).status_code == status


@pytest.mark.parametrize(
    "url_name", ["team_overview", "team_matrix", "team_export_csv"]
)
def test_it_sends_anonymous_visitors_to_sign_in(client, org, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_it_shows_only_the_managers_subtree(client, org):
    client.force_login(org.east_manager)
    page = client.get(reverse("team_overview")).content.decode()
    assert org.rep_east.full_name in page
    assert org.rep_east2.full_name in page
    assert org.rep_west.full_name not in page
    assert org.rep_north.full_name not in page
    names = [row[0] for row in _csv_rows(client.get(reverse("team_export_csv")))[1:]]
    assert sorted(names) == sorted(
        [org.rep_east.full_name, org.rep_east2.full_name, org.east_coach.full_name]
    )


def test_it_follows_a_rep_moved_to_another_team(client, org):
    org.rep_east.team = org.north
    org.rep_east.save()
    client.force_login(org.east_manager)
    assert (
        org.rep_east.full_name
        not in client.get(reverse("team_overview")).content.decode()
    )
    client.force_login(org.emea_manager)
    assert (
        org.rep_east.full_name in client.get(reverse("team_overview")).content.decode()
    )


def test_it_ignores_a_sub_team_outside_the_managers_subtree(client, org):
    client.force_login(org.east_manager)
    response = client.get(reverse("team_export_csv"), {"team": org.north.pk})
    assert _csv_rows(response)[1:] == []


def test_it_filters_by_sub_team_for_a_region_manager(client, org):
    client.force_login(org.region_manager)
    rows = _csv_rows(client.get(reverse("team_export_csv"), {"team": org.west.pk}))
    assert [row[0] for row in rows[1:]] == [org.rep_west.full_name]


def test_it_filters_by_role(client, org):
    client.force_login(org.east_manager)
    rows = _csv_rows(client.get(reverse("team_export_csv"), {"role": "coach"}))
    assert [row[0] for row in rows[1:]] == [org.east_coach.full_name]
    rows = _csv_rows(client.get(reverse("team_export_csv"), {"role": "rep"}))
    assert sorted(row[0] for row in rows[1:]) == sorted(
        [org.rep_east.full_name, org.rep_east2.full_name]
    )


def test_it_filters_by_start_month(client, org):
    import datetime as dt

    org.rep_east.start_date = dt.date(2025, 3, 14)
    org.rep_east.save()
    client.force_login(org.east_manager)
    rows = _csv_rows(client.get(reverse("team_export_csv"), {"cohort": "2025-03"}))
    assert [row[0] for row in rows[1:]] == [org.rep_east.full_name]


def test_it_reports_bad_filters_and_shows_everyone(client, org):
    client.force_login(org.east_manager)
    response = client.get(
        reverse("team_overview"), {"cohort": "March", "sort": "salary"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "YYYY-MM" in page
    assert "Unknown sort order" in page
    assert org.rep_east.full_name in page


def test_it_keeps_pending_invitations_on_my_team(client, org):
    from tests.factories import InvitationFactory

    InvitationFactory(
        team=org.east, invited_by=org.east_manager, full_name="Ivy Invitee"
    )
    client.force_login(org.east_manager)
    assert "Ivy Invitee" in client.get(reverse("team_overview")).content.decode()


def test_it_counts_overdue_steps_and_progress(client, org, onboarding):
    late = onboarding.assign(org.rep_east, started_days_ago=10)  # Discovery overdue
    onboarding.complete(org.rep_east, onboarding.d1)
    onboarding.assign(org.rep_east2, started_days_ago=10)
    onboarding.complete(org.rep_east2, onboarding.d1, onboarding.d2)
    late.refresh_from_db()
    assert (late.required_done, late.required_total) == (1, 3)
    client.force_login(org.east_manager)
    rows = _csv_rows(client.get(reverse("team_export_csv"), {"sort": "name"}))
    by_name = {row[0]: row for row in rows[1:]}
    rae = by_name[org.rep_east.full_name]
    reid = by_name[org.rep_east2.full_name]
    # progress %, done, required, overdue
    assert rae[5:9] == ["33", "1", "3", "1"]
    assert reid[5:9] == ["67", "2", "3", "0"]


def test_it_filters_overdue_people_and_counts_tiles(client, org, onboarding):
    onboarding.assign(org.rep_east, started_days_ago=20)  # both steps overdue
    onboarding.assign(org.rep_east2, started_days_ago=1)
    client.force_login(org.east_manager)
    response = client.get(reverse("team_overview"), {"status": "overdue"})
    view = response.context["view"]
    assert [row.person.pk for row in view.rows] == [org.rep_east.pk]
    assert view.rows[0].overdue == 2
    assert view.tiles["overdue"] == 1
    assert view.tiles["on_track"] == 2  # Reid and the coach


def test_it_sorts_on_the_server_and_exports_in_the_same_order(client, org, onboarding):
    onboarding.assign(org.rep_east, started_days_ago=20)
    onboarding.assign(org.rep_east2, started_days_ago=1)
    client.force_login(org.east_manager)
    response = client.get(reverse("team_overview"), {"sort": "-overdue"})
    on_screen = [row.person.full_name for row in response.context["page"].object_list]
    assert on_screen[0] == org.rep_east.full_name
    exported = _csv_rows(client.get(reverse("team_export_csv"), {"sort": "-overdue"}))
    assert [row[0] for row in exported[1:]] == on_screen


def test_it_shows_the_matrix_with_symbols_and_text(client, org, onboarding):
    onboarding.assign(org.rep_east, started_days_ago=10)
    onboarding.complete(org.rep_east, onboarding.m1)
    onboarding.assign(org.rep_east2, started_days_ago=1)
    onboarding.complete(org.rep_east2, onboarding.d1, onboarding.d2)
    client.force_login(org.east_manager)
    response = client.get(reverse("team_matrix"))
    assert response.status_code == 200
    rows = {row.person.pk: row for row in response.context["page"].object_list}
    assert [c.state for c in rows[org.rep_east.pk].cells] == ["overdue", "done"]
    assert [c.state for c in rows[org.rep_east2.pk].cells] == ["done", "not_started"]
    assert [c.state for c in rows[org.east_coach.pk].cells] == ["not_assigned"] * 2
    page = response.content.decode()
    for symbol, text in [("✓", "Done"), ("!", "Overdue"), ("·", "Not started")]:
        assert f'>{symbol}</span><span class="visually-hidden">{text}</span>' in page


def test_it_shows_in_progress_in_the_matrix(client, org, onboarding):
    onboarding.assign(org.rep_east, started_days_ago=1)
    onboarding.complete(org.rep_east, onboarding.d1)
    client.force_login(org.east_manager)
    response = client.get(reverse("team_matrix"))
    rows = {row.person.pk: row for row in response.context["page"].object_list}
    assert [c.state for c in rows[org.rep_east.pk].cells] == [
        "in_progress",
        "not_started",
    ]


def _xlsx_rows(content: bytes) -> list[list[str]]:
    import zipfile
    from xml.etree import ElementTree

    ns = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{ns['x']}}}row"):
        values = []
        for cell in row.findall("x:c", ns):
            text = cell.find(".//x:t", ns)
            number = cell.find("x:v", ns)
            values.append(text.text if text is not None else number.text)
        rows.append(values)
    return rows


def test_it_exports_xlsx_with_the_screen_rows(client, org, onboarding):
    onboarding.assign(org.rep_east, started_days_ago=20)
    client.force_login(org.east_manager)
    response = client.get(reverse("team_export_xlsx"), {"sort": "-overdue"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _xlsx_rows(b"".join(response.streaming_content))
    screen = client.get(reverse("team_overview"), {"sort": "-overdue"})
    assert rows[0][0] == "Name"
    assert [row[0] for row in rows[1:]] == [
        row.person.full_name for row in screen.context["page"].object_list
    ]
    assert rows[1][8] == "2"


def test_it_quotes_cells_that_spreadsheets_would_run(client, org):
    org.rep_east.full_name = "=HYPERLINK(1)"
    org.rep_east.save()
    client.force_login(org.east_manager)
    rows = _csv_rows(client.get(reverse("team_export_csv")))
    assert "'=HYPERLINK(1)" in [row[0] for row in rows]


def test_it_writes_xlsx_cells_as_text_never_as_formulas_or_links(client, org):
    org.rep_east.full_name = "=HYPERLINK(1)"
    org.rep_east.save()
    org.rep_east2.full_name = "https://example.com/x"
    org.rep_east2.save()
    client.force_login(org.east_manager)
    response = client.get(reverse("team_export_xlsx"))
    content = b"".join(response.streaming_content)
    names = [row[0] for row in _xlsx_rows(content)[1:]]
    assert "'=HYPERLINK(1)" in names
    assert "https://example.com/x" in names
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet
        assert b"<hyperlink" not in sheet


def test_it_exports_last_activity_in_the_viewers_time_zone_like_the_screen(client, org):
    import datetime as dt

    from tests.dashboards import history

    attempt = history.quiz_attempt(org.rep_east, title="Demo quiz", percent="70")
    attempt.started_at = dt.datetime(2026, 3, 10, 2, 30, tzinfo=dt.UTC)
    attempt.save()
    org.east_manager.time_zone = "America/New_York"
    org.east_manager.save()
    client.force_login(org.east_manager)
    page = client.get(reverse("team_overview")).content.decode()
    assert ">2026-03-09</time>" in page  # 22:30 the evening before in New York
    rows = _csv_rows(client.get(reverse("team_export_csv")))
    (row,) = [r for r in rows if r[0] == org.rep_east.full_name]
    assert row[9] == "2026-03-09 22:30 America/New_York"
    xlsx = _xlsx_rows(
        b"".join(client.get(reverse("team_export_xlsx")).streaming_content)
    )
    assert any("2026-03-09 22:30 America/New_York" in r for r in xlsx)
