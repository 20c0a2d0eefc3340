"""In a real browser, a member the coach accepted confirms they are joining a mentoring group
and answers for the next session; the coach then takes the note and records who came."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.models import SlackChannelMembership
from mentoring.models import GroupMembership, GroupSession, SessionAttendance
from tests.browser.conftest import check_page
from tests.mentoring.groups_people import join, open_test_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_confirms_and_answers_then_the_coach_records_the_session(
    signed_in_page, coach, member
):
    group = open_test_group(coach, first_session_at=timezone.now() + timedelta(days=3))
    membership = join(group, member, consent=False)

    page = signed_in_page(member)
    page.goto(f"/coaching/groups/{group.pk}/")
    expect(page.get_by_role("heading", name="Confirm you are joining")).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="I agree, add me to the group").click()
    expect(page.get_by_role("heading", name="Next session")).to_be_visible()
    check_page(page)
    assert SlackChannelMembership.objects.filter(account__user=member).exists()
    page.get_by_role("button", name="I'm coming").click()
    expect(page.get_by_text("You said you are coming.")).to_be_visible()
    check_page(page)
    assert SessionAttendance.objects.get(membership=membership).rsvp == "yes"

    # The first session has taken place (moved into the past for the test).
    GroupSession.objects.filter(group=group, number=0).update(
        starts_at=timezone.now() - timedelta(hours=1)
    )
    coach_page = signed_in_page(coach)
    coach_page.goto(f"/coaching/groups/{group.pk}/")
    expect(coach_page.get_by_role("heading", name="Requests to join")).to_be_visible()
    check_page(coach_page)
    coach_page.get_by_label("Shared note").fill("Everyone brought one reorg question.")
    coach_page.get_by_role("button", name="Save the note").click()
    expect(coach_page.get_by_text("The note is saved.")).to_be_visible()
    check_page(coach_page)
    coach_page.get_by_label(str(member)).check()
    coach_page.get_by_role("button", name="Record who came").click()
    expect(coach_page.get_by_text("Attendance is recorded.")).to_be_visible()
    check_page(coach_page)
    session = GroupSession.objects.get(group=group, number=0)
    assert session.status == GroupSession.Status.HELD
    assert session.note == "Everyone brought one reorg question."
    assert session.attendance.get(membership=membership).attended is True


def test_the_other_group_pages_pass_the_checks(signed_in_page, coach, member, organizer):
    group = open_test_group(coach, first_session_at=timezone.now() + timedelta(days=2))
    for user, paths in [
        (member, ["/coaching/groups/", f"/coaching/groups/{group.pk}/join/"]),
        (coach, ["/coaching/groups/new/", f"/coaching/groups/{group.pk}/"]),
        (organizer, ["/organize/mentoring-groups/", f"/coaching/groups/{group.pk}/"]),
    ]:
        page = signed_in_page(user)
        for path in paths:
            assert page.goto(path).status == 200, path
            check_page(page)
    # The member asks to join from the group's page, and the organizer sees the group flagged.
    page = signed_in_page(member)
    page.goto(f"/coaching/groups/{group.pk}/join/")
    check_page(page)
    page.get_by_label("Why would you like to join?").fill("We are splitting into two tribes.")
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_text("Your request is sent")).to_be_visible()
    check_page(page)
    organizer_page = signed_in_page(organizer)
    organizer_page.goto("/organize/mentoring-groups/")
    expect(organizer_page.get_by_role("cell", name="Only 0 members.")).to_be_visible()
    check_page(organizer_page)


def test_the_coach_releases_the_place_of_a_member_who_never_confirmed(
    signed_in_page, coach, member
):
    group = open_test_group(coach, first_session_at=timezone.now() + timedelta(days=20))
    membership = join(group, member, consent=False)

    page = signed_in_page(member)
    page.goto(f"/coaching/groups/{group.pk}/")
    expect(page.get_by_text("7 days left to confirm")).to_be_visible()
    check_page(page)

    # Accepted nine days ago, and still not confirmed.
    GroupMembership.objects.filter(pk=membership.pk).update(
        decided_at=timezone.now() - timedelta(days=9)
    )
    coach_page = signed_in_page(coach)
    coach_page.goto(f"/coaching/groups/{group.pk}/")
    expect(coach_page.get_by_text("accepted 9 days ago, not confirmed yet")).to_be_visible()
    check_page(coach_page)
    questions = []
    release = coach_page.get_by_role("button", name=f"Release {member}'s place")
    coach_page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    release.click()
    expect(release).to_be_visible()
    membership.refresh_from_db()
    assert membership.status == GroupMembership.Status.ACCEPTED

    coach_page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    release.click()
    expect(coach_page.get_by_text(f"{member}'s place is free again")).to_be_visible()
    expect(coach_page.get_by_text("0 of 6 places taken.")).to_be_visible()
    check_page(coach_page)
    membership.refresh_from_db()
    assert membership.status == GroupMembership.Status.RELEASED
    assert (
        questions
        == [f"Release {member}'s place? They are told by email and may ask to join again."] * 2
    )
