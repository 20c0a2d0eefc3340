"""The main journey, in a real browser: from stranger to member who finds a peer."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Page, expect

from community.models import Application, User
from tests.conftest import PASSWORD, give_totp, make_member, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEWCOMER = "nina.newcomer@example.com"


def current_totp_code(secret: str) -> str:
    """The code an authenticator app shows now, waiting out the last seconds of a period."""
    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Sign in").click()


def emails_to(mailoutbox, address: str) -> list:
    return [message for message in mailoutbox if message.to == [address]]


def sign_up_and_verify(page: Page, mailoutbox) -> None:
    page.goto("/")
    page.get_by_role("button", name="Apply to join").click()
    page.get_by_label("Email").fill(NEWCOMER)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Verify your email address")).to_be_visible()

    (verification,) = emails_to(mailoutbox, NEWCOMER)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", verification.body)
    assert link, verification.body
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text(f"You have confirmed {NEWCOMER}")).to_be_visible()


def apply(page: Page) -> None:
    # Confirming the address in the browser that signed up signed the newcomer in, on to the form.
    expect(page.get_by_role("heading", name="Apply to join Roundtable")).to_be_visible()
    page.get_by_label("Full name").fill("Nina Newcomer")
    page.get_by_label("Pronouns").fill("she/her")
    page.get_by_label("City").fill("Lisbon")
    page.get_by_label("Timezone").select_option("Europe/Lisbon")
    page.get_by_label("Job title").fill("VP Engineering")
    page.get_by_label(re.compile(r"^Role( \*)?$")).select_option(label="VP Engineering")
    page.get_by_label(re.compile(r"^Company( \*)?$")).fill("Tidewater Labs")
    page.get_by_label("Company size").select_option(label="201–1,000 people")
    page.get_by_label("Size of the team you lead").fill("45")
    page.get_by_label("How you lead technologists").fill(
        "I lead five engineering managers and their teams building our payments platform."
    )
    page.get_by_label("Learning circles").check()
    page.get_by_label("I have read and agree to the code of conduct").check()
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_text("Status: Submitted")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()


def approve_in_admin(page: Page, totp_secret: str) -> None:
    sign_in(page, "olivia.organizer@example.com")
    page.get_by_placeholder("Code").fill(current_totp_code(totp_secret))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Applications").first.click()
    page.get_by_role("link", name="Nina Newcomer").click()
    page.get_by_role("link", name="Approve…").click()
    page.get_by_label("Reason").fill("Leads 45 people through five managers; referred by a member.")
    page.get_by_role("button", name="Approve 1 application").click()
    expect(page.get_by_text("1 application approved.")).to_be_visible()


def find_a_peer(page: Page) -> None:
    sign_in(page, NEWCOMER)
    expect(page.get_by_role("heading", name="Member directory")).to_be_visible()
    page.get_by_label("Search", exact=True).fill("Priya Berlin")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 member matches your search")).to_be_visible()
    page.get_by_role("link", name="Priya Patel").click()
    expect(page.get_by_role("heading", name="Priya Patel")).to_be_visible()
    expect(page.get_by_text("Director of Engineering at Globex")).to_be_visible()


def test_a_newcomer_signs_up_is_approved_and_finds_a_peer_in_the_directory(new_page, mailoutbox):
    organizer = make_user(
        "olivia.organizer@example.com",
        name="Olivia Organizer",
        groups=[User.ORGANIZERS],
        staff=True,
    )
    secret = give_totp(organizer)
    make_member(
        make_user("priya.patel@example.com", name="Priya Patel"),
        job_title="Director of Engineering",
        company="Globex",
        city="Berlin",
    )
    make_member(make_user("paul.berger@example.com", name="Paul Berger"), city="Berlin")

    newcomer_page = new_page()
    sign_up_and_verify(newcomer_page, mailoutbox)
    apply(newcomer_page)
    application = Application.objects.get(user__email=NEWCOMER)
    assert application.status == Application.Status.SUBMITTED
    assert "received" in emails_to(mailoutbox, NEWCOMER)[-1].subject

    approve_in_admin(new_page(), secret)
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.decisions.last().decided_by == organizer
    assert "Welcome" in emails_to(mailoutbox, NEWCOMER)[-1].subject

    find_a_peer(newcomer_page)
