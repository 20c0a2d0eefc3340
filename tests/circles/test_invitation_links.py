"""The invitation page behind its signed link: bound to one person, once per decision, honest."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from circles.models import Circle, CircleMember
from circles.services import invitations
from circles.services.invitation_links import LINK_DAYS, invitation_token
from community.models import Email, SlackChannelMembership
from tests.circles.invited_people import members_of, proposed_circle, reviewed_round

pytestmark = pytest.mark.django_db
Status = CircleMember.Status
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ACCEPT = {"answer": "accept", "consent": "on"}


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def circle(db):
    """Six people invited, the last of them imported (no account)."""
    circle = proposed_circle(reviewed_round(), 6, members=5)
    invitations.send_circle_invitations(circle)
    return circle


def link(member: CircleMember) -> str:
    return reverse("circles:invitation", args=[invitation_token(member)])


def status_of(member: CircleMember) -> str:
    return CircleMember.objects.get(pk=member.pk).status


def test_the_page_shows_the_time_in_their_timezone_the_others_by_initials_and_the_conduct(
    circle, client
):
    ada, bob, *_ = members_of(circle)
    ada.signup.user.timezone = "Asia/Tokyo"
    ada.signup.user.save()
    starts = invitations.first_meeting_at(circle)
    page = client.get(link(ada)).content.decode()
    assert f"{starts.astimezone(ZoneInfo('Asia/Tokyo')):%H:%M}" in page
    assert "Asia/Tokyo" in page and "Video" in page
    assert "What is said in the circle stays in the circle" in page
    assert "<strong>P0</strong> · Company 1" in page  # bob (Person 001), by initials
    assert bob.signup.name not in page
    assert bob.signup.email not in page


def test_accepting_from_the_link_records_consent_and_then_shows_the_answer(circle, client):
    ada = members_of(circle)[0]
    response = client.post(link(ada), {"answer": "accept"})  # no consent ticked
    assert response.status_code == 400 and "Tick the box" in response.content.decode()
    assert status_of(ada) == Status.INVITED

    response = client.post(link(ada), ACCEPT)
    assert response.status_code == 302
    assert status_of(ada) == Status.ACCEPTED
    assert SlackChannelMembership.objects.filter(account__user=ada.signup.user).exists()
    page = client.get(link(ada)).content.decode()
    assert "You are in" in page and 'value="accept"' not in page


def test_a_second_click_shows_the_recorded_answer_and_changes_nothing(circle, client):
    ada = members_of(circle)[0]
    client.post(link(ada), {"answer": "decline"})
    response = client.post(link(ada), ACCEPT)
    assert response.status_code == 200
    assert "You declined" in response.content.decode()
    assert status_of(ada) == Status.DECLINED
    assert not SlackChannelMembership.objects.exists()


def test_a_tampered_link_changes_nothing_and_says_why(circle, client):
    ada = members_of(circle)[0]
    token = invitation_token(ada)
    tampered = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    response = client.post(reverse("circles:invitation", args=[tampered]), ACCEPT)
    assert response.status_code == 400
    assert "damaged" in response.content.decode()
    assert status_of(ada) == Status.INVITED


def test_a_link_for_another_member_row_cannot_be_made_by_editing_the_id(circle, client):
    ada, bob, *_ = members_of(circle)
    payload, signature = invitation_token(ada).split(":", 1)
    data = json.loads(signing.b64_decode(payload.encode()))
    forged = signing.b64_encode(json.dumps({**data, "m": bob.pk}).encode()).decode()
    response = client.post(reverse("circles:invitation", args=[f"{forged}:{signature}"]), ACCEPT)
    assert response.status_code == 400
    assert status_of(ada) == status_of(bob) == Status.INVITED


def test_someone_elses_link_is_refused_to_a_signed_in_member(circle, client_for):
    ada, bob, *_ = members_of(circle)
    response = client_for(bob.signup.user).post(link(ada), ACCEPT)
    assert response.status_code == 403
    assert "for someone else" in response.content.decode()
    assert status_of(ada) == Status.INVITED


def test_an_organizer_cannot_answer_for_a_member_either(circle, client_for, organizer):
    ada = members_of(circle)[0]
    assert client_for(organizer).post(link(ada), ACCEPT).status_code == 403
    assert status_of(ada) == Status.INVITED


def test_after_the_deadline_the_page_says_so_and_takes_no_answer(circle, client, clock):
    ada = members_of(circle)[0]
    clock.move_to(START + timedelta(days=5, minutes=1))
    response = client.post(link(ada), ACCEPT)
    page = response.content.decode()
    assert "The deadline has passed" in page and 'value="accept"' not in page
    assert status_of(ada) == Status.INVITED  # the beat expires it
    assert not SlackChannelMembership.objects.exists()


def test_an_old_link_expires(circle, client, clock):
    ada = members_of(circle)[0]
    url = link(ada)
    clock.move_to(START + timedelta(days=LINK_DAYS + 1))
    response = client.get(url)
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_an_imported_person_is_told_they_get_no_slack_seat(circle, client):
    imported = members_of(circle)[-1]
    assert imported.signup.user is None
    page = client.get(link(imported)).content.decode()
    assert "will not get a seat in the" in page
    assert client.post(link(imported), ACCEPT).status_code == 302
    assert status_of(imported) == Status.ACCEPTED
    assert not SlackChannelMembership.objects.exists()


def test_the_organizer_confirms_how_many_people_are_emailed_then_sends(
    db, client_for, organizer, django_capture_on_commit_callbacks
):
    round = reviewed_round()
    proposed_circle(round, 6, members=0)
    proposed_circle(round, 7, members=0, number=2, start=10)
    client = client_for(organizer)
    page = client.get(reverse("circles:send_invitations", args=[round.slug])).content.decode()
    assert "13 people" in page
    assert not Email.objects.exists()  # the confirmation step sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("circles:send_invitations", args=[round.slug]))
    assert response.status_code == 302
    assert Email.objects.count() == 13
    assert set(round.circles.values_list("status", flat=True)) == {Circle.Status.INVITING}
    review = client.get(reverse("circles:round_review", args=[round.slug])).content.decode()
    assert "Invitations are out" in review
