"""A new organizer, in a real browser: sets up two-factor from the QR code on screen, then works."""

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from community.models import User
from tests.browser.conftest import check_page, current_totp_code, sign_in
from tests.conftest import PASSWORD, make_application, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What Chromium sends for a page's icon. It asks for it once per browser, on the first page it
# shows (so in this suite, on some other test's page): ask for it here as it does.
ICON_REQUEST = {
    "Accept": "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    "Sec-Fetch-Dest": "image",
}


def fetch_the_icon(page: Page) -> None:
    named = page.locator("link[rel=icon]")
    for url in [named.get_attribute("href") if named.count() else "/favicon.ico", "/favicon.ico"]:
        response = page.request.get(url, headers=ICON_REQUEST)
        assert response.ok and response.headers["content-type"].startswith("image/"), url


def shown_secret(page: Page) -> str:
    """The secret on the set-up page, the one its QR code holds."""
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    check_page(page)
    secret = page.get_by_label("Authenticator secret").input_value()
    expect(page.get_by_role("img", name=secret)).to_be_visible()
    return secret


def test_a_new_organizer_sets_up_two_factor_from_the_qr_code_and_reaches_the_admin(new_page):
    organizer = make_user(
        "nora.organizer@example.com", name="Nora Organizer", groups=[User.ORGANIZERS], staff=True
    )
    make_application(make_user("alex.applicant@example.com", name="Alex Applicant"))
    page = new_page()
    sign_in(page, organizer.email)
    expect(page.get_by_text("Organizers must turn on two-factor authentication")).to_be_visible()
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    check_page(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    secret = shown_secret(page)
    fetch_the_icon(page)
    page.reload()  # scanning takes a while; the page may be loaded again meanwhile
    assert shown_secret(page) == secret
    page.get_by_label("Authenticator code").fill(current_totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    check_page(page)
    assert Authenticator.objects.filter(user=organizer, type=Authenticator.Type.TOTP).exists()
    page.get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("link", name="Alex Applicant")).to_be_visible()
    check_page(page)

    page.goto("/organize/funnel/")
    expect(page.get_by_role("heading", name="How far applications got")).to_be_visible()
    check_page(page)
