"""The main journey, in a real browser: from stranger to member who finds a peer."""

import re

import pytest
from playwright.sync_api import Page, expect

from community.models import Application, User
from tests.browser.conftest import check_page, current_totp_code, sign_in
from tests.conftest import PASSWORD, give_totp, make_member, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEWCOMER = "nina.newcomer@example.com"


def emails_to(mailoutbox, address: str) -> list:
    return [message for message in mailoutbox if message.to == [address]]


def the_skip_link_shows_when_focused(page: Page) -> None:
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box["width"] > 50 and box["height"] > 16, box


def sign_up_and_verify(page: Page, mailoutbox) -> None:
    page.goto("/")
    check_page(page)
    the_skip_link_shows_when_focused(page)
    page.get_by_role("button", name="Apply to join").click()
    page.wait_for_url("**/accounts/signup/")
    check_page(page)
    page.get_by_label("Email").fill(NEWCOMER)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Verify your email address")).to_be_visible()
    check_page(page)

    (verification,) = emails_to(mailoutbox, NEWCOMER)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", verification.body)
    assert link, verification.body
    page.goto(link.group(0))
    check_page(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text(f"You have confirmed {NEWCOMER}")).to_be_visible()
    check_page(page)  # with a flash message


def apply(page: Page) -> None:
    # Confirming the address in the browser that signed up signed the newcomer in, on to the form.
    expect(page.get_by_role("heading", name="Apply to join Roundtable")).to_be_visible()
    check_page(page)
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
    check_page(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    check_page(page)


def approve_in_admin(page: Page, totp_secret: str) -> None:
    sign_in(page, "olivia.organizer@example.com")
    expect(page.get_by_placeholder("Code")).to_be_visible()
    check_page(page)
    page.get_by_placeholder("Code").fill(current_totp_code(totp_secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Community operations")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Applications").first.click()
    expect(page.get_by_role("link", name="Nina Newcomer")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Nina Newcomer").click()
    expect(page.get_by_role("link", name="Approve…")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Approve…").click()
    expect(page.get_by_label("Reason")).to_be_visible()
    check_page(page)
    page.get_by_label("Reason").fill("Leads 45 people through five managers; referred by a member.")
    page.get_by_role("button", name="Approve 1 application").click()
    expect(page.get_by_text("1 application approved.")).to_be_visible()
    check_page(page)


def find_a_peer(page: Page) -> None:
    sign_in(page, NEWCOMER)
    expect(page.get_by_role("heading", name="Member directory")).to_be_visible()
    check_page(page)
    page.get_by_label("Search", exact=True).fill("Priya Berlin")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 member matches your search")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Priya Patel").click()
    expect(page.get_by_role("heading", name="Priya Patel")).to_be_visible()
    expect(page.get_by_text("Director of Engineering at Globex")).to_be_visible()
    check_page(page)


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
