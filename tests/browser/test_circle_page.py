"""In a real browser, a member of a circle votes on its meeting time, then answers for the next
meeting on the circle's page; its facilitator moves a meeting and cancels the series."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from circles.models import Attendance, MeetingVote
from circles.services import scheduling
from tests.browser.conftest import check_page
from tests.circles.circle_people import circle_with_members, user_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_votes_on_the_time_and_then_says_they_are_coming(signed_in_page):
    circle = circle_with_members(2)
    candidates = scheduling.offer_candidate_times(circle)
    first, second = circle.members.all()
    scheduling.record_votes(circle, member=first, can_attend={candidates[1].pk})
    page = signed_in_page(user_of(second))

    page.goto(f"/circles/c/{circle.pk}/")
    expect(page.get_by_role("heading", name="When should the circle meet?")).to_be_visible()
    check_page(page)
    page.get_by_role("checkbox").nth(1).check()
    page.get_by_role("button", name="Save my answer").click()

    expect(page.get_by_role("heading", name="Next meeting")).to_be_visible()
    check_page(page)
    vote = MeetingVote.objects.get(member=second, candidate=candidates[1])
    assert vote.can_attend
    page.get_by_role("button", name="I'm coming").click()
    expect(page.get_by_text("You said you are coming.")).to_be_visible()
    check_page(page)
    expect(page.get_by_text(first.signup.name)).to_be_visible()  # consented: full names
    assert Attendance.objects.get(member=second).rsvp == "yes"


def test_the_facilitator_moves_the_next_meeting_then_cancels_every_meeting(signed_in_page):
    circle = circle_with_members(2)
    first = scheduling.offer_candidate_times(circle)[0]
    scheduling.pick_meeting_time(circle, candidate=first, by=None)
    later = (first.starts_at + timedelta(days=1, hours=1)).astimezone(ZoneInfo("Europe/London"))
    page = signed_in_page(user_of(circle.facilitator))

    page.goto(f"/circles/c/{circle.pk}/")
    check_page(page)
    page.get_by_role("link", name="Move this meeting").click()
    expect(page.get_by_role("heading", name="Move meeting 1")).to_be_visible()
    check_page(page)
    page.get_by_label("New time").fill(f"{later:%Y-%m-%dT%H:%M}")
    page.get_by_role("button", name="Move the meeting").click()

    expect(page.get_by_text("The meeting has moved; every member is told.")).to_be_visible()
    check_page(page)
    expect(page.get_by_text(f"{later:%A} {later.day} {later:%B %Y, %H:%M}")).to_be_visible()
    assert circle.meetings.get(number=0).starts_at == later
    page.get_by_role("link", name="Cancel every meeting of the circle…").click()
    expect(page.get_by_role("heading", name="Cancel every meeting of Circle 1?")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Cancel every meeting").click()

    expect(page.get_by_text("This circle's meetings were cancelled.")).to_be_visible()
    check_page(page)
    circle.refresh_from_db()
    assert circle.series_cancelled_at is not None
