"""Mentoring groups: an accepted member who never confirms has MENTORING_GROUP_CONFIRM_DAYS to do
so; after that the coach may release the place, the member is told once, and the place is free."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from community.models import Email, User
from mentoring.models import GroupMembership
from mentoring.services import groups
from tests.conftest import make_member, make_user
from tests.mentoring.groups_people import join, members, open_test_group

pytestmark = pytest.mark.django_db
ACCEPTED = datetime(2027, 2, 1, 9, tzinfo=UTC)
GRACE_OVER = ACCEPTED + timedelta(days=7, minutes=1)
RELEASED = "mentoring-group-released:"


@pytest.fixture
def clock():
    with time_machine.travel(ACCEPTED, tick=False) as traveller:
        yield traveller


@pytest.fixture
def group(clock, coach):
    return open_test_group(coach)


@pytest.fixture
def waiting(group, member):
    """The member persona, accepted into the group and yet to confirm."""
    return join(group, member, consent=False)


def unchanged(membership: GroupMembership) -> bool:
    membership.refresh_from_db()
    nothing_sent = not Email.objects.filter(key__startswith=RELEASED).exists()
    return membership.status == GroupMembership.Status.ACCEPTED and nothing_sent


def test_the_coach_releases_the_place_of_a_member_who_did_not_confirm_in_time(
    clock, group, waiting, coach, member
):
    assert groups.accepted_count(group) == 1
    clock.move_to(GRACE_OVER)
    released = groups.release_place(waiting, by=coach)
    assert released.status == GroupMembership.Status.RELEASED
    assert released.left_at == GRACE_OVER
    assert groups.accepted_count(group) == 0
    assert groups.membership_of(group, member) is None
    email = Email.objects.get(key=f"{RELEASED}{waiting.pk}")
    assert email.to == member.email and str(group) in email.subject
    assert "It was not confirmed in time" in email.body_text
    assert "has released the place" in email.body_text
    assert f"/coaching/groups/{group.pk}/join/" in email.body_text
    assert f'href="http://127.0.0.1:8000/coaching/groups/{group.pk}/join/"' in email.body_html


def test_the_place_is_kept_until_the_time_to_confirm_is_over(clock, group, waiting, coach):
    clock.move_to(ACCEPTED + timedelta(days=6, hours=23))
    with pytest.raises(ValidationError, match="still has 1 day to confirm"):
        groups.release_place(waiting, by=coach)
    clock.move_to(ACCEPTED + timedelta(days=2))
    with pytest.raises(ValidationError, match="still has 5 days to confirm"):
        groups.release_place(waiting, by=coach)
    assert unchanged(waiting) and groups.accepted_count(group) == 1


def test_the_time_to_confirm_comes_from_the_setting(clock, group, waiting, coach, settings):
    settings.MENTORING_GROUP_CONFIRM_DAYS = 2
    clock.move_to(ACCEPTED + timedelta(days=2, minutes=1))
    assert groups.release_place(waiting, by=coach).status == GroupMembership.Status.RELEASED


def test_only_the_groups_coach_can_release_a_place(clock, group, waiting, member, organizer):
    other_coach = make_user("other.coach@example.com", name="Otto Coach", groups=[User.COACHES])
    make_member(other_coach)
    (fellow,) = members(1)
    join(group, fellow)
    clock.move_to(GRACE_OVER)
    for someone in (other_coach, member, fellow, organizer):
        with pytest.raises(ValidationError, match="Only the group's coach"):
            groups.release_place(waiting, by=someone)
    assert unchanged(waiting)


def test_a_member_who_confirmed_keeps_their_place(clock, group, coach, member):
    joined = join(group, member)
    clock.move_to(GRACE_OVER)
    with pytest.raises(ValidationError, match="has confirmed they are joining"):
        groups.release_place(joined, by=coach)
    joined.refresh_from_db()
    assert joined.status == GroupMembership.Status.ACCEPTED
    assert not Email.objects.filter(key__startswith=RELEASED).exists()


def test_releasing_twice_refuses_the_second_time_and_emails_the_member_once(
    clock, group, waiting, coach
):
    clock.move_to(GRACE_OVER)
    groups.release_place(waiting, by=coach)
    with pytest.raises(ValidationError, match="already been released"):
        groups.release_place(waiting, by=coach)
    assert Email.objects.filter(key__startswith=RELEASED).count() == 1


def test_a_member_who_left_or_was_never_accepted_has_no_place_to_release(
    clock, group, waiting, coach, member
):
    (asking,) = members(1)
    request = groups.request_to_join(group, member=asking, note="Please")
    groups.leave_group(waiting, by=member)
    clock.move_to(GRACE_OVER)
    with pytest.raises(ValidationError, match="has already left the group"):
        groups.release_place(waiting, by=coach)
    with pytest.raises(ValidationError, match="Only an accepted member's place"):
        groups.release_place(request, by=coach)
    waiting.refresh_from_db()
    request.refresh_from_db()
    assert waiting.status == GroupMembership.Status.LEFT
    assert request.status == GroupMembership.Status.REQUESTED
    assert not Email.objects.filter(key__startswith=RELEASED).exists()


def test_no_place_is_released_in_a_group_that_has_ended(clock, group, waiting, coach):
    groups.end_group(group, by=coach)
    clock.move_to(GRACE_OVER)
    with pytest.raises(ValidationError, match="has ended"):
        groups.release_place(waiting, by=coach)
    assert unchanged(waiting)


def test_a_released_place_lets_the_coach_accept_the_next_request(clock, coach):
    group = open_test_group(coach, capacity=2)
    silent, joined, next_in_line = members(3)
    waiting = join(group, silent, consent=False)
    join(group, joined)
    with pytest.raises(ValidationError, match="full"):
        groups.request_to_join(group, member=next_in_line, note="Please")
    clock.move_to(GRACE_OVER)
    groups.release_place(waiting, by=coach)
    asked = groups.request_to_join(group, member=next_in_line, note="Please")
    assert groups.accept_request(asked, by=coach).status == GroupMembership.Status.ACCEPTED
    assert groups.accepted_count(group) == 2


def test_the_released_member_may_ask_again_while_the_group_is_open(
    clock, group, waiting, coach, member
):
    clock.move_to(GRACE_OVER)
    groups.release_place(waiting, by=coach)
    again = groups.request_to_join(group, member=member, note="Sorry, I was away.")
    assert again.pk != waiting.pk and again.status == GroupMembership.Status.REQUESTED


def test_a_member_released_from_a_group_not_taking_requests_is_pointed_to_other_groups(
    clock, group, waiting, coach
):
    group.accepting_requests = False
    group.save(update_fields=["accepting_requests"])
    clock.move_to(GRACE_OVER)
    groups.release_place(waiting, by=coach)
    email = Email.objects.get(key=f"{RELEASED}{waiting.pk}")
    assert "not taking requests at the moment" in email.body_text
    assert "/join/" not in email.body_text and "/coaching/groups/" in email.body_text


def page(client, group) -> str:
    response = client.get(f"/coaching/groups/{group.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def release_url(group, membership) -> str:
    return f"/coaching/groups/{group.pk}/requests/{membership.pk}/release/"


def test_the_coach_sees_who_has_not_confirmed_and_since_when(
    client_for, clock, group, waiting, coach
):
    clock.move_to(ACCEPTED + timedelta(days=3))
    html = page(client_for(coach), group)
    assert "Maya Member</strong>: accepted 3 days ago, not confirmed yet." in html
    assert "kept for them until 8 February, 10:00" in html  # the coach's Berlin time
    assert release_url(group, waiting) not in html
    clock.move_to(ACCEPTED + timedelta(days=9))
    html = page(client_for(coach), group)
    assert "accepted 9 days ago, not confirmed yet." in html
    assert f'action="{release_url(group, waiting)}"' in html
    assert "Release Maya Member's place</button>" in html
    assert "data-confirm=\"Release Maya Member's place? They are told by email" in html


def test_the_accepted_member_sees_how_long_they_have_to_confirm(
    client_for, clock, group, waiting, member
):
    clock.move_to(ACCEPTED + timedelta(days=4, hours=1))
    html = page(client_for(member), group)
    assert "3 days left to confirm" in html
    assert release_url(group, waiting) not in html
    clock.move_to(GRACE_OVER)
    html = page(client_for(member), group)
    assert "your place is still yours for now: confirm to keep it" in html


def test_the_coach_releases_a_place_from_the_page(client_for, clock, group, waiting, coach):
    clock.move_to(GRACE_OVER)
    response = client_for(coach).post(release_url(group, waiting), follow=True)
    assert "Maya Member&#x27;s place is free again" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == GroupMembership.Status.RELEASED
    assert "0 of 6 places taken." in page(client_for(coach), group)


def test_the_page_refuses_a_release_before_the_time_to_confirm_is_over(
    client_for, clock, group, waiting, coach
):
    clock.move_to(ACCEPTED + timedelta(days=1))
    response = client_for(coach).post(release_url(group, waiting), follow=True)
    assert "still has 6 days to confirm" in response.content.decode()
    assert unchanged(waiting)


def test_nobody_but_the_coach_can_release_a_place_through_the_page(
    client_for, clock, group, waiting, member, organizer
):
    other_coach = make_user("other.coach@example.com", name="Otto Coach", groups=[User.COACHES])
    make_member(other_coach)
    (fellow,) = members(1)
    join(group, fellow)
    clock.move_to(GRACE_OVER)
    # Outside the group: no such page for them.
    assert client_for(other_coach).post(release_url(group, waiting)).status_code == 404
    # In the group, or an organizer: the page says no.
    for someone in (member, fellow, organizer):
        response = client_for(someone).post(release_url(group, waiting), follow=True)
        assert "Only the group&#x27;s coach can release a place" in response.content.decode()
    assert unchanged(waiting)


def test_a_place_from_another_group_cannot_be_released_through_this_one(
    client_for, clock, group, coach
):
    (other_coach_user,) = members(1, start=10)
    other_coach_user.groups.add(*coach.groups.all())
    elsewhere = open_test_group(other_coach_user, topic="Hiring your first managers")
    (stranger,) = members(1)
    theirs = join(elsewhere, stranger, consent=False)
    clock.move_to(GRACE_OVER)
    assert client_for(coach).post(release_url(group, theirs)).status_code == 404
    assert unchanged(theirs)


def test_a_member_accepted_by_hand_without_a_decision_time_counts_from_their_request(
    client_for, clock, group, waiting, coach
):
    GroupMembership.objects.filter(pk=waiting.pk).update(decided_at=None)
    clock.move_to(ACCEPTED + timedelta(days=2))
    assert "accepted 2 days ago, not confirmed yet." in page(client_for(coach), group)
    with pytest.raises(ValidationError, match="still has 5 days"):
        groups.release_place(waiting, by=coach)
    clock.move_to(GRACE_OVER)
    assert groups.release_place(waiting, by=coach).status == GroupMembership.Status.RELEASED


def test_the_acceptance_email_says_until_when_the_place_is_kept(group, waiting, member):
    email = Email.objects.get(key=f"mentoring-group-accepted:{waiting.pk}")
    # The member persona's own timezone (UTC, as they have not set one).
    assert "Your place is kept for you until Monday 8 February, 09:00 UTC." in email.body_text
