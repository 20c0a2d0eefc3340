"""Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API keeps an asyncio event loop running in the test thread, and Django refuses
synchronous database calls while one runs. The browser tests need both (they prepare data and read
the outbox from the test thread), so for as long as the browser is open in this package only,
DJANGO_ALLOW_ASYNC_UNSAFE is set. https://docs.djangoproject.com/en/5.2/topics/async/#envvar-DJANGO_ALLOW_ASYNC_UNSAFE
"""

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, REQUIRE_SERVICES

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
# Assertions wait as long as actions do: a loaded CI machine is slow, not wrong.
expect.set_options(timeout=TIMEOUT_MS)
AXE = Axe()  # axe-core, bundled with the package: nothing is fetched at run time
SERIOUS = {"serious", "critical"}
# Every Content-Security-Policy violation the page raises is handed to the test.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`
    + ` on ${event.documentURI} (${event.sourceFile || "page"}:${event.lineNumber})`);
});
"""


@dataclass
class Visits:
    """What one tab saw: the pages it loaded, those checked, and the policy's complaints."""

    loaded: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    csp_violations: list[str] = field(default_factory=list)
    without_policy: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.context.expose_binding(
            "reportCspViolation", lambda _source, text: self.csp_violations.append(text)
        )
        page.context.add_init_script(REPORT_CSP_VIOLATIONS)
        page.on("framenavigated", self._navigated)
        page.on("response", self._responded)

    def _navigated(self, frame) -> None:
        if frame.parent_frame is None and frame.url.startswith("http"):
            self.loaded.append(frame.url)

    def _responded(self, response) -> None:
        if response.request.resource_type == "document" and not response.headers.get(
            "content-security-policy"
        ):
            self.without_policy.append(response.url)

    def problems(self) -> list[str]:
        unchecked = [url for url in self.loaded if url not in self.checked]
        return (
            [f"Content-Security-Policy violation: {text}" for text in self.csp_violations]
            + [f"served without a Content-Security-Policy: {url}" for url in self.without_policy]
            + [f"loaded but never checked with check_page(): {url}" for url in unchecked]
        )


VISITS: dict[Page, Visits] = {}  # for check_page()


def check_page(page: Page, *, skip_rules: tuple[str, ...] = ()) -> None:
    """The page in the tab raises no CSP violation and has no serious or critical axe violation."""
    page.wait_for_load_state("load")
    # axe's preload reads every stylesheet again, and turns the @import of the admin's forms.css
    # into a <style> element of its own, which the policy rightly refuses: the page has none.
    options = {"resultTypes": ["violations"], "preload": False}
    if skip_rules:
        options["rules"] = {rule: {"enabled": False} for rule in skip_rules}
    results = AXE.run(page, options=options)
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert not serious, f"{page.url}\n" + AxeResults({"violations": serious}).generate_report()
    visits = VISITS[page]
    visits.checked.add(page.url)
    assert not visits.csp_violations, visits.csp_violations


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

    Every page a tab loads must be checked with `check_page()` (accessibility and CSP), and every
    page must come with a Content-Security-Policy header; the test fails otherwise.
    When the test fails, each tab's address and a screenshot are kept in the test's tmp_path.
    """
    pages = []

    def open_page():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        VISITS[page] = Visits()
        VISITS[page].watch(page)
        pages.append(page)
        return page

    yield open_page
    if getattr(request.node, "browser_test_failed", False):
        for number, page in enumerate(pages, start=1):
            path = tmp_path / f"tab-{number}.png"
            page.screenshot(path=path, full_page=True)
            print(f"Tab {number} was at {page.url}; screenshot: {path}")
    problems = [problem for page in pages for problem in VISITS.pop(page).problems()]
    for page in pages:
        page.context.close()
    if problems and not getattr(request.node, "browser_test_failed", False):
        pytest.fail("\n".join(problems), pytrace=False)


def current_totp_code(secret: str) -> str:
    """The code an authenticator app shows now, waiting out the last seconds of a period."""
    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    check_page(page)
    page.get_by_label("Email").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def signed_in_page(new_page, live_server):
    """`signed_in_page(user)`: a tab whose session is `user`'s (two-factor already passed), or a
    signed-out tab for None."""

    def open_page(user) -> Page:
        page = new_page()
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value}
            page.context.add_cookies([{**cookie, "url": live_server.url}])
        return page

    return open_page
