"""A member proposes a circle in an open round; others join with their availability while the
round's rules hold; once full it becomes a proposed circle, ready for invitations."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from circles.models import Circle, CircleMember, ReviewEvent, SignUp
from circles.services.self_organized import join_circle, leave_forming_circle, propose_circle
from community.models import User
from tests.circles.factories import make_round
from tests.circles.people import TUESDAY_EVENING, sign_up_people
from tests.conftest import make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def round():
    return make_round(min_size=3, target_min_size=4, target_max_size=5, max_size=6)


def signed_up_member(round, number: int, **signup) -> User:
    user = make_user(f"joiner{number}@example.com", name=f"Joiner {number:02d}")
    make_member(user)
    sign_up_people(round, 1, start=number, user=user, email=user.email, **signup)
    return user


def propose(round, user, **overrides) -> Circle:
    fields = {"topic": "Managing managers", "format": "video", "timezone": "", "target_size": 3}
    return propose_circle(round, user=user, **{**fields, **overrides})


def test_a_member_proposes_a_circle_from_the_sign_up_page(round, client):
    proposer = signed_up_member(round, 1)
    client.force_login(proposer)
    url = reverse("circles:circle_propose", args=[round.slug])
    data = {"topic": "Managing managers", "format": "video", "timezone": "Europe/Berlin"}

    response = client.post(url, {**data, "target_size": 4})

    assert response.status_code == 302
    circle = Circle.objects.get(round=round)
    assert (circle.status, circle.topic, circle.target_size) == ("forming", "Managing managers", 4)
    assert (circle.proposed_by, circle.timezone, circle.format) == (
        proposer,
        "Europe/Berlin",
        "video",
    )
    assert [m.signup.user for m in circle.members.all()] == [proposer]
    assert ReviewEvent.objects.filter(round=round, action="circle.proposed_by_member").exists()
    page = client.get(reverse("circles:signup_edit", args=[round.slug])).content.decode()
    assert "Managing managers" in page
    assert "1 of 4 joined" in page
    assert "You are in this circle." in page


def test_a_circle_larger_than_the_round_allows_is_refused(round, client):
    client.force_login(signed_up_member(round, 1))
    url = reverse("circles:circle_propose", args=[round.slug])

    response = client.post(url, {"topic": "Big", "format": "video", "target_size": 9})

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 6." in response.content.decode()
    assert not Circle.objects.exists()


def test_a_member_without_a_sign_up_is_asked_to_sign_up_first(round, client, member):
    client.force_login(member)
    url = reverse("circles:circle_propose", args=[round.slug])

    response = client.post(url, {"topic": "Hiring", "format": "video", "target_size": 4})

    assert "Sign up to this round first" in response.content.decode()
    assert not Circle.objects.exists()


def test_others_join_until_it_fills_and_it_becomes_a_proposed_locked_circle(round, client):
    circle = propose(round, signed_up_member(round, 1), target_size=3)
    joiner = signed_up_member(round, 2)
    client.force_login(joiner)

    client.post(reverse("circles:circle_join", args=[round.slug, circle.pk]))
    circle.refresh_from_db()
    assert circle.status == Circle.Status.FORMING
    join_circle(circle, user=signed_up_member(round, 3))

    circle.refresh_from_db()
    assert (circle.status, circle.locked) == (Circle.Status.PROPOSED, True)
    assert circle.members.filter(status=CircleMember.Status.PROPOSED).count() == 3
    assert circle.window  # the half-hours they all share
    actions = list(ReviewEvent.objects.filter(round=round).values_list("action", flat=True))
    assert actions.count("circle.joined") == 2 and "circle.filled" in actions
    with pytest.raises(ValidationError, match="full already"):
        join_circle(circle, user=signed_up_member(round, 4))


def test_a_join_that_breaks_a_rule_of_the_round_is_refused_with_the_rule(round, client):
    circle = propose(round, signed_up_member(round, 1, company_key="acme"))
    colleague = signed_up_member(round, 2, company_key="acme")
    client.force_login(colleague)

    response = client.post(
        reverse("circles:circle_join", args=[round.slug, circle.pk]), follow=True
    )

    text = response.content.decode()
    assert "You cannot join Circle 1: it would break a rule of the round." in text
    assert "Company: members from the same company (another member, you)." in text
    assert "Person 001" not in text
    assert circle.members.count() == 1


@pytest.mark.parametrize(
    ("joiner", "rule"),
    [
        ({"slots": [300, 301, 302]}, "Time: there is no common window"),
        ({"utc_offset_minutes": 9 * 60, "timezone": "Asia/Tokyo"}, "Timezones: UTC offsets span"),
        ({"format": SignUp.Format.IN_PERSON}, "Format: you only meet(s) in person."),
    ],
)
def test_the_time_timezone_and_format_rules_apply_to_every_join(round, joiner, rule):
    circle = propose(round, signed_up_member(round, 1))

    with pytest.raises(ValidationError) as refused:
        join_circle(circle, user=signed_up_member(round, 2, **joiner))

    assert any(message.startswith(rule) for message in refused.value.messages)


def test_a_lone_member_of_a_group_may_join_but_the_filling_join_must_not_leave_one(round):
    circle = propose(round, signed_up_member(round, 1, gender="woman"), target_size=3)
    join_circle(circle, user=signed_up_member(round, 2))  # still forming: another may come

    with pytest.raises(ValidationError, match="Groups: only 1 woman"):
        join_circle(circle, user=signed_up_member(round, 3))
    join_circle(circle, user=signed_up_member(round, 4, gender="woman"))

    circle.refresh_from_db()
    assert circle.status == Circle.Status.PROPOSED


def test_nobody_joins_two_circles_of_a_round(round):
    joiner = signed_up_member(round, 3)
    first = propose(round, signed_up_member(round, 1))
    second = propose(round, signed_up_member(round, 2), topic="Hiring")
    join_circle(first, user=joiner)

    with pytest.raises(ValidationError, match="already in Circle 1"):
        join_circle(second, user=joiner)


def test_circles_cannot_be_proposed_or_joined_once_sign_ups_close(round):
    circle = propose(round, signed_up_member(round, 1))
    joiner = signed_up_member(round, 2)

    with time_machine.travel(round.signup_closes_at + timedelta(minutes=1)):
        with pytest.raises(ValidationError, match="This round is closed"):
            join_circle(circle, user=joiner)
        with pytest.raises(ValidationError, match="This round is closed"):
            propose(round, joiner)
    assert circle.members.count() == 1


def leave_url(round, circle) -> str:
    return reverse("circles:circle_leave_forming", args=[round.slug, circle.pk])


def test_a_member_leaves_a_forming_circle_and_stays_on_the_waitlist(round, client):
    evening = [*TUESDAY_EVENING, TUESDAY_EVENING[-1] + 1, TUESDAY_EVENING[-1] + 2]
    proposer = signed_up_member(round, 1, slots=evening)
    circle = propose(round, proposer, target_size=4)
    leaver = signed_up_member(round, 2)  # an hour less on Tuesday evenings
    join_circle(circle, user=leaver)
    circle.refresh_from_db()
    assert circle.window == TUESDAY_EVENING
    client.force_login(leaver)
    page = client.get(reverse("circles:signup_edit", args=[round.slug])).content.decode()
    assert f'action="{leave_url(round, circle)}"' in page

    response = client.post(leave_url(round, circle), follow=True)

    assert "You left Circle 1; your sign-up to the round stays." in response.content.decode()
    circle.refresh_from_db()
    assert circle.status == Circle.Status.FORMING
    assert [m.signup.user for m in circle.members.all()] == [proposer]
    assert circle.window == evening  # the window is the proposer's own again
    signup = SignUp.objects.get(user=leaver)
    assert signup.status == SignUp.Status.ACTIVE
    assert round.signups.on_waitlist().filter(pk=signup.pk).exists()
    event = ReviewEvent.objects.get(action="circle.left_forming")
    assert (event.actor, event.details["dissolved"]) == (leaver, False)
    join_circle(circle, user=leaver)  # they may change their mind again
    assert circle.members.count() == 2


def test_the_last_one_to_leave_dissolves_the_circle_and_it_is_no_longer_open(round, client):
    proposer = signed_up_member(round, 1)
    circle = propose(round, proposer)
    client.force_login(proposer)

    client.post(leave_url(round, circle))

    circle.refresh_from_db()
    assert circle.status == Circle.Status.DISSOLVED and circle.ended_at
    assert not circle.members.exists()
    page = client.get(reverse("circles:signup_edit", args=[round.slug])).content.decode()
    assert "Managing managers" not in page
    with pytest.raises(ValidationError, match="full already"):
        join_circle(circle, user=signed_up_member(round, 2))


def test_a_full_circle_cannot_be_left_before_its_invitation_and_a_stranger_cannot_leave_one(
    round, client
):
    circle = propose(round, signed_up_member(round, 1), target_size=3)
    stranger = signed_up_member(round, 9)
    with pytest.raises(ValidationError, match="You are not in Circle 1"):
        leave_forming_circle(circle, user=stranger)
    joiner = signed_up_member(round, 2)
    join_circle(circle, user=joiner)
    join_circle(circle, user=signed_up_member(round, 3))
    client.force_login(joiner)

    response = client.post(leave_url(round, circle), follow=True)

    assert "say no to its invitation" in response.content.decode()
    assert circle.members.filter(status=CircleMember.Status.PROPOSED).count() == 3
