"""What mentoring gives back in a data export and removes with an account."""

from datetime import UTC, datetime

import time_machine

from community import privacy
from mentoring.models import Booking, CoachProfile
from mentoring.services.bookings import book_session
from tests.mentoring.factories import make_coach_profile


@time_machine.travel(datetime(2027, 3, 10, 8, tzinfo=UTC), tick=False)
def test_a_members_sessions_are_exported_and_erased_with_them(coach, member):
    profile = make_coach_profile(coach)
    book_session(
        profile,
        member=member,
        starts_at=datetime(2027, 3, 12, 9, tzinfo=UTC),
        minutes=60,
        agenda="Leaving my job",
    )
    parts = {part.name: part for part in privacy.parts()}
    exported = parts["mentoring"].export(member)
    assert [b["what_to_talk_about"] for b in exported["bookings"]] == ["Leaving my job"]
    parts["mentoring"].erase(coach)
    assert not Booking.objects.exists() and not CoachProfile.objects.exists()


@time_machine.travel(datetime(2027, 2, 1, 8, tzinfo=UTC), tick=False)
def test_a_members_place_in_mentoring_groups_is_exported_and_erased_with_them(coach, member):
    from mentoring.models import GroupMembership, MentoringGroup, SessionAttendance
    from mentoring.services import group_sessions
    from tests.mentoring.groups_people import join, open_test_group

    group = open_test_group(coach)
    membership = join(group, member)
    group_sessions.record_rsvp(group.sessions.first(), membership=membership, rsvp="yes")
    parts = {part.name: part for part in privacy.parts()}

    exported = parts["mentoring"].export(member)
    (row,) = exported["group_memberships"]
    assert row["note_to_the_coach"] == "I am about to reorganise."
    assert row["sessions"][0]["rsvp"] == "yes"
    assert parts["mentoring"].export(coach)["groups_led"][0]["topic"] == group.topic

    parts["mentoring"].erase(member)
    assert not GroupMembership.objects.exists() and not SessionAttendance.objects.exists()
    parts["mentoring"].erase(coach)
    assert not MentoringGroup.objects.exists()
