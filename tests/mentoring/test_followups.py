"""After a session: private notes, shared action items; follow-ups a coach books for a member."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from community.models import Email
from mentoring.models import ActionItem, Booking, SessionNote
from mentoring.services import bookings as service
from mentoring.services import followups
from tests.mentoring.factories import NOW, make_other_member
from tests.mentoring.reading import page_text

SLOT = datetime(2027, 3, 12, 9, 0, tzinfo=UTC)  # Friday 10:00 in Berlin, 04:00 in New York


pytestmark = pytest.mark.usefixtures("clock")


def book(profile, member, starts_at=SLOT):
    return service.book_session(
        profile, member=member, starts_at=starts_at, minutes=60, agenda="Hiring my first manager"
    )


def test_each_side_reads_only_their_own_private_notes(client_for, profile, member):
    booking = book(profile, member)
    client_for(profile.user).post(
        f"/coaching/sessions/{booking.pk}/note/", {"note-text": "Coach only"}
    )
    client_for(member).post(f"/coaching/sessions/{booking.pk}/note/", {"note-text": "Member only"})
    assert SessionNote.objects.count() == 2
    members_page = client_for(member).get(f"/coaching/sessions/{booking.pk}/").content.decode()
    assert "Member only" in members_page and "Coach only" not in members_page
    coachs_page = client_for(profile.user).get(f"/coaching/sessions/{booking.pk}/").content.decode()
    assert "Coach only" in coachs_page and "Member only" not in coachs_page


def test_a_coach_cannot_see_or_write_another_coachs_notes(client_for, profile, member):
    from tests.conftest import make_user

    booking = book(profile, member)
    followups.save_note(booking, by=profile.user, text="Struggling with a redundancy")
    other_coach = make_user("other-coach@example.com", name="Olga Coach", groups=["Coaches"])
    client = client_for(other_coach)
    assert client.get(f"/coaching/sessions/{booking.pk}/").status_code == 404
    assert (
        client.post(f"/coaching/sessions/{booking.pk}/note/", {"note-text": "x"}).status_code == 404
    )
    with pytest.raises(ValidationError):
        followups.save_note(booking, by=other_coach, text="Mine now")
    assert list(SessionNote.objects.values_list("text", flat=True)) == [
        "Struggling with a redundancy"
    ]


def test_emptying_a_note_removes_it(profile, member):
    booking = book(profile, member)
    followups.save_note(booking, by=member, text="Ask about levels")
    followups.save_note(booking, by=member, text="  ")
    assert not SessionNote.objects.exists()


def test_an_action_item_sent_twice_is_listed_once(client_for, profile, member):
    booking = book(profile, member)
    client = client_for(member)
    url = f"/coaching/sessions/{booking.pk}/action-items/"
    client.post(url, {"item-text": "Write the hiring plan"})
    client.post(url, {"item-text": "Write the hiring plan "})
    assert list(ActionItem.objects.values_list("text", flat=True)) == ["Write the hiring plan"]


def test_action_items_come_back_on_the_next_booking_with_that_coach(
    client_for, profile, member, clock
):
    first = book(profile, member)
    clock.move_to(SLOT + timedelta(minutes=70))
    service.record_outcome(first, by=profile.user, status=Booking.Status.HELD)
    client_for(profile.user).post(
        f"/coaching/sessions/{first.pk}/action-items/", {"item-text": "Write the hiring plan"}
    )
    followups.add_action_item(first, by=member, text="Read the ladder draft")
    later = book(profile, member, starts_at=SLOT + timedelta(days=7))
    page = client_for(member).get(f"/coaching/sessions/{later.pk}/").content.decode()
    assert "Action items from your earlier sessions" in page
    assert "Write the hiring plan" in page and "Read the ladder draft" in page


def test_action_items_stay_between_the_coach_and_that_member(client_for, profile, member):
    other = make_other_member("other@example.com")
    theirs = book(profile, other)
    followups.add_action_item(theirs, by=profile.user, text="Their secret plan")
    mine = book(profile, member, starts_at=SLOT + timedelta(days=7))
    page = client_for(member).get(f"/coaching/sessions/{mine.pk}/").content.decode()
    assert "Their secret plan" not in page
    assert client_for(member).get(f"/coaching/sessions/{theirs.pk}/").status_code == 404
    assert (
        client_for(member)
        .post(f"/coaching/sessions/{theirs.pk}/action-items/", {"item-text": "x"})
        .status_code
        == 404
    )
    assert ActionItem.objects.count() == 1


def done_url(booking, item) -> str:
    return f"/coaching/sessions/{booking.pk}/action-items/{item.pk}/done/"


def test_either_side_ticks_an_item_off_and_undoes_it_and_the_other_sees_who_and_when(
    client_for, profile, member, clock
):
    booking = book(profile, member)
    item = followups.add_action_item(booking, by=profile.user, text="Write the hiring plan")
    client_for(member).post(done_url(booking, item), {"done": "yes"})
    item.refresh_from_db()
    assert (item.done_by, item.done_at) == (member, NOW)
    coachs_page = client_for(profile.user).get(booking.get_absolute_url()).content.decode()
    # The coach lives in Berlin: 08:00 UTC is 09:00 there.
    assert "<s>Write the hiring plan</s>" in coachs_page
    assert "Done by Maya Member, <time" in coachs_page and "10 March 2027, 09:00 CET" in coachs_page
    client_for(profile.user).post(done_url(booking, item), {"done": "no"})
    item.refresh_from_db()
    assert (item.done_by, item.done_at) == (None, None)
    clock.move_to(NOW + timedelta(hours=1))
    client_for(profile.user).post(done_url(booking, item), {"done": "yes"})
    item.refresh_from_db()
    assert (item.done_by, item.done_at) == (profile.user, NOW + timedelta(hours=1))
    members_page = client_for(member).get(booking.get_absolute_url()).content.decode()
    assert "Done by Colin Coach" in members_page


def test_ticking_a_done_item_again_keeps_who_ticked_it_and_when(profile, member, clock):
    booking = book(profile, member)
    item = followups.add_action_item(booking, by=member, text="Read the ladder draft")
    followups.set_action_item_done(booking, by=member, item_id=item.pk, done=True)
    clock.move_to(NOW + timedelta(days=1))
    followups.set_action_item_done(booking, by=profile.user, item_id=item.pk, done=True)
    item.refresh_from_db()
    assert (item.done_by, item.done_at) == (member, NOW)


def test_nobody_but_the_two_sides_can_tick_an_item_off(client_for, profile, member):
    from tests.conftest import make_user

    booking = book(profile, member)
    item = followups.add_action_item(booking, by=member, text="Read the ladder draft")
    third_member = make_other_member("third@example.com")
    other_coach = make_user("other-coach@example.com", name="Olga Coach", groups=["Coaches"])
    for outsider in (third_member, other_coach):
        response = client_for(outsider).post(done_url(booking, item), {"done": "yes"})
        assert response.status_code == 404
        with pytest.raises(ValidationError):
            followups.set_action_item_done(booking, by=outsider, item_id=item.pk, done=True)
    item.refresh_from_db()
    assert item.done_at is None and item.done_by is None


def test_an_item_of_another_booking_cannot_be_ticked_through_ones_own(client_for, profile, member):
    other = make_other_member("other@example.com")
    theirs = book(profile, other, starts_at=SLOT + timedelta(days=1))
    their_item = followups.add_action_item(theirs, by=other, text="Their secret plan")
    mine = book(profile, member, starts_at=SLOT + timedelta(days=7))
    client = client_for(member)
    response = client.post(done_url(mine, their_item), {"done": "yes"}, follow=True)
    assert "not one of this session" in response.content.decode()
    followups.set_action_item_done(theirs, by=other, item_id=their_item.pk, done=True)
    client_for(profile.user).post(done_url(mine, their_item), {"done": "no"})
    their_item.refresh_from_db()
    assert their_item.done_by == other  # the coach's crafted undo through another booking failed


def test_an_unreadable_tick_changes_nothing(client_for, profile, member):
    booking = book(profile, member)
    item = followups.add_action_item(booking, by=member, text="Read the ladder draft")
    response = client_for(member).post(done_url(booking, item), {"done": "maybe"}, follow=True)
    assert "Select a valid choice" in response.content.decode()
    item.refresh_from_db()
    assert item.done_at is None


def test_the_next_booking_lists_open_items_first_and_ticks_them_off(
    client_for, profile, member, clock
):
    first = book(profile, member)
    plan, ladder, budget = (
        followups.add_action_item(first, by=profile.user, text=text)
        for text in ("Write the hiring plan", "Read the ladder draft", "Ask for the budget")
    )
    followups.set_action_item_done(first, by=member, item_id=plan.pk, done=True)
    clock.move_to(SLOT + timedelta(minutes=70))
    service.record_outcome(first, by=profile.user, status=Booking.Status.HELD)
    later = book(profile, member, starts_at=SLOT + timedelta(days=7))
    client = client_for(member)
    client.post(done_url(later, budget), {"done": "yes"})
    budget.refresh_from_db()
    assert budget.done_by == member
    page = client.get(later.get_absolute_url()).content.decode()
    earlier = page.split("Action items from your earlier sessions")[1]
    assert earlier.index("Read the ladder draft") < earlier.index("Write the hiring plan")
    assert earlier.index("Read the ladder draft") < earlier.index("Ask for the budget")
    assert earlier.count("Done by you") == 2


def test_a_cancelled_session_takes_no_action_items(profile, member):
    booking = book(profile, member)
    service.cancel_booking(booking, by=member)
    with pytest.raises(ValidationError):
        followups.add_action_item(booking, by=member, text="Too late")


def test_a_coach_offers_a_follow_up_and_the_member_is_emailed_with_the_invitation(
    client_for, profile, member
):
    member.timezone = "America/New_York"
    member.save(update_fields=["timezone"])
    response = client_for(profile.user).post(
        f"/coaching/members/{member.pk}/offer/",
        {"starts_at": SLOT.isoformat(), "minutes": 60, "agenda": "Follow up on the plan"},
    )
    booking = Booking.objects.get()
    assert response.headers["Location"] == f"/coaching/sessions/{booking.pk}/"
    assert booking.offered_by == profile.user and booking.member == member
    email = Email.objects.get(to=member.email)
    assert "booked a follow-up" in email.subject
    assert "Friday 12 March 2027, 04:00" in email.body_text
    assert "METHOD:REQUEST" in email.attachment_text


def test_an_offer_sent_twice_leads_both_times_to_the_one_follow_up(client_for, profile, member):
    client = client_for(profile.user)
    url = f"/coaching/members/{member.pk}/offer/"
    data = {"starts_at": SLOT.isoformat(), "minutes": 60, "agenda": "Follow up on the plan"}
    client.post(url, data)
    response = client.post(url, data, follow=True)
    booking = Booking.objects.get()
    assert response.redirect_chain == [(f"/coaching/sessions/{booking.pk}/", 302)]
    assert "This follow-up is already booked." in page_text(response)
    assert Email.objects.filter(to=member.email).count() == 1


def test_an_offered_time_must_be_open(profile, member):
    other = make_other_member("other@example.com")
    book(profile, other)
    with pytest.raises(service.SlotTaken):
        service.offer_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    with pytest.raises(ValidationError):
        service.offer_session(
            profile,
            member=member,
            starts_at=datetime(2027, 3, 12, 20, tzinfo=UTC),
            minutes=60,
            agenda="Outside the windows",
        )


def test_the_member_declines_an_offer_even_inside_the_notice_window(
    client_for, profile, member, clock
):
    booking = service.offer_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    clock.move_to(SLOT - timedelta(hours=3))
    page = client_for(member).get(f"/coaching/sessions/{booking.pk}/").content.decode()
    assert "Decline the follow-up" in page
    client_for(member).post(f"/coaching/sessions/{booking.pk}/cancel/", {"reason": ""})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert Email.objects.filter(to=profile.user.email, key__contains=":cancelled:").exists()


def test_the_coach_offers_from_the_members_profile(client_for, profile, member):
    page = client_for(profile.user).get(f"/members/{member.member.pk}/").content.decode()
    assert f"/coaching/members/{member.pk}/offer/" in page
    offer_page = client_for(profile.user).get(f"/coaching/members/{member.pk}/offer/?minutes=60")
    assert "Friday 12 March" in offer_page.content.decode()


def test_a_coach_cannot_reach_a_member_who_keeps_out_of_the_directory_and_never_met_them(
    client_for, profile, member
):
    member.member.listed_in_directory = False
    member.member.save(update_fields=["listed_in_directory"])
    client = client_for(profile.user)
    url = f"/coaching/members/{member.pk}/offer/"
    assert client.get(url).status_code == 404
    response = client.post(url, {"starts_at": SLOT.isoformat(), "minutes": 60, "agenda": "x"})
    assert response.status_code == 404 and not Booking.objects.exists()
    book(profile, member)  # once they have had a session, the coach may offer the next one
    assert member.get_full_name() in client.get(url).content.decode()


def test_a_declined_follow_up_no_longer_invites_the_member_to_move_or_decline_it(
    client_for, profile, member
):
    booking = service.offer_session(profile, member=member, starts_at=SLOT, minutes=60, agenda="x")
    client = client_for(member)
    assert "move or decline it" in client.get(f"/coaching/sessions/{booking.pk}/").content.decode()
    service.cancel_booking(booking, by=member)
    page = client.get(f"/coaching/sessions/{booking.pk}/").content.decode()
    assert "move or decline it" not in page


def test_the_offer_page_says_whose_timezone_the_times_are_in(client_for, profile, member):
    member.timezone = "America/New_York"
    member.save(update_fields=["timezone"])
    page = client_for(profile.user).get(f"/coaching/members/{member.pk}/offer/")
    text = page_text(page)
    assert "Times are in your timezone, Europe/Berlin" in text
    assert f"{member} is in America/New_York" in text


@pytest.mark.parametrize("minutes", ["7", "99999999999999999999", "\x00"])
def test_an_offer_of_a_length_that_does_not_exist_is_refused_with_the_reason(
    client_for, profile, member, minutes
):
    response = client_for(profile.user).post(
        f"/coaching/members/{member.pk}/offer/",
        {"starts_at": SLOT.isoformat(), "minutes": minutes, "agenda": "Next steps"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Booking.objects.exists()


def test_the_offer_page_shows_four_weeks_at_a_time_up_to_the_horizon(client_for, profile, member):
    profile.horizon_days = 70
    profile.save(update_fields=["horizon_days"])
    client = client_for(profile.user)
    url = f"/coaching/members/{member.pk}/offer/"
    page = client.get(f"{url}?minutes=60").content.decode()
    assert "Weeks 1–4" in page and "Friday 12 March" in page and "Friday 14 May" not in page
    assert 'href="?minutes=60&amp;page=2" rel="next">Later times</a>' in page
    page = client.get(f"{url}?minutes=60&page=3").content.decode()
    assert "Weeks 9–12" in page and "Friday 14 May" in page and "Friday 12 March" not in page
    later = datetime(2027, 5, 14, 8, 0, tzinfo=UTC)  # 10:00 in Berlin
    response = client.post(
        f"{url}?minutes=60&page=3",
        {"starts_at": later.isoformat(), "minutes": 60, "agenda": "Next steps"},
    )
    assert response.status_code == 302
    assert Booking.objects.get(member=member).starts_at == later
