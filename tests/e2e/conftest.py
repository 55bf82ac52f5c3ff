"""Browser tests: Chromium, driven by Playwright, against Django's live server.

Pages open relative to the live server (`page.goto("/accounts/login/")`), and people
sign in as someone from the Northwind demo organisation, the cast `manage.py seed_demo`
creates, whose password is "onramp-demo".

Every browser context a test opens (`page`, `context`, or more from `new_context`)
reports what the Content-Security-Policy refused, and the test fails if anything was:
a page that needs an inline script, a style attribute or a source the policy does not
allow is broken for real users. A test that provokes a violation on purpose reads and
clears `csp_violations`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from playwright.sync_api import BrowserContext, Page, Playwright, expect
from pytest_django.live_server_helper import LiveServer

from lms.accounts.demo import DEMO_PASSWORD, seed_people
from tests.clock import instant_from_env

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
HERE = Path(__file__).resolve().parent

# Playwright's sync API keeps an event loop running in the test thread, and Django
# refuses ORM calls from such a thread unless told they are safe. They are here: the
# test code and the live server's thread never share a database connection.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# Tests wait for the state they need, never for a fixed time. A loaded two-core machine
# can take seconds to save and render, so an expectation waits up to as long as an
# action does (Playwright's 30 seconds), not its default 5.
PATIENCE_MS = 30_000
expect.set_options(timeout=PATIENCE_MS)


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Mark the tests in this folder as browser tests; skip them without Chromium."""
    no_chromium = pytest.mark.skip(
        reason=f"browser tests need Chromium at {CHROMIUM}, which does not exist"
    )
    for item in items:
        if HERE not in item.path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists():
            item.add_marker(no_chromium)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
) -> dict[str, Any]:
    """The system's Chromium: `playwright install` cannot download browsers here."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


# Runs in every page before its own scripts; Playwright injects it outside the page's
# policy.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__onrampCspViolation({
    page: document.location.pathname,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
  });
});
"""


@pytest.fixture
def csp_violations() -> list[dict[str, Any]]:
    """What the Content-Security-Policy refused in this test's pages, in order."""
    return []


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext], csp_violations: list[dict[str, Any]]
) -> Iterator[Callable[..., BrowserContext]]:
    """pytest-playwright's `new_context`, whose contexts report CSP violations; the
    test fails if its pages reported any."""

    def watched_context(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        context.expose_binding(
            "__onrampCspViolation",
            lambda source, violation: csp_violations.append(violation),
        )
        context.add_init_script(script=_REPORT_VIOLATIONS)
        if instant_from_env() is not None:
            # The page's clock starts where the run's clock is now (ONRAMP_TEST_NOW).
            context.clock.install(time=dt.datetime.now(dt.UTC))
        return context

    yield watched_context
    assert not csp_violations, (
        "The Content-Security-Policy refused something on these pages:\n"
        + "\n".join(str(violation) for violation in csp_violations)
    )


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """Pages open relative to the live server: `page.goto("/team/")`."""
    return live_server.url


@pytest.fixture(scope="session")
def _migrated_data(django_db_setup: None) -> str:
    """The database as the migrations left it, serialized when pytest-django made it.

    Requested before Playwright starts, so this is still the connection that
    pytest-django serialized on (see `_migrated_data_in_playwright_loop`).
    """
    connection = connections[DEFAULT_DB_ALIAS]
    contents = getattr(connection, "_test_serialized_contents", None)
    assert contents is not None, (
        "pytest-django did not serialize the test database; the browser tests"
        " need django_db_serialized_rollback"
    )
    return contents


@pytest.fixture(scope="session")
def _migrated_data_in_playwright_loop(
    _migrated_data: str, playwright: Playwright
) -> None:
    """Hand the serialized data to the connection the tests use from now on.

    Playwright's sync API keeps an event loop running in this thread, and once a loop
    runs Django keeps a separate set of connections (asgiref's Local). Without this,
    the serialized rollback finds nothing to restore on the new connection.
    """
    connections[DEFAULT_DB_ALIAS]._test_serialized_contents = _migrated_data


@pytest.fixture(autouse=True)
def _database_as_migrated(
    _migrated_data_in_playwright_loop: None,
    live_server: LiveServer,
    django_db_serialized_rollback: None,
) -> None:
    """A transactional database the live server shares, emptied after every test.

    The serialized rollback first puts back what the migrations created (the Wagtail
    root and home pages, the site, the default locale), so "/" exists in every test.
    """


@pytest.fixture
def demo_people() -> None:
    """Northwind's teams and people, in the database the live server reads."""
    seed_people(lambda line: None)


@pytest.fixture
def sign_in(page: Page, demo_people: None) -> Callable[..., None]:
    """Sign in through the form, as a person would; the page then shows the result."""

    def sign_in(email: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()

    return sign_in
