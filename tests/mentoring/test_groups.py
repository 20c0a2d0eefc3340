"""Mentoring groups: opening one, asking to join, the coach's answer, consent before the Slack
channel and the calendar, leaving, capacity and ending."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from community.models import Email, SlackChannel, SlackChannelMembership
from mentoring.models import GroupMembership, GroupSession
from mentoring.services import groups
from tests.mentoring.groups_people import join, members, open_test_group

pytestmark = pytest.mark.django_db
BEFORE = datetime(2027, 2, 1, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _before_the_first_session():
    with time_machine.travel(BEFORE, tick=False):
        yield


def in_channel(group) -> set[str]:
    rows = SlackChannelMembership.objects.filter(channel__name=group.channel_name)
    return set(rows.values_list("account__user__email", flat=True))


def test_opening_a_group_plans_its_sessions_and_sends_the_coach_the_series(coach):
    group = open_test_group(coach, sessions=4)
    starts = list(group.sessions.values_list("starts_at", flat=True))
    assert len(starts) == 4 and starts[0] == datetime(2027, 3, 2, 17, tzinfo=UTC)
    # 18:00 in Berlin every two weeks: after the clocks go forward on 28 March it is 16:00 UTC.
    assert starts[2] == datetime(2027, 3, 30, 16, tzinfo=UTC)
    invitation = Email.objects.get(key__startswith=f"mentoring-group-series:{group.pk}:")
    assert invitation.to == coach.email
    assert group.capacity == 6 and group.timezone == "Europe/Berlin"


def test_the_same_group_sent_twice_opens_once_and_invites_the_coach_once(coach):
    group = open_test_group(coach, sessions=4)
    assert open_test_group(coach, sessions=4) == group
    assert GroupSession.objects.count() == 4
    assert Email.objects.filter(key__startswith="mentoring-group-series:").count() == 1
    other = open_test_group(coach, sessions=4, topic="Hiring your first managers")
    assert other != group


def test_a_group_cannot_start_in_the_past(coach):
    with pytest.raises(ValidationError, match="future"):
        open_test_group(coach, first_session_at=datetime(2027, 1, 1, 17, tzinfo=UTC))


def test_a_member_asks_to_join_with_a_note_and_the_coach_is_told(coach, member):
    group = open_test_group(coach)
    membership = groups.request_to_join(group, member=member, note="  I lead 40 people.  ")
    assert membership.status == GroupMembership.Status.REQUESTED
    assert membership.note == "I lead 40 people."
    email = Email.objects.get(key=f"mentoring-group-requested:{membership.pk}")
    assert email.to == coach.email and "I lead 40 people." in email.body_text


def test_a_member_cannot_ask_twice_or_without_a_note(coach, member):
    group = open_test_group(coach)
    with pytest.raises(ValidationError, match="why"):
        groups.request_to_join(group, member=member, note="   ")
    groups.request_to_join(group, member=member, note="Please")
    with pytest.raises(ValidationError, match="already"):
        groups.request_to_join(group, member=member, note="Again")


def test_the_coach_cannot_ask_to_join_their_own_group(coach):
    group = open_test_group(coach)
    with pytest.raises(ValidationError, match="lead"):
        groups.request_to_join(group, member=coach, note="Me")


def test_accepting_emails_the_member_and_asks_for_consent_before_anything_else(coach, member):
    group = open_test_group(coach)
    membership = join(group, member, consent=False)
    assert membership.status == GroupMembership.Status.ACCEPTED
    accepted = Email.objects.get(key=f"mentoring-group-accepted:{membership.pk}")
    assert accepted.to == member.email and "confirm" in accepted.body_text
    # Not in the channel, and no calendar, until they consent.
    assert not SlackChannel.objects.filter(name=group.channel_name).exists()
    assert not Email.objects.filter(to=member.email, key__startswith="mentoring-group-series:")


def test_consenting_adds_the_member_and_the_coach_to_the_private_channel_and_sends_the_series(
    coach, member
):
    group = open_test_group(coach)
    membership = join(group, member)
    channel = SlackChannel.objects.get(name=group.channel_name)
    assert channel.is_private and channel.kind == SlackChannel.Kind.CIRCLE
    assert in_channel(group) == {member.email, coach.email}
    series = Email.objects.get(to=member.email, key__startswith="mentoring-group-series:")
    assert series.attachment_type == "text/calendar; method=REQUEST"
    assert membership.consented_at is not None


def test_only_the_accepted_member_can_consent(coach, member):
    group = open_test_group(coach)
    (other,) = members(1)
    membership = join(group, member, consent=False)
    with pytest.raises(ValidationError):
        groups.consent_to_group(membership, by=other)
    pending = groups.request_to_join(group, member=other, note="Hello")
    with pytest.raises(ValidationError):
        groups.consent_to_group(pending, by=other)
    assert in_channel(group) == set()


def test_declining_tells_the_member_with_the_coachs_reason(coach, member):
    group = open_test_group(coach)
    membership = groups.request_to_join(group, member=member, note="Please")
    groups.decline_request(membership, by=coach, reason="This one is for first-time managers.")
    membership.refresh_from_db()
    assert membership.status == GroupMembership.Status.DECLINED
    email = Email.objects.get(key=f"mentoring-group-declined:{membership.pk}")
    assert "first-time managers" in email.body_text
    # A declined member may ask again later.
    assert groups.request_to_join(group, member=member, note="Again").pk != membership.pk


def test_only_the_coach_decides_and_only_once(coach, member):
    group = open_test_group(coach)
    membership = groups.request_to_join(group, member=member, note="Please")
    with pytest.raises(ValidationError, match="coach"):
        groups.accept_request(membership, by=member)
    groups.accept_request(membership, by=coach)
    with pytest.raises(ValidationError, match="answered"):
        groups.decline_request(membership, by=coach)


def test_a_full_group_refuses_the_next_accept_and_new_requests(coach):
    group = open_test_group(coach, capacity=2)
    first, second, third = members(3)
    waiting = groups.request_to_join(group, member=third, note="Please")
    join(group, first)
    join(group, second)
    with pytest.raises(ValidationError, match="full"):
        groups.accept_request(waiting, by=coach)
    (fourth,) = members(1, start=3)
    with pytest.raises(ValidationError, match="full"):
        groups.request_to_join(group, member=fourth, note="Please")


def test_leaving_takes_the_member_out_of_the_channel_and_cancels_their_calendar(coach, member):
    group = open_test_group(coach)
    membership = join(group, member)
    groups.leave_group(membership, by=member)
    assert in_channel(group) == {coach.email}
    cancel = Email.objects.get(to=member.email, key__startswith="mentoring-group-series-cancelled")
    assert cancel.attachment_type == "text/calendar; method=CANCEL"
    # Their place is free again.
    assert groups.accepted_count(group) == 0


def test_ending_a_group_cancels_what_is_to_come_and_archives_its_channel(coach, member):
    group = open_test_group(coach)
    join(group, member)
    groups.end_group(group, by=coach)
    group.refresh_from_db()
    assert group.ended_at and not group.accepting_requests
    assert not group.sessions.filter(status=GroupSession.Status.PLANNED).exists()
    assert group.slack_channel.archive
    cancelled = Email.objects.filter(key__startswith=f"mentoring-group-series-cancelled:{group.pk}")
    assert set(cancelled.values_list("to", flat=True)) == {coach.email, member.email}
    with pytest.raises(ValidationError, match="not taking"):
        groups.request_to_join(group, member=members(1)[0], note="Too late")


def test_ending_a_group_tells_those_still_waiting_and_closes_their_requests(coach, member):
    group = open_test_group(coach)
    asking, accepted = members(2)
    request = groups.request_to_join(group, member=asking, note="Please")
    waiting = join(group, accepted, consent=False)
    join(group, member)
    groups.end_group(group, by=coach)
    request.refresh_from_db()
    assert request.status == GroupMembership.Status.DECLINED
    closed = Email.objects.filter(key__startswith="mentoring-group-closed:")
    assert sorted(closed.values_list("to", flat=True)) == sorted([asking.email, accepted.email])
    assert all("has ended" in email.body_text for email in closed)
    # Nobody still waiting can take a place in the ended group.
    with pytest.raises(ValidationError, match="ended"):
        groups.consent_to_group(waiting, by=accepted)
    waiting.refresh_from_db()
    assert waiting.consented_at is None
    assert not Email.objects.filter(
        key__startswith=f"mentoring-group-series:{group.pk}:", to=accepted.email
    )


def test_a_member_cannot_end_someone_elses_group(coach, member):
    group = open_test_group(coach)
    with pytest.raises(ValidationError):
        groups.end_group(group, by=member)
    group.refresh_from_db()
    assert group.ended_at is None and group.ics_sequence == 0


def test_a_group_whose_sessions_have_all_passed_is_not_offered_to_join(client_for, coach, member):
    group = open_test_group(coach, sessions=2)  # 2 and 16 March 2027
    assert group.topic in client_for(member).get("/coaching/groups/").content.decode()
    with time_machine.travel(datetime(2027, 3, 20, 9, tzinfo=UTC), tick=False):
        client = client_for(member)  # signed in again: the earlier session has expired by now
        listing = client.get("/coaching/groups/").content.decode()
        assert "Mentoring groups" in listing and group.topic not in listing
        page = client.get(f"/coaching/groups/{group.pk}/join/").content.decode()
        assert "This group is not taking requests to join." in page
        with pytest.raises(ValidationError, match="not taking requests"):
            groups.request_to_join(group, member=member, note="Please")
    assert not GroupMembership.objects.exists()


def test_the_coach_is_told_once_when_an_accepted_member_confirms_and_when_they_leave(coach, member):
    group = open_test_group(coach)
    membership = join(group, member)
    groups.consent_to_group(membership, by=member)  # confirming twice tells the coach once
    confirmed = Email.objects.get(to=coach.email, key__startswith="mentoring-group-confirmed")
    assert (
        str(member) in confirmed.subject and "has confirmed they are joining" in confirmed.body_text
    )
    groups.leave_group(membership, by=member)
    left = Email.objects.get(to=coach.email, key__startswith="mentoring-group-left")
    assert str(member) in left.subject and "Their place is free again." in left.body_text


def test_the_coach_is_told_when_an_accepted_member_leaves_before_confirming(coach, member):
    (asker,) = members(1)
    group = open_test_group(coach)
    membership = join(group, member, consent=False)
    groups.leave_group(membership, by=member)
    left = Email.objects.get(to=coach.email, key__startswith="mentoring-group-left")
    assert "before confirming they were joining" in left.body_text
    # A request withdrawn before the coach answered is not worth an email.
    request = groups.request_to_join(group, member=asker, note="Please")
    groups.leave_group(request, by=asker)
    assert Email.objects.filter(to=coach.email, key__startswith="mentoring-group-left").count() == 1
