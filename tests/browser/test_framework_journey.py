"""The career framework in a real browser: a member assesses themselves, shares the result with a
coach they have booked, the coach adjusts one skill, and the member agrees, then sees the new level
and their growth chart."""

import pytest
from playwright.sync_api import expect

from community.models import User
from mentoring.default_framework import load_default_framework
from mentoring.models import Assessment
from tests.browser.conftest import check_page, sign_in
from tests.conftest import make_member, make_user
from tests.mentoring.framework_people import (
    IC_LEVELS,
    booked_coach,
    completed_assessment,
    direction,
    first_skill,
    scores_for,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COACH, MEMBER = "carla.coach@example.com", "mo.member@example.com"


def people():
    load_default_framework()  # an earlier browser test may have flushed the migration's rows
    coach = make_user(COACH, name="Carla Coach", groups=[User.COACHES])
    make_member(coach)
    member = make_user(MEMBER, name="Mo Member")
    make_member(member)
    booked_coach(coach, member)
    return coach, member


def test_a_member_self_assesses_a_mentor_adjusts_a_skill_and_the_member_sees_the_new_level(
    new_page,
):
    coach, member = people()
    page = new_page()
    sign_in(page, MEMBER)
    page.wait_for_url("**/members/")
    check_page(page)
    page.get_by_role("link", name="Growth").click()
    check_page(page)
    page.get_by_label("Individual contributor").check()
    page.get_by_role("button", name="Start").click()
    check_page(page)
    assessment = Assessment.objects.get(member=member)
    for pk, score in scores_for(assessment, IC_LEVELS).items():
        page.locator(f"#id_score_{pk}_{score}").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Finish and see my levels").click()
    check_page(page)
    expect(page.locator("[data-progress]")).to_have_text("2.25")
    expect(page.locator("tr[data-competency=leadership] [data-level]")).to_have_text("1")
    page.get_by_label("Mentor", exact=True).select_option(label="Carla Coach")
    page.get_by_role("button", name="Share with this mentor").click()
    expect(page.get_by_text("Shared with Carla Coach.")).to_be_visible()
    check_page(page)
    review_url = page.url

    mentor = new_page()
    sign_in(mentor, COACH)
    mentor.wait_for_url("**/members/")
    check_page(mentor)
    mentor.goto(review_url)
    check_page(mentor)
    skill = first_skill("leadership", 1)
    row = mentor.locator(f"#skill-{skill.pk}")
    row.get_by_text("Adjust").first.click()
    row.get_by_label("Score").select_option("0")
    row.get_by_label("Why").fill("We have not seen this with your own team yet.")
    row.get_by_role("button", name="Adjust").click()
    expect(mentor.get_by_text(f"Adjusted: {skill.text}")).to_be_visible()
    check_page(mentor)
    mentor.get_by_role("button", name="Send for agreement").click()
    expect(mentor.get_by_text("Waiting for Mo Member to agree.")).to_be_visible()
    check_page(mentor)

    page.reload()
    check_page(page)
    expect(page.get_by_text("We have not seen this with your own team yet.")).to_be_visible()
    page.get_by_role("button", name="Agree and record").click()
    check_page(page)
    expect(page.locator(".review-status")).to_have_text("Agreed")
    expect(page.locator("tr[data-competency=leadership] [data-level]")).to_have_text("0")
    expect(page.locator("[data-progress]")).to_have_text("2.20")
    page.get_by_role("link", name="See your growth over time").click()
    check_page(page)
    chart = page.get_by_role("img", name="Overall progress at each agreed review")
    expect(chart).to_be_visible()
    expect(chart.locator("circle")).to_have_count(1)
    expect(page.locator(".history-table [data-progress]")).to_have_text(["2.20"])


def test_the_levels_table_fits_a_phone_without_cutting_off_the_levels(new_page):
    member = make_user(MEMBER, name="Mo Member")
    make_member(member)
    load_default_framework()
    assessment = completed_assessment(member, direction=direction("cross-functional-leader"))
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, MEMBER)
    page.wait_for_url("**/members/")
    check_page(page)
    page.goto(f"/coaching/growth/assessments/{assessment.pk}/")
    check_page(page)
    table = page.locator("table.levels-table")
    wrapper_width = table.evaluate("t => t.parentElement.clientWidth")
    assert table.evaluate("t => t.scrollWidth") <= wrapper_width
    expect(page.get_by_role("cell", name="2 Intermediate").first).to_be_visible()
