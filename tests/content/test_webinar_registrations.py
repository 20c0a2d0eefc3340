"""Registering for webinars: who may, capacity and the waitlist, the invitation's ICS, changes."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from community.models import Email
from content.models import Registration, Webinar
from content.services.webinar_editing import cancel_webinar, save_webinar
from content.services.webinars import cancel_registration, register_for_webinar
from tests.conftest import make_member, make_user
from tests.content.factories import make_members_webinar, make_webinar

pytestmark = pytest.mark.django_db


def other_member(n: int):
    user = make_user(f"person{n}@example.com", name=f"Person {n}")
    make_member(user, company=f"Company {n}")
    return user


def invitation_of(email: Email):
    calendar = Calendar.from_ical(email.attachment_text)
    event = next(iter(calendar.walk("VEVENT")))
    return calendar, event


def emails_to(user) -> list[Email]:
    return list(Email.objects.filter(to=user.email).order_by("pk"))


def test_a_member_registers_and_gets_the_invitation_with_the_join_link(member):
    webinar = make_webinar()
    registration = register_for_webinar(webinar, user=member)
    assert registration.status == Registration.Status.REGISTERED
    [email] = emails_to(member)
    assert webinar.join_url in email.body_text
    calendar, event = invitation_of(email)
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == registration.ics_uid()
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == webinar.starts_at


def test_the_invitation_is_written_in_the_registrants_timezone(member):
    member.timezone = "Asia/Tokyo"
    member.save(update_fields=["timezone"])
    email_text = invitation_of_registration(member)
    assert "DTSTART;TZID=Asia/Tokyo" in email_text
    assert "BEGIN:VTIMEZONE" in email_text


def invitation_of_registration(user) -> str:
    register_for_webinar(make_webinar(), user=user)
    return emails_to(user)[0].attachment_text


def test_registering_twice_keeps_one_registration_and_one_email(member):
    webinar = make_webinar()
    first = register_for_webinar(webinar, user=member)
    again = register_for_webinar(webinar, user=member)
    assert first.pk == again.pk
    assert len(emails_to(member)) == 1


def test_an_outsider_with_a_verified_account_registers_for_a_public_webinar_only(outsider):
    assert register_for_webinar(make_webinar(), user=outsider).is_registered
    with pytest.raises(ValidationError, match="for members"):
        register_for_webinar(make_members_webinar(), user=outsider)


def test_an_unverified_account_cannot_register_for_a_public_webinar(db):
    user = make_user("unverified@example.com")
    user.emailaddress_set.update(verified=False)
    with pytest.raises(ValidationError):
        register_for_webinar(make_webinar(), user=user)


def test_nobody_registers_for_a_draft_or_a_started_webinar(member):
    with pytest.raises(ValidationError, match="closed"):
        register_for_webinar(make_webinar(state=Webinar.State.DRAFT), user=member)
    with pytest.raises(ValidationError, match="closed"):
        register_for_webinar(make_webinar(starts_in_days=-0.01), user=member)


def test_a_full_webinar_puts_the_next_person_on_the_waitlist_without_an_invitation(member):
    webinar = make_webinar(capacity=1)
    register_for_webinar(webinar, user=other_member(1))
    registration = register_for_webinar(webinar, user=member)
    assert registration.status == Registration.Status.WAITLISTED
    [email] = emails_to(member)
    assert "waitlist" in email.body_text
    assert email.attachment_text == "" and webinar.join_url not in email.body_text


def test_a_cancelled_place_goes_to_the_first_on_the_waitlist_who_is_emailed(member):
    webinar = make_webinar(capacity=1)
    first, second, third = other_member(1), other_member(2), other_member(3)
    taken = register_for_webinar(webinar, user=first)
    register_for_webinar(webinar, user=second)
    register_for_webinar(webinar, user=third)
    cancel_registration(taken, by=first)
    statuses = dict(webinar.registrations.values_list("user__email", "status"))
    assert statuses == {
        first.email: Registration.Status.CANCELLED,
        second.email: Registration.Status.REGISTERED,
        third.email: Registration.Status.WAITLISTED,
    }
    promoted = emails_to(second)[-1]
    assert "A place opened" in promoted.subject
    assert webinar.join_url in promoted.body_text
    assert invitation_of(promoted)[0]["METHOD"] == "REQUEST"


def test_cancelling_a_registration_sends_a_cancel_with_the_same_uid_and_a_higher_sequence(member):
    registration = register_for_webinar(make_webinar(), user=member)
    cancel_registration(registration, by=member)
    request, cancel = (invitation_of(email) for email in emails_to(member))
    assert cancel[0]["METHOD"] == "CANCEL"
    assert cancel[1]["UID"] == request[1]["UID"]
    assert cancel[1]["SEQUENCE"] == request[1]["SEQUENCE"] + 1
    assert cancel[1]["STATUS"] == "CANCELLED"


def test_leaving_the_waitlist_is_told_as_such_with_no_calendar_file(client_for, member):
    webinar = make_webinar(capacity=1)
    register_for_webinar(webinar, user=other_member(1))
    register_for_webinar(webinar, user=member)  # waitlisted
    url = reverse("content:webinar_cancel_registration", args=[webinar.slug])
    page = client_for(member).post(url, follow=True).content.decode()
    left = emails_to(member)[-1]
    assert left.subject == f"Left the waitlist: {webinar.title}"
    assert "left the waitlist" in left.body_text and "attached" not in left.body_text
    assert not left.attachment_text
    assert "You have left the waitlist." in page and "take your place" not in page


def test_registering_again_after_cancelling_reuses_the_event_with_a_newer_sequence(member):
    webinar = make_webinar()
    registration = register_for_webinar(webinar, user=member)
    cancel_registration(registration, by=member)
    again = register_for_webinar(webinar, user=member)
    assert again.pk == registration.pk and again.is_registered
    sequences = [invitation_of(email)[1]["SEQUENCE"] for email in emails_to(member)]
    assert sequences == [0, 1, 2]


def test_a_new_time_sends_the_registered_an_update_with_sequence_plus_one(member):
    webinar = make_webinar()
    register_for_webinar(webinar, user=member)
    webinar.starts_at += timedelta(hours=2)
    save_webinar(webinar, saved_by=None)
    update = emails_to(member)[-1]
    calendar, event = invitation_of(update)
    assert "Changed" in update.subject
    assert calendar["METHOD"] == "REQUEST" and event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == webinar.starts_at


def test_the_waiting_hear_of_a_new_time_but_not_of_a_new_title(member):
    webinar = make_webinar(capacity=1)
    register_for_webinar(webinar, user=other_member(1))
    assert not register_for_webinar(webinar, user=member).is_registered
    webinar.title = "Hiring loops, revisited"
    save_webinar(webinar, saved_by=None)
    assert len(emails_to(member)) == 1  # the waitlist confirmation only
    webinar.starts_at += timedelta(days=1)
    save_webinar(webinar, saved_by=None)
    note = emails_to(member)[-1]
    assert note.subject.startswith("New time: Hiring loops, revisited")
    assert "still on its waitlist" in note.body_text and not note.attachment_text
    waiting = Registration.objects.get(webinar=webinar, user=member)
    assert waiting.status == Registration.Status.WAITLISTED


def test_saving_without_a_change_of_time_or_link_sends_nothing(member):
    webinar = make_webinar()
    register_for_webinar(webinar, user=member)
    webinar.summary = "A better summary."
    save_webinar(webinar, saved_by=None)
    assert len(emails_to(member)) == 1


def test_editing_a_webinar_after_it_took_place_sends_the_registered_nothing(member):
    webinar = make_webinar()
    register_for_webinar(webinar, user=member)
    with time_machine.travel(webinar.starts_at + timedelta(days=1)):
        webinar.title = "Leading through a reorganisation (recording)"
        webinar.join_url = ""
        save_webinar(webinar, saved_by=None)
    assert len(emails_to(member)) == 1


def test_a_webinar_moved_into_the_past_by_mistake_still_tells_the_registered(member):
    webinar = make_webinar()
    register_for_webinar(webinar, user=member)
    webinar.starts_at = timezone.now() - timedelta(days=1)
    save_webinar(webinar, saved_by=None)
    assert "Changed" in emails_to(member)[-1].subject


def test_a_webinar_that_has_taken_place_cannot_be_cancelled(client_for, editor, member):
    webinar = make_webinar()
    register_for_webinar(webinar, user=member)
    with time_machine.travel(webinar.starts_at + timedelta(days=1)):
        page = client_for(editor).get(f"/write/webinars/{webinar.pk}/").content.decode()
        assert "Cancel the webinar" not in page and "It has taken place" in page
        with pytest.raises(ValidationError, match="has taken place"):
            cancel_webinar(webinar, by=None)
    webinar.refresh_from_db()
    assert webinar.state == Webinar.State.SCHEDULED
    assert len(emails_to(member)) == 1


def test_a_larger_capacity_lets_the_waiting_in(member):
    webinar = make_webinar(capacity=1)
    register_for_webinar(webinar, user=other_member(1))
    assert not register_for_webinar(webinar, user=member).is_registered
    webinar.capacity = 2
    save_webinar(webinar, saved_by=None)
    assert Registration.objects.get(user=member).is_registered


def test_cancelling_the_webinar_sends_every_registered_person_a_cancel(member):
    webinar = make_webinar(capacity=1)
    waiting = other_member(1)
    register_for_webinar(webinar, user=member)
    register_for_webinar(webinar, user=waiting)
    cancel_webinar(webinar, by=None)
    cancel = emails_to(member)[-1]
    assert invitation_of(cancel)[0]["METHOD"] == "CANCEL"
    assert invitation_of(cancel)[1]["SEQUENCE"] == 1
    assert "waitlist" in emails_to(waiting)[-1].body_text
    assert emails_to(waiting)[-1].attachment_text == ""


def test_a_place_cannot_be_given_up_once_the_webinar_has_started(member):
    webinar = make_webinar(capacity=1)
    waiting = other_member(1)
    registration = register_for_webinar(webinar, user=member)
    register_for_webinar(webinar, user=waiting)
    sent = Email.objects.count()
    with time_machine.travel(webinar.starts_at + timedelta(minutes=5), tick=False):
        with pytest.raises(ValidationError, match="has started"):
            cancel_registration(registration, by=member)
    registration.refresh_from_db()
    assert registration.is_registered and registration.sequence == 0
    assert webinar.registrations.get(user=waiting).status == Registration.Status.WAITLISTED
    assert Email.objects.count() == sent


def test_leaving_a_cancelled_webinar_sends_no_second_cancellation(member):
    webinar = make_webinar()
    registration = register_for_webinar(webinar, user=member)
    cancel_webinar(webinar, by=None)
    with pytest.raises(ValidationError, match="has been cancelled"):
        cancel_registration(registration, by=member)
    assert len(emails_to(member)) == 2  # the invitation and the webinar's cancellation


def test_the_page_says_why_a_started_webinar_cannot_be_left(client_for, member):
    webinar = make_webinar()
    register_for_webinar(webinar, user=member)
    url = reverse("content:webinar_cancel_registration", args=[webinar.slug])
    with time_machine.travel(webinar.starts_at + timedelta(minutes=5), tick=False):
        response = client_for(member).post(url, follow=True)
    assert "a place in it can no longer be given up" in response.content.decode()
    assert "Thank you for letting someone else" not in response.content.decode()
    assert webinar.registrations.get().is_registered
