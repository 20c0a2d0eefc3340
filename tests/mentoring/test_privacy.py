"""What mentoring gives back in a data export and removes with an account."""

from datetime import UTC, date, datetime

import time_machine

from community import privacy
from community.models import Email
from community.services.account import delete_account
from mentoring.models import AvailabilityException, Booking, CoachProfile
from mentoring.services import followups
from mentoring.services.bookings import book_session
from tests.mentoring.factories import make_coach_profile

SLOT = datetime(2027, 3, 12, 9, tzinfo=UTC)  # Friday 10:00 in Berlin


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


@time_machine.travel(datetime(2027, 3, 10, 8, tzinfo=UTC), tick=False)
def test_the_export_holds_ones_own_notes_and_not_the_other_sides(coach, member):
    profile = make_coach_profile(coach)
    booking = book_session(
        profile, member=member, starts_at=SLOT, minutes=60, agenda="Leaving my job"
    )
    followups.save_note(booking, by=member, text="Mine")
    followups.save_note(booking, by=coach, text="The coach's")
    followups.add_action_item(booking, by=coach, text="Update the CV")
    exported = privacy.export_user(member)["mentoring"]
    assert [note["text"] for note in exported["your_private_notes"]] == ["Mine"]
    assert [item["text"] for item in exported["action_items"]] == ["Update the CV"]


@time_machine.travel(datetime(2027, 3, 10, 8, tzinfo=UTC), tick=False)
def test_deleting_an_account_tells_the_other_side_of_each_upcoming_session(coach, member):
    profile = make_coach_profile(coach)
    member.timezone = "America/New_York"
    member.save(update_fields=["timezone"])
    book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    delete_account(member)
    told = Email.objects.get(key__contains=":account-closed:")
    assert told.to == profile.user.email
    assert "Friday 12 March 2027, 10:00" in told.body_text  # the coach's own zone
    assert "Maya" not in told.body_text + told.subject  # the leaver is not named
    assert not Booking.objects.exists()


@time_machine.travel(datetime(2027, 3, 10, 8, tzinfo=UTC), tick=False)
def test_a_coachs_export_holds_their_availability_and_settings(coach, member):
    profile = make_coach_profile(coach, notice_hours=6, max_per_week=3)
    AvailabilityException.objects.create(coach=profile, day=date(2027, 3, 20), kind="day_off")
    booking = book_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    followups.add_action_item(booking, by=coach, text="Update the CV")
    exported = privacy.export_user(coach)["mentoring"]
    coach_profile = exported["coach_profile"]
    assert {"weekday": "Monday", "from": "09:00", "until": "17:00"} in coach_profile[
        "weekly_windows"
    ]
    assert coach_profile["dates"] == [
        {"day": "2027-03-20", "kind": "Day off", "from": None, "until": None}
    ]
    assert coach_profile["settings"]["notice_hours"] == 6
    assert coach_profile["settings"]["max_per_week"] == 3
    assert exported["action_items"][0]["session_starts_at"] == SLOT.isoformat()


@time_machine.travel(datetime(2027, 3, 10, 8, tzinfo=UTC), tick=False)
def test_the_export_holds_each_intake_answer_with_the_question_asked(coach, member):
    profile = make_coach_profile(coach, intake_question="What would make this a success?")
    book_session(
        profile,
        member=member,
        starts_at=SLOT,
        minutes=60,
        agenda="Leaving my job",
        intake_answer="Knowing when to tell my team",
    )
    profile.intake_question = "Which team do you lead?"
    profile.save(update_fields=["intake_question"])

    (exported,) = privacy.export_user(member)["mentoring"]["bookings"]
    assert exported["intake_question"] == "What would make this a success?"
    assert exported["intake_answer"] == "Knowing when to tell my team"
