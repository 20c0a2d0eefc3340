"""Booking, moving, cancelling and closing sessions; the emails, reminders and invitations."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar

from community.models import Email
from mentoring.calendar import booking_ics
from mentoring.models import Booking
from mentoring.services import bookings as service
from mentoring.services.availability import open_slots_for
from mentoring.services.reminders import send_due_reminders
from tests.mentoring.factories import NOW, make_booking, make_other_member

SLOT = datetime(2027, 3, 12, 9, 0, tzinfo=UTC)  # Friday 10:00 in Berlin


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def new_yorker(member):
    member.timezone = "America/New_York"
    member.save(update_fields=["timezone"])
    return member


def book(profile, member, starts_at=SLOT, minutes=60):
    return service.book_session(
        profile,
        member=member,
        starts_at=starts_at,
        minutes=minutes,
        agenda="Hiring my first manager",
    )


def test_a_member_books_an_open_slot_and_both_sides_are_emailed(profile, new_yorker):
    booking = book(profile, new_yorker)
    assert (booking.starts_at, booking.ends_at) == (SLOT, SLOT + timedelta(hours=1))
    emails = {email.to: email for email in Email.objects.all()}
    assert set(emails) == {new_yorker.email, profile.user.email}
    # Each side reads the time in their own zone: 04:00 in New York, 10:00 in Berlin.
    assert "Friday 12 March 2027, 04:00" in emails[new_yorker.email].body_text
    assert "Friday 12 March 2027, 10:00" in emails[profile.user.email].body_text
    assert "/coaching/invitations/" in emails[new_yorker.email].body_text


def test_booking_the_same_request_twice_finds_the_first_booking_and_emails_nobody_again(
    profile, new_yorker, settings
):
    settings.MENTORING_MAX_UPCOMING = 1
    first = book(profile, new_yorker)
    with pytest.raises(service.AlreadyBooked) as refusal:
        book(profile, new_yorker)
    assert refusal.value.booking == first
    assert "already booked this time" in refusal.value.messages[0]
    assert Booking.objects.count() == 1 and Email.objects.count() == 2


def test_another_member_asking_for_a_booked_time_gets_the_next_free_times(profile, new_yorker):
    book(profile, new_yorker)
    with pytest.raises(service.SlotTaken) as refusal:
        book(profile, make_other_member("olga@example.com"))
    assert "no longer open" in refusal.value.messages[0]
    assert refusal.value.next_slots and SLOT not in refusal.value.next_slots


@pytest.mark.parametrize(
    "starts_at, minutes",
    [
        (SLOT + timedelta(minutes=10), 60),  # not a slot boundary
        (datetime(2027, 3, 12, 20, tzinfo=UTC), 60),  # outside availability
        (NOW + timedelta(minutes=30), 30),  # under the minimum notice
        (NOW - timedelta(days=1), 60),  # in the past
        (NOW + timedelta(days=90), 60),  # beyond the horizon
        (SLOT, 45),  # a length the coach does not offer
    ],
)
def test_a_crafted_request_outside_the_rules_is_refused(profile, member, starts_at, minutes):
    with pytest.raises(ValidationError):
        book(profile, member, starts_at, minutes)
    assert not Booking.objects.exists()


def test_the_buffer_after_a_session_cannot_be_booked(profile, member, outsider):
    profile.buffer_after_minutes = 15
    profile.save()
    book(profile, member)
    from tests.mentoring.factories import make_other_member

    other = make_other_member("second@example.com")
    with pytest.raises(service.SlotTaken):
        book(profile, other, SLOT + timedelta(hours=1))
    assert book(profile, other, SLOT + timedelta(hours=1, minutes=30)).pk


def test_a_member_cannot_hold_more_upcoming_sessions_than_the_allowance(profile, member, settings):
    settings.MENTORING_MAX_UPCOMING = 1
    book(profile, member)
    with pytest.raises(ValidationError, match="upcoming sessions"):
        book(profile, member, SLOT + timedelta(days=1))


def test_a_member_cannot_book_more_sessions_in_a_month_than_the_allowance(
    profile, member, settings
):
    settings.MENTORING_MAX_PER_MONTH = 1
    book(profile, member)
    with pytest.raises(ValidationError, match="sessions for that month"):
        book(profile, member, SLOT + timedelta(days=1))
    assert book(profile, member, datetime(2027, 4, 2, 8, tzinfo=UTC)).pk  # April is a new month


def test_a_member_reschedules_and_keeps_the_same_calendar_event(profile, new_yorker):
    booking = book(profile, new_yorker)
    moved = service.reschedule_booking(booking, by=new_yorker, starts_at=SLOT + timedelta(days=1))
    assert (moved.pk, moved.sequence, moved.rescheduled_from) == (booking.pk, 1, SLOT)
    told = Email.objects.filter(key__contains=":rescheduled:1:")
    assert set(told.values_list("to", flat=True)) == {new_yorker.email, profile.user.email}
    coach_email = told.get(to=profile.user.email)
    assert "has moved your session" in coach_email.body_text
    assert "Saturday 13 March 2027, 10:00" in coach_email.body_text


def test_a_member_cannot_cancel_inside_the_notice_window(profile, member, clock):
    booking = book(profile, member)
    clock.move_to(SLOT - timedelta(hours=23))
    with pytest.raises(ValidationError, match="up to 24 hours before"):
        service.cancel_booking(booking, by=member)
    with pytest.raises(ValidationError, match="up to 24 hours before"):
        service.reschedule_booking(booking, by=member, starts_at=SLOT + timedelta(days=1))


def test_a_member_cancels_in_time_and_the_coach_is_told(profile, member):
    booking = book(profile, member)
    cancelled = service.cancel_booking(booking, by=member)
    assert (cancelled.status, cancelled.sequence) == (Booking.Status.CANCELLED, 1)
    coach_email = Email.objects.get(to=profile.user.email, key__contains=":cancelled:")
    assert "has cancelled your session" in coach_email.body_text
    assert book(profile, member).pk  # the time is free again


def test_a_coach_may_cancel_late_but_only_with_a_reason(profile, member, clock):
    booking = book(profile, member)
    clock.move_to(SLOT - timedelta(hours=1))
    with pytest.raises(ValidationError, match="Say why"):
        service.cancel_booking(booking, by=profile.user)
    service.cancel_booking(booking, by=profile.user, reason="I am ill")
    member_email = Email.objects.get(to=member.email, key__contains=":cancelled:")
    assert "Reason: I am ill" in member_email.body_text


def test_someone_else_cannot_change_a_booking(profile, member, outsider):
    booking = book(profile, member)
    with pytest.raises(ValidationError):
        service.cancel_booking(booking, by=outsider, reason="no")


def test_the_coach_marks_a_session_held_or_the_member_absent_after_it_starts(
    profile, member, clock
):
    booking = book(profile, member)
    with pytest.raises(ValidationError, match="once the session has started"):
        service.record_outcome(booking, by=profile.user, status=Booking.Status.HELD)
    clock.move_to(SLOT + timedelta(minutes=5))
    with pytest.raises(ValidationError):
        service.record_outcome(booking, by=member, status=Booking.Status.HELD)
    service.record_outcome(booking, by=profile.user, status=Booking.Status.MEMBER_NO_SHOW)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.MEMBER_NO_SHOW


def test_a_member_cannot_wipe_the_no_show_the_coach_recorded(profile, member, clock):
    booking = book(profile, member)
    clock.move_to(SLOT + timedelta(minutes=70))
    service.record_outcome(booking, by=profile.user, status=Booking.Status.MEMBER_NO_SHOW)
    with pytest.raises(ValidationError, match="already recorded how this session went"):
        service.record_outcome(booking, by=member, status=Booking.Status.COACH_NO_SHOW)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.MEMBER_NO_SHOW
    # The coach may still correct their own record.
    service.record_outcome(booking, by=profile.user, status=Booking.Status.HELD)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.HELD


def test_a_coach_cannot_overwrite_the_member_saying_they_did_not_come(profile, member, clock):
    booking = book(profile, member)
    clock.move_to(SLOT + timedelta(minutes=70))
    service.record_outcome(booking, by=member, status=Booking.Status.COACH_NO_SHOW)
    with pytest.raises(ValidationError, match="write to the organizers"):
        service.record_outcome(booking, by=profile.user, status=Booking.Status.HELD)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COACH_NO_SHOW


def test_each_reminder_is_sent_once_to_both_sides(profile, member, clock):
    booking = book(profile, member)
    clock.move_to(SLOT - timedelta(hours=23))
    assert send_due_reminders() == 1
    assert send_due_reminders() == 0  # a second sweep sends nothing
    clock.move_to(SLOT - timedelta(minutes=50))
    assert send_due_reminders() == 1
    assert send_due_reminders() == 0
    keys = sorted(Email.objects.filter(key__contains="reminder").values_list("key", flat=True))
    assert keys == sorted(
        f"mentoring:{booking.pk}:reminder-{hours}h:0:{side}"
        for hours in (1, 24)
        for side in ("coach", "member")
    )


def test_a_session_booked_late_gets_only_the_reminders_still_ahead(profile, member):
    book(profile, member, NOW + timedelta(hours=5))
    assert send_due_reminders() == 0


def test_the_invitation_keeps_its_uid_grows_its_sequence_and_cancels(profile, new_yorker):
    booking = book(profile, new_yorker)
    first = Calendar.from_ical(booking_ics(booking, method="REQUEST"))
    moved = service.reschedule_booking(booking, by=new_yorker, starts_at=SLOT + timedelta(days=1))
    second = Calendar.from_ical(booking_ics(moved, method="REQUEST"))
    cancelled = service.cancel_booking(moved, by=new_yorker)
    third = Calendar.from_ical(booking_ics(cancelled, method="CANCEL"))
    events = [calendar.walk("VEVENT")[0] for calendar in (first, second, third)]
    assert len({str(event["UID"]) for event in events}) == 1
    assert [int(event["SEQUENCE"]) for event in events] == [0, 1, 2]
    assert str(third["METHOD"]) == "CANCEL" and str(events[2]["STATUS"]) == "CANCELLED"
    start = events[1].decoded("DTSTART")
    assert (str(start.tzinfo), start.hour) == ("Europe/Berlin", 10)
    assert [str(tz["TZID"]) for tz in second.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_both_sides_get_the_invitation_attached_and_the_cancellation_too(profile, new_yorker):
    booking = service.cancel_booking(book(profile, new_yorker), by=new_yorker)

    booked = Email.objects.filter(key__startswith=f"mentoring:{booking.pk}:booked:")
    cancelled = Email.objects.filter(key__startswith=f"mentoring:{booking.pk}:cancelled:")
    assert booked.count() == cancelled.count() == 2
    for email in booked:
        event = Calendar.from_ical(email.attachment_text).walk("VEVENT")[0]
        assert email.attachment_name == "session.ics" and str(event["UID"])
    assert all("METHOD:CANCEL" in email.attachment_text for email in cancelled)


def test_the_invitation_link_works_only_for_the_two_people_of_the_booking(client, profile, member):
    from mentoring.calendar import ics_token

    booking = book(profile, member)
    response = client.get(f"/coaching/invitations/{ics_token(booking, member)}.ics")
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.content
    assert client.get("/coaching/invitations/forged.ics").status_code == 404


def an_earlier_session(profile, member, *, starts_at, status=Booking.Status.HELD) -> Booking:
    return make_booking(profile, member, starts_at, agenda="Earlier", status=status)


def test_a_session_earlier_today_counts_towards_the_coachs_daily_limit(profile, member):
    profile.max_per_day = 1
    profile.save(update_fields=["max_per_day"])
    an_earlier_session(profile, member, starts_at=NOW - timedelta(hours=1))  # 08:00 in Berlin
    open_times = open_slots_for(profile, minutes=60, weeks=1)
    assert open_times and open_times[0].date() == NOW.date() + timedelta(days=1)
    with pytest.raises(service.SlotTaken):
        book(profile, make_other_member("later@example.com"), starts_at=NOW + timedelta(hours=5))


def test_a_session_earlier_in_the_week_counts_towards_the_coachs_weekly_limit(profile, member):
    profile.max_per_week = 1
    profile.save(update_fields=["max_per_week"])
    monday = datetime(2027, 3, 8, 9, 0, tzinfo=UTC)
    an_earlier_session(profile, member, starts_at=monday)
    open_times = open_slots_for(profile, minutes=60, weeks=2)
    assert open_times and open_times[0].date() == date(2027, 3, 15)  # the Monday after


def test_an_intake_answer_stays_under_the_question_it_answered(client_for, profile, member):
    profile.intake_question = "What would make this session a success?"
    profile.save(update_fields=["intake_question"])
    booking = service.book_session(
        profile,
        member=member,
        starts_at=SLOT,
        minutes=60,
        agenda="Hiring my first manager",
        intake_answer="A plan for the interviews",
    )
    profile.intake_question = "Which team do you lead?"
    profile.save(update_fields=["intake_question"])

    for person in (member, profile.user):
        page = client_for(person).get(f"/coaching/sessions/{booking.pk}/").content.decode()
        assert "What would make this session a success?" in page
        assert "Which team do you lead?" not in page
        assert "A plan for the interviews" in page
