"""Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API keeps an asyncio event loop running in the test thread, and Django refuses
synchronous database calls while one runs. The browser tests need both (they prepare data and read
the outbox from the test thread), so for as long as the browser is open in this package only,
DJANGO_ALLOW_ASYNC_UNSAFE is set. https://docs.djangoproject.com/en/5.2/topics/async/#envvar-DJANGO_ALLOW_ASYNC_UNSAFE
"""

import os
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the whole package; skipped (failed in CI) when it is missing."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (set PLAYWRIGHT_CHROMIUM)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture
def new_page(request, browser, live_server, tmp_path):
    """`new_page()` opens a tab in a fresh browser profile (its own cookies) on the live server.

    When the test fails, each tab's address and a screenshot are kept in the test's tmp_path.
    """
    pages = []

    def open_page():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        pages.append(context.new_page())
        return pages[-1]

    yield open_page
    if getattr(request.node, "browser_test_failed", False):
        for number, page in enumerate(pages, start=1):
            path = tmp_path / f"tab-{number}.png"
            page.screenshot(path=path, full_page=True)
            print(f"Tab {number} was at {page.url}; screenshot: {path}")
    for page in pages:
        page.context.close()
