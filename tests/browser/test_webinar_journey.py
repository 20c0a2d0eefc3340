"""In Chromium: a member in Tokyo finds a webinar, sees its time in Tokyo time, registers, gets
the invitation, and cancels; an outsider sees a members-only webinar's teaser only."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from community.models import Email, User
from content.models import Registration, Webinar
from content.services.webinars import register_for_webinar
from tests.browser.conftest import check_page
from tests.conftest import make_member, make_user
from tests.content.factories import MARKER, make_members_webinar, make_webinar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STARTS_AT = datetime(2031, 5, 20, 9, 0, tzinfo=UTC)  # 18:00 in Tokyo


def test_a_member_registers_for_a_webinar_shown_in_their_timezone(signed_in_page, member):
    member.timezone = "Asia/Tokyo"
    member.save(update_fields=["timezone"])
    webinar = make_members_webinar("Leading through layoffs", starts_at=STARTS_AT)
    page = signed_in_page(member)

    page.goto("/webinars/")
    check_page(page)
    card = page.locator(".webinar-card", has_text="Leading through layoffs")
    expect(card).to_contain_text("Tuesday 20 May 2031, 18:00")
    expect(card).to_contain_text("Asia/Tokyo")
    card.get_by_role("link", name="Leading through layoffs").click()
    check_page(page)
    expect(page.locator(".webinar-when")).to_contain_text("18:00–19:00 JST")
    expect(page.get_by_text(MARKER).first).to_be_visible()  # members read the description
    expect(page.get_by_role("link", name=webinar.join_url)).to_have_count(0)

    page.get_by_role("button", name="Register").click()
    check_page(page)
    expect(page.get_by_role("status").first).to_contain_text("You are registered")
    expect(page.get_by_role("link", name=webinar.join_url)).to_be_visible()
    invitation = Email.objects.get(to=member.email, key__startswith="webinar-registered")
    assert "DTSTART;TZID=Asia/Tokyo:20310520T180000" in invitation.attachment_text

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_role("button", name="Cancel my registration")).to_be_visible()
    assert Registration.objects.get(user=member).is_registered
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Cancel my registration").click()
    check_page(page)
    expect(page.get_by_role("button", name="Register")).to_be_visible()
    assert Registration.objects.get(user=member).status == Registration.Status.CANCELLED
    assert questions == ["Give up your place? Someone on the waitlist may take it."] * 2


def test_an_outsider_sees_only_the_teaser_of_a_members_only_webinar(signed_in_page):
    webinar = make_members_webinar("Leading through layoffs", starts_at=STARTS_AT)
    page = signed_in_page(None)
    page.goto(webinar.get_absolute_url())
    check_page(page)
    expect(page.get_by_text("The first paragraph is the teaser anyone may read.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in to register")).to_be_visible()
    assert MARKER not in page.content()


def test_an_editor_plans_a_webinar_and_walks_its_pages(signed_in_page, member):
    editor = make_user("editor@example.com", name="Edith Editor", groups=[User.EDITORS])
    make_member(editor, company="Editorial Co")
    past = make_webinar("Last month's panel", starts_in_days=-30)
    register_for_webinar(make_webinar("Next week's panel"), user=member)
    page = signed_in_page(editor)
    page.goto("/write/webinars/new/")
    check_page(page)
    page.get_by_label("Title").fill("Platform teams at scale")
    page.get_by_label("Summary").fill("How platform teams earn their keep.")
    page.get_by_label("Description (Markdown)").fill("We will cover **paved roads**.")
    expect(page.locator("[data-markdown-preview] strong")).to_have_text("paved roads")
    page.get_by_label("Starts at").fill("2031-05-20T09:00")
    page.get_by_role("button", name="Save").click()
    check_page(page)
    page.get_by_role("button", name="Announce it and open registration").click()
    check_page(page)
    expect(page.locator(".piece-state")).to_contain_text("Scheduled")
    page.goto("/write/webinars/")
    check_page(page)
    page.get_by_role("link", name="1 of 50").click()
    check_page(page)
    expect(page.get_by_role("cell", name=member.email)).to_be_visible()
    page.get_by_role("link", name="Message the registered").click()
    check_page(page)
    page.goto(f"/write/webinars/{past.pk}/recording/")
    check_page(page)
    page.get_by_label("Recording link").fill("https://video.example.com/rec/1")
    page.get_by_role("button", name="Publish in the library").click()
    check_page(page)
    expect(page.get_by_role("link", name="Watch the recording")).to_be_visible()


def test_an_editor_is_asked_before_a_webinar_is_called_off(signed_in_page, member):
    editor = make_user("editor@example.com", name="Edith Editor", groups=[User.EDITORS])
    webinar = make_webinar("Next week's panel")
    register_for_webinar(webinar, user=member)
    page = signed_in_page(editor)
    page.goto(f"/write/webinars/{webinar.pk}/")
    questions = []
    button = page.get_by_role("button", name="Cancel the webinar and tell everyone registered")

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    button.click()
    expect(button).to_be_visible()
    webinar.refresh_from_db()
    assert webinar.state == Webinar.State.SCHEDULED
    assert not Email.objects.filter(key__startswith="webinar-cancelled").exists()

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    button.click()
    expect(page.get_by_text("Cancelled; everyone was told.")).to_be_visible()
    check_page(page)
    webinar.refresh_from_db()
    assert webinar.state == Webinar.State.CANCELLED
    assert Email.objects.filter(key__startswith="webinar-cancelled").count() == 1
    assert questions == ["Cancel Next week's panel and tell everyone registered or waiting?"] * 2
