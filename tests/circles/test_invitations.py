"""The life of a circle's invitations: sent once each, answered with consent, reminded once, closed."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from circles.models import Backfill, Circle, CircleMember, Round
from circles.services import invitation_answers, invitations
from circles.services.visibility import shown_company, shown_name
from community.models import Email, SlackChannelMembership
from tests.circles.invited_people import members_of, proposed_circle, reviewed_round

pytestmark = pytest.mark.django_db
Status = CircleMember.Status
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    """Every test starts at START, with the clock stopped; tests travel on from there."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def sent(clock, django_capture_on_commit_callbacks, organizer):
    """A round of two circles (six and seven people), invitations sent at START."""
    round = reviewed_round()
    proposed_circle(round, 6, members=5)
    proposed_circle(round, 7, number=2, start=10)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_round_invitations(round, by=organizer)
    return round


def circle(round: Round, number: int = 1) -> Circle:
    return round.circles.get(number=number)


def invitation_emails() -> list[Email]:
    return list(Email.objects.filter(key__startswith="circles-invite:"))


def test_sending_a_round_emails_each_proposed_person_once_with_a_deadline(sent):
    sent.refresh_from_db()
    assert sent.status == Round.Status.INVITING
    assert set(sent.circles.values_list("status", flat=True)) == {Circle.Status.INVITING}
    emails = invitation_emails()
    assert len(emails) == 13
    assert len({email.to for email in emails}) == 13
    for member in CircleMember.objects.all():
        assert member.status == Status.INVITED
        assert member.respond_by == START + timedelta(days=5)


def test_each_email_links_to_its_own_page_and_says_the_time_in_the_persons_timezone(db):
    round = reviewed_round()
    member = members_of(proposed_circle(round, 6, members=0))[0]
    member.signup.timezone = "America/New_York"
    member.signup.save(update_fields=["timezone"])
    invitations.invite_member(member)
    email = Email.objects.get(to=member.signup.email)  # still queued: sent, its link is erased
    starts = invitations.first_meeting_at(member.circle).astimezone(ZoneInfo("America/New_York"))
    assert starts.hour in (13, 14)  # Tuesday 18:00 UTC, with or without daylight saving
    assert f"{starts:%H:%M} (America/New_York)" in email.body_text
    assert "/circles/invitation/" in email.body_text
    assert email.sensitive


def test_sending_again_emails_nobody_twice(sent, organizer, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError, match="Nobody is waiting"):
        invitations.send_round_invitations(sent, by=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.send_circle_invitations(circle(sent)) == 0
        invitations.invite_member(members_of(circle(sent))[0])
    assert len(invitation_emails()) == 13


def test_invitations_wait_for_a_reviewed_round(db, organizer):
    round = reviewed_round(slug="open-one")
    round.status = Round.Status.OPEN
    round.save()
    proposed_circle(round)
    with pytest.raises(ValidationError, match="reviewed"):
        invitations.send_round_invitations(round, by=organizer)
    assert not Email.objects.exists()


def test_accepting_with_consent_declares_the_channel_seat_only_then(sent):
    first, *_ = members_of(circle(sent))
    with pytest.raises(ValidationError, match="Tick the box"):
        invitation_answers.accept_invitation(first, consent=False)
    assert not SlackChannelMembership.objects.exists()
    first.refresh_from_db()
    assert first.status == Status.INVITED and first.consented_at is None

    with time_machine.travel(START + timedelta(days=1), tick=False):
        invitation_answers.accept_invitation(first, consent=True)
    first.refresh_from_db()
    assert first.status == Status.ACCEPTED
    assert first.consented_at == START + timedelta(days=1)
    seat = SlackChannelMembership.objects.get()
    assert seat.account.user == first.signup.user
    assert seat.channel == circle(sent).slack_channel
    assert seat.channel.name == f"circle-{sent.slug}-1" and seat.channel.is_private


def test_an_imported_person_without_a_membership_accepts_without_a_slack_seat(sent):
    imported = [m for m in members_of(circle(sent)) if m.signup.user is None]
    assert len(imported) == 1
    invitation_answers.accept_invitation(imported[0], consent=True)
    assert CircleMember.objects.get(pk=imported[0].pk).status == Status.ACCEPTED
    assert not SlackChannelMembership.objects.exists()


def test_others_see_a_full_name_only_after_its_owner_consented_and_they_accepted(sent):
    ada, bob, *_ = members_of(circle(sent))
    assert shown_name(ada, viewer=bob) == "P0"  # "Person 000"
    invitation_answers.accept_invitation(ada, consent=True)
    ada.refresh_from_db()
    assert shown_name(ada, viewer=bob) == "P0"  # bob has not accepted yet
    assert shown_name(ada, viewer=None) == "P0"
    invitation_answers.accept_invitation(bob, consent=True)
    bob.refresh_from_db()
    assert shown_name(ada, viewer=bob) == ada.signup.name
    assert shown_name(bob, viewer=ada) == bob.signup.name
    other_circle = members_of(circle(sent, 2))[0]
    assert shown_name(ada, viewer=other_circle) == "P0"


def test_a_company_hidden_in_the_directory_is_not_shown(sent):
    ada = members_of(circle(sent))[0]
    assert shown_company(ada) == ada.signup.company
    ada.signup.user.member.show_company = False
    ada.signup.user.member.save()
    assert shown_company(CircleMember.objects.get(pk=ada.pk)) == ""


def test_declining_opens_the_place_for_a_backfill(sent):
    ada = members_of(circle(sent))[0]
    invitation_answers.decline_invitation(ada)
    ada.refresh_from_db()
    assert ada.status == Status.DECLINED and ada.responded_at
    assert Backfill.objects.get().vacancy == ada
    with pytest.raises(ValidationError, match="already answered"):
        invitation_answers.accept_invitation(ada, consent=True)


def test_a_circle_where_everyone_accepted_becomes_active(sent):
    people = members_of(circle(sent))
    for member in people[:-1]:
        invitation_answers.accept_invitation(member, consent=True)
    assert circle(sent).status == Circle.Status.INVITING
    invitation_answers.accept_invitation(people[-1], consent=True)
    assert circle(sent).status == Circle.Status.ACTIVE
    assert circle(sent).activated_at


def test_an_active_circle_gets_a_facilitator_and_a_vote_and_the_round_runs_once_all_are(sent):
    for number in (1, 2):
        people = members_of(circle(sent, number))
        for member in people:
            invitation_answers.accept_invitation(member, consent=True)
        sent.refresh_from_db()
        assert sent.status == (Round.Status.INVITING if number == 1 else Round.Status.RUNNING)

    first = circle(sent)
    assert first.facilitator.status == Status.ACCEPTED
    assert 3 <= first.candidates.count() <= 5
    assert first.voting_closes_at > START


def test_someone_who_joins_a_circle_that_already_meets_gets_its_calendar(
    sent, clock, organizer, django_capture_on_commit_callbacks
):
    from circles.services import scheduling

    people = members_of(circle(sent, 2))
    for member in people[:-1]:
        invitation_answers.accept_invitation(member, consent=True)
    invitation_answers.decline_invitation(people[-1])
    active = circle(sent, 2)
    assert active.status == Circle.Status.ACTIVE
    scheduling.pick_meeting_time(active, candidate=active.candidates.first(), by=organizer)
    newcomer = CircleMember.objects.create(circle=active, signup=people[-1].signup)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite_member(newcomer, by=organizer)
    invitation_answers.accept_invitation(newcomer, consent=True)

    (series,) = Email.objects.filter(
        key__startswith=f"circle-series:{active.pk}:", to=newcomer.signup.email
    )
    assert "RRULE" in series.attachment_text


def test_the_one_reminder_goes_near_the_deadline_to_those_who_have_not_answered(
    sent, django_capture_on_commit_callbacks
):
    first, second, *_ = members_of(circle(sent))
    invitation_answers.accept_invitation(first, consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(START + timedelta(days=2), tick=False):
            assert invitations.send_invitation_reminders() == 0  # too early
        with time_machine.travel(START + timedelta(days=3, hours=1), tick=False):
            assert invitations.send_invitation_reminders() == 12
        with time_machine.travel(START + timedelta(days=4), tick=False):
            assert invitations.send_invitation_reminders() == 0  # each is sent once
    reminders = Email.objects.filter(key__startswith="circles-invite-reminder:")
    assert reminders.count() == 12
    assert not reminders.filter(to=first.signup.email).exists()
    second.refresh_from_db()
    assert second.reminded_at == START + timedelta(days=3, hours=1)


def test_silence_past_the_deadline_expires_the_invitation_and_activates_a_full_enough_circle(sent):
    people = members_of(circle(sent))
    for member in people[:-1]:
        invitation_answers.accept_invitation(member, consent=True)  # 5 of 6: under min size 6
    small = members_of(circle(sent, 2))
    for member in small[:6]:
        invitation_answers.accept_invitation(member, consent=True)  # 6 of 7
    with time_machine.travel(START + timedelta(days=5, minutes=1), tick=False):
        assert invitation_answers.close_invitation_deadlines()["expired"] == 2
    assert CircleMember.objects.get(pk=people[-1].pk).status == Status.EXPIRED
    assert CircleMember.objects.get(pk=small[-1].pk).status == Status.EXPIRED
    assert Backfill.objects.count() == 2
    assert circle(sent).status == Circle.Status.INVITING  # too few: waits for a backfill
    assert circle(sent, 2).status == Circle.Status.ACTIVE


def test_an_answer_after_the_deadline_is_refused_before_the_beat_runs(sent):
    ada = members_of(circle(sent))[0]
    with time_machine.travel(START + timedelta(days=5, seconds=1), tick=False):
        with pytest.raises(ValidationError, match="deadline"):
            invitation_answers.accept_invitation(ada, consent=True)
    assert CircleMember.objects.get(pk=ada.pk).status == Status.INVITED
    assert not SlackChannelMembership.objects.exists()


def test_a_lost_circle_task_is_resumed_by_the_beat(
    db, organizer, django_capture_on_commit_callbacks
):
    round = reviewed_round()
    proposed_circle(round, 6)
    invitations.send_round_invitations(round, by=organizer)  # its task never runs
    assert not Email.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(START + timedelta(minutes=11), tick=False):
            assert invitations.resume_invitations() == 6
    assert len(invitation_emails()) == 6


def test_a_persons_export_has_their_answer_and_erasure_takes_their_invitations(sent):
    from circles.services.privacy import erase_circles, export_circles
    from tests.conftest import make_user

    ada = members_of(circle(sent))[0]
    invitation_answers.accept_invitation(ada, consent=True)
    (place,) = export_circles(ada.signup.user)["sign_ups"][0]["circles"]
    assert place["status"] == Status.ACCEPTED
    assert place["consented_to_share_name_and_join_channel_at"] == START.isoformat()

    imported = [m for m in members_of(circle(sent)) if m.signup.user is None][0]
    assert Email.objects.filter(to=imported.signup.email).exists()
    erase_circles(make_user(imported.signup.email, name="Late Joiner"))
    assert not Email.objects.filter(to=imported.signup.email).exists()
    assert not CircleMember.objects.filter(pk=imported.pk).exists()


@pytest.mark.parametrize("template", ["circle_invitation", "circle_invitation_reminder"])
def test_the_html_email_links_only_the_invitation_page_whatever_people_typed(sent, template):
    from community.services.emails import render_email

    first = members_of(circle(sent))[0]
    Circle.objects.filter(pk=first.circle_id).update(name="www.evil.example <b>circle</b>")
    ada = CircleMember.objects.select_related("circle__round", "signup").get(pk=first.pk)
    ada.signup.name = "Sly https://evil.example/login"
    context = invitations.invitation_context(ada)
    _, text, html = render_email(template, context)
    assert re.findall(r'href="([^"]+)"', html) == [context["link"]]
    assert "<b>" not in html
    assert context["link"] in text
