"""Right to left, before any right-to-left language ships: with a pseudo-RTL language
switched on (Hebrew's direction, Onramp's English words), the page says dir="rtl" and
the layout mirrors, because the style sheets use logical properties (start and end,
not left and right). Daniel reads My team from the right."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from lms.accounts.demo import DEMO_PASSWORD
from lms.accounts.models import User
from tests.dashboards.onboarding import Onboarding

SHOTS_DIR = os.environ.get("E2E_SHOTS_DIR", "")


def _left(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not on the page"
    return box["x"]


def _text_edges(page: Page, selector: str) -> tuple[float, float, float, float]:
    """Where the element's words start and end, and where its box does."""
    return page.locator(selector).first.evaluate(
        """(element) => {
          const range = document.createRange();
          range.selectNodeContents(element);
          const text = range.getBoundingClientRect();
          const box = element.getBoundingClientRect();
          return [text.left, text.right, box.left, box.right];
        }"""
    )


def _my_team(context: BrowserContext) -> Page:
    page = context.new_page()
    page.goto("/accounts/login/")
    # By the fields' names: Django's and allauth's own words come in Hebrew.
    page.locator("input[name=login]").fill("daniel@northwind.example")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    page.goto("/team/")
    expect(page.locator("table.team-table tbody tr").first).to_be_visible()
    return page


def test_a_right_to_left_language_mirrors_the_layout(
    settings, new_context, demo_people
) -> None:
    settings.LANGUAGES = [*settings.LANGUAGES, ("he", "Pseudo-RTL")]
    onboarding = Onboarding()
    onboarding.assign(
        User.objects.get(email="maya@northwind.example"), started_days_ago=2
    )

    ltr = _my_team(new_context(locale="en"))
    rtl = _my_team(new_context(locale="he"))
    if SHOTS_DIR:
        Path(SHOTS_DIR).mkdir(parents=True, exist_ok=True)
        rtl.screenshot(path=f"{SHOTS_DIR}/right-to-left-my-team.png", full_page=True)

    expect(ltr.locator("html")).to_have_attribute("dir", "ltr")
    expect(rtl.locator("html")).to_have_attribute("dir", "rtl")
    # The header: the brand starts the bar, on the left, then on the right.
    assert _left(ltr, ".brand") < _left(ltr, ".user-menu summary")
    assert _left(rtl, ".brand") > _left(rtl, ".user-menu summary")
    # The table reads from its start: the name column first.
    header = "table.team-table thead th"
    assert _left(ltr, f"{header}:first-child") < _left(ltr, f"{header}:last-child")
    assert _left(rtl, f"{header}:first-child") > _left(rtl, f"{header}:last-child")
    # Headings start at the start edge.
    text_left, _, box_left, _ = _text_edges(ltr, "main h1")
    assert abs(text_left - box_left) < 2
    _, text_right, _, box_right = _text_edges(rtl, "main h1")
    assert abs(text_right - box_right) < 2
