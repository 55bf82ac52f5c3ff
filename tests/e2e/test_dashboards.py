"""A manager finds who is behind on My team, opens one of them, and downloads the
CSV of what the screen shows."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import Page, expect

from lms.accounts.models import User
from tests.dashboards.onboarding import Onboarding


def _screen_rows(page: Page) -> list[list[str]]:
    rows = page.locator("table.team-table tbody tr")
    return [
        [cell.strip() for cell in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_it_filters_overdue_reps_opens_one_and_downloads_the_csv(page: Page, sign_in):
    onboarding = Onboarding()
    luis = User.objects.get(email="luis@northwind.example")
    maya = User.objects.get(email="maya@northwind.example")
    onboarding.assign(luis, started_days_ago=20)  # both steps overdue
    onboarding.complete(luis, onboarding.d1)
    onboarding.assign(maya, started_days_ago=2)
    sign_in("daniel@northwind.example")

    page.goto("/team/")
    expect(page.get_by_role("heading", name="My team", level=1)).to_be_visible()
    page.get_by_label("Status").select_option(label="Overdue")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(r"status=overdue"))
    table = page.locator("table.team-table")
    expect(table.get_by_role("link", name="Luis Ortega")).to_be_visible()
    expect(table.get_by_role("link", name="Maya Chen")).to_have_count(0)
    on_screen = _screen_rows(page)
    assert [row[0] for row in on_screen] == ["Luis Ortega"]
    assert on_screen[0][4] == "2"  # overdue steps

    with page.expect_navigation():
        table.get_by_role("link", name="Luis Ortega").click()
    expect(page.get_by_role("heading", name="Luis Ortega", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Why discovery")
    page.go_back()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    path = download_info.value.path()
    with open(path, encoding="utf-8-sig") as handle:
        exported = list(csv.reader(io.StringIO(handle.read())))
    assert exported[0][:3] == ["Name", "E-mail", "Team"]
    assert [row[0] for row in exported[1:]] == [row[0] for row in on_screen]
    assert exported[1][2] == on_screen[0][1]  # team
    assert exported[1][8] == on_screen[0][4]  # overdue
    assert f"{exported[1][5]}%" in on_screen[0][3]  # onboarding progress
