"""Signing in through the browser, as the demo organisation's people."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

LOGIN = "/accounts/login/"


def _main_nav(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("navigation", name="Main")


def test_it_shows_a_rep_only_the_home_item_after_signing_in(page: Page, sign_in):
    sign_in("maya@northwind.example")

    expect(page).to_have_url(re.compile(r"/$"))
    nav = _main_nav(page)
    expect(nav.get_by_role("link", name="Home")).to_have_attribute(
        "aria-current", "page"
    )
    expect(nav.get_by_role("link", name="My team")).to_have_count(0)
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)
    expect(page.get_by_role("heading", name="Welcome, Maya")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text("Maya Chen")


def test_it_takes_a_manager_to_the_reps_of_their_teams(page: Page, sign_in):
    sign_in("daniel@northwind.example")

    my_team = _main_nav(page).get_by_role("link", name="My team")
    expect(my_team).to_be_visible()
    my_team.click()

    expect(page).to_have_url(re.compile(r"/team/$"))
    expect(page.get_by_role("heading", name="My team", level=1)).to_be_visible()
    expect(my_team).to_have_attribute("aria-current", "page")
    table = page.locator("table.team-table")
    expect(table.get_by_role("link", name="Maya Chen")).to_be_visible()
    expect(table.get_by_role("link", name="Luis Ortega")).to_be_visible()


def test_it_sends_an_anonymous_visitor_to_the_sign_in_page(page: Page):
    page.goto("/")

    expect(page).to_have_url(re.compile(re.escape(LOGIN)))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_it_shows_an_enablement_admin_the_admin_item(page: Page, sign_in):
    sign_in("priya@northwind.example")

    admin = _main_nav(page).get_by_role("link", name="Admin")
    expect(admin).to_be_visible()
    expect(admin).to_have_attribute("href", "/admin/")


def test_it_offers_the_skip_link_first_to_keyboard_users(page: Page):
    page.goto(LOGIN)

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()


def test_it_keeps_a_wrong_password_on_the_sign_in_page(page: Page, sign_in):
    sign_in("maya@northwind.example", "not the password")

    expect(page).to_have_url(re.compile(re.escape(LOGIN)))
    expect(page.get_by_text(re.compile("do not match"))).to_be_visible()
    expect(_main_nav(page)).to_have_count(0)
