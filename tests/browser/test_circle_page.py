"""In a real browser, a member of a circle votes on its meeting time, then answers for the next
meeting on the circle's page."""

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
