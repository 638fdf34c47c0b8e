"""Browser test harness: the test app served on loopback, driven by Debian's Chromium.

Every test under tests/browser gets the `browser` marker. Fixtures:

- `live_server`: the base URL of the function-scoped `app`, served by werkzeug in a thread of
  this process (pytest-flask's own fixture forks, which breaks PostgreSQL connection pools and
  cannot see the test's data in an in-memory database).
- `browser`: one headless Chromium per test session.
- `page`: a fresh browser context per test (no cookies carried over), Indonesian locale, with
  `page.goto("/path")` relative to the live server. A test fails if the page logs a JavaScript
  error or a Content-Security-Policy violation.

Check pages with `tests.support.axe.assert_accessible` and log in with
`tests.support.browser.browser_login`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, sync_playwright

from compliance.config import Config
from tests.support.live import free_port, serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Playwright's waits (for an element, a navigation, the load event) give up after this long.
#: Generous on purpose: a busy machine slows a page down, and that must not fail a test; the
#: waits themselves end as soon as their condition holds, so a passing test pays nothing.
TIMEOUT_MS = 60_000
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, so mark only the ones in this directory.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_base_url() -> str:
    """The live server's address, chosen once: it is also the app's BASE_URL, so links the app
    builds (e-mails, Stripe's return pages) lead back to it."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def config(config: Config, live_base_url: str) -> Config:
    return replace(config, base_url=live_base_url)


@pytest.fixture
def live_server(app: Flask, live_base_url: str) -> Iterator[str]:
    """Serve `app` on the session's loopback port for one test; yields the base URL."""
    port = urlsplit(live_base_url).port
    assert port is not None
    with serving(app, port) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. Install it with "
            "`apt-get install -y chromium` (scripts/test, the README's test command, does this). "
            "Do not run `playwright install`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, locale="id-ID")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # An HTTP error status (a 404 page, a 422 form) is logged too; that is not a problem.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"{page.url}: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"{page.url}: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    yield page
    context.close()
    assert not problems, "the browser reported errors (a CSP violation?):\n" + "\n".join(problems)
