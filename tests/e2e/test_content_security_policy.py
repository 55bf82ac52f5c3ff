"""The Content-Security-Policy in a real browser: code that gets into a page some other
way than the site's own script files does not run, while the site's scripts and the
charts' styles do."""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import Page, Route, expect

INJECTED = """
<script>window.injected = "inline script";</script>
<img src="/no-such-image.png" alt="" onerror="window.injected = 'event handler'">
<a id="injected-link" href="javascript:window.injected = 'javascript: link'">x</a>
"""


def test_it_refuses_code_injected_into_a_page(
    page: Page, sign_in, csp_violations: list[dict[str, Any]]
):
    sign_in("maya@northwind.example")

    def inject(route: Route) -> None:
        # The page as the server sent it, headers included, with markup an attacker
        # got past the templates' escaping.
        response = route.fetch()
        policy = response.headers["content-security-policy"].split("; ")
        assert "script-src 'self'" in policy
        body = response.text().replace("</main>", INJECTED + "</main>")
        route.fulfill(response=response, body=body)

    page.route("**/learning/", inject)
    page.goto("/learning/")
    page.locator("#injected-link").click()

    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    page.wait_for_function("() => document.readyState === 'complete'")
    assert page.evaluate("() => window.injected") is None
    # The site's own script ran.
    assert page.evaluate("() => window.Onramp.formatDuration(3723)") == "1:02:03"
    deadline = time.monotonic() + 10
    while len(csp_violations) < 3 and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # the page's reports arrive while Playwright waits
    refused = {violation["directive"] for violation in csp_violations}
    assert refused == {"script-src-elem", "script-src-attr"}
    assert len(csp_violations) == 3
    csp_violations.clear()


def test_it_styles_the_team_charts_drawn_on_the_server(page: Page, sign_in):
    sign_in("daniel@northwind.example")
    page.goto("/team/charts/")
    charts = page.locator(".chart-svg svg")
    expect(charts).to_have_count(3)
    # pygal's stylesheet, allowed by the page's nonce, paints the plot white (an
    # SVG rectangle without it is black).
    plot = page.locator(".chart-svg svg .plot .background").first
    fill = plot.evaluate("rect => getComputedStyle(rect).fill")
    assert fill == "rgb(255, 255, 255)"
