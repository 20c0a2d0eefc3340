"""Members leave circles; organizers merge two small ones and end one, on the circle's page."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from circles.models import Backfill, Circle, CircleMember, ReviewEvent, Round, SignUp
from circles.services import backfills, circle_changes
from community.models import SlackChannelMembership
from tests.circles.circle_life import circle_of, decline, running_round, with_channel
from tests.circles.factories import make_round
from tests.circles.people import sign_up_people

pytestmark = pytest.mark.django_db
NOON = datetime(2027, 4, 6, 12, 0, tzinfo=UTC)


def in_channel(circle: Circle) -> set[str]:
    memberships = SlackChannelMembership.objects.filter(channel=circle.slack_channel)
    return set(memberships.values_list("account__user__email", flat=True))


def test_a_member_who_leaves_is_withdrawn_from_the_channel_and_their_place_is_offered():
    round = running_round()
    circle = circle_of(round, 8)
    candidate = sign_up_people(round, 1, start=100)[0]
    leaver, stayer = list(circle.members.all()[:2])
    users = with_channel(circle, members=[leaver, stayer])

    with time_machine.travel(NOON, tick=False):
        backfill = circle_changes.leave_circle(leaver, by=users[0])

    leaver.refresh_from_db()
    assert (leaver.status, leaver.left_at) == (CircleMember.Status.LEFT, NOON)
    assert in_channel(circle) == {stayer.signup.email}
    assert (backfill.status, backfill.candidate) == (Backfill.Status.PROPOSED, candidate)
    assert ReviewEvent.objects.get(action="member.left").actor == users[0]
    with pytest.raises(ValidationError, match="no longer in"):
        circle_changes.leave_circle(leaver, by=users[0])


def test_a_member_leaves_from_the_confirmation_page(client):
    round = running_round()
    circle = circle_of(round, 8)
    leaver = circle.members.first()
    (user,) = with_channel(circle, members=[leaver])
    client.force_login(user)

    page = client.get(f"/circles/c/{circle.pk}/leave/")
    assert page.status_code == 200
    assert b"Leave Circle 1?" in page.content
    assert circle.members.get(pk=leaver.pk).status == CircleMember.Status.ACCEPTED  # GET: nothing

    response = client.post(f"/circles/c/{circle.pk}/leave/")

    assert response.status_code == 302
    assert circle.members.get(pk=leaver.pk).status == CircleMember.Status.LEFT
    assert in_channel(circle) == set()
    assert client.get(f"/circles/c/{circle.pk}/leave/").status_code == 404  # not theirs any more


def test_two_small_compatible_circles_are_proposed_and_merged_with_their_channel_membership(
    organizer,
):
    round = running_round()
    small = circle_of(round, 4, number=1)
    smaller = circle_of(round, 3, start=10, number=2)
    other_time = circle_of(round, 4, start=20, number=3, slots=[100, 101, 102])
    users = with_channel(smaller, members=list(smaller.members.all()))
    with_channel(small, members=[small.members.first()])

    assert circle_changes.merge_partners(small) == [smaller]
    assert other_time not in circle_changes.merge_partners(smaller)

    circle_changes.merge_circles(smaller, into=small, by=organizer)

    smaller.refresh_from_db()
    assert smaller.status == Circle.Status.ENDED and smaller.merged_into == small
    assert smaller.slack_channel.archive is True
    assert small.members.filter(status="accepted").count() == 7
    assert {u.email for u in users} <= in_channel(small)
    assert in_channel(smaller) == set()
    event = ReviewEvent.objects.get(action="circle.merged")
    assert (event.actor, event.details["into"]) == (organizer, small.pk)


def test_circles_too_big_together_or_sharing_a_company_cannot_merge(organizer):
    round = running_round()
    big = circle_of(round, 6, number=1)
    other = circle_of(round, 5, start=10, number=2)
    clash = circle_of(round, 3, start=20, number=3, company_key="company-0")

    assert circle_changes.merge_partners(big) == []
    assert clash not in circle_changes.merge_partners(other)
    with pytest.raises(ValidationError, match="cannot merge"):
        circle_changes.merge_circles(other, into=big, by=organizer)
    assert big.members.count() == 6


def test_ending_a_circle_archives_its_channel_and_puts_its_members_back_on_the_waitlist(
    organizer,
):
    round = running_round()
    circle = circle_of(round, 8)
    with_channel(circle, members=[circle.members.first()])
    decline(circle.members.last())
    backfills.open_vacancy(circle.members.last())  # nobody fits: an open "none fits"
    next_round = make_round(slug="autumn", status=Round.Status.OPEN)
    people = list(circle.members.filter(status="accepted").values_list("signup", flat=True))

    with time_machine.travel(NOON, tick=False):
        carried = circle_changes.end_circle(
            circle, reason="They stopped meeting.", by=organizer, carry_to=next_round
        )

    circle.refresh_from_db()
    assert (circle.status, circle.ended_at, circle.end_reason) == (
        Circle.Status.ENDED,
        NOON,
        "They stopped meeting.",
    )
    assert circle.slack_channel.archive is True
    assert set(round.signups.on_waitlist().values_list("pk", flat=True)) >= set(people)
    assert {s.carried_over_from_id for s in carried} == set(people)
    assert next_round.signups.count() == 7
    assert not circle.backfills.filter(status__in=backfills.OPEN).exists()
    assert ReviewEvent.objects.get(action="circle.ended").details["carried"] == 7
    with pytest.raises(ValidationError, match="cannot end"):
        circle_changes.end_circle(circle, reason="Again", by=organizer)


def test_people_whose_circle_ended_are_not_proposed_for_another_circle_of_the_round(organizer):
    round = running_round()
    ended = circle_of(round, 8, number=1)
    circle_changes.end_circle(ended, reason="Fizzled.", by=organizer)
    other = circle_of(round, 8, start=10, number=2)

    backfill = backfills.open_vacancy(decline(other.members.first()))

    assert backfill.status == Backfill.Status.NONE_FITS


@pytest.fixture
def organizing(client, organizer):
    client.force_login(organizer)
    return client


def manage_url(circle: Circle, action: str = "") -> str:
    return f"/organize/circles/{circle.round.slug}/circles/{circle.pk}/{action}"


def test_the_circle_page_shows_members_a_proposal_and_why_nobody_fits(organizing):
    round = running_round()
    circle = circle_of(round, 8)
    first, second = list(circle.members.all()[:2])
    candidate = sign_up_people(round, 1, start=100)[0]
    backfills.open_vacancy(decline(first))
    backfills.open_vacancy(decline(second))

    page = organizing.get(manage_url(circle)).content.decode()

    assert "Person 002" in page and "Accepted" in page
    assert f"Invite {candidate}" in page
    assert "Nobody on the waitlist fits." in page
    assert "Look again for the place of Person 001" in page
    assert "End Circle 1" in page


def test_an_organizer_confirms_dismisses_and_looks_again_from_the_page(organizing, organizer):
    round = running_round()
    circle = circle_of(round, 8)
    first, second = sign_up_people(round, 2, start=100)
    backfill = backfills.open_vacancy(decline(circle.members.first()))

    response = organizing.post(manage_url(circle, f"backfills/{backfill.pk}/dismiss/"))
    assert response.status_code == 302
    again = organizing.post(manage_url(circle, f"places/{backfill.vacancy_id}/look-again/"))
    assert again.status_code == 302
    proposal = backfill.vacancy.backfills.get(status="proposed")
    assert proposal.candidate != backfill.candidate

    organizing.post(manage_url(circle, f"backfills/{proposal.pk}/confirm/"))

    assert circle.members.get(signup=proposal.candidate).status == CircleMember.Status.INVITED
    refused = organizing.post(manage_url(circle, f"backfills/{proposal.pk}/confirm/"))
    assert refused.status_code == 400 and b"Nothing was changed" in refused.content
    actions = set(ReviewEvent.objects.filter(actor=organizer).values_list("action", flat=True))
    assert {"backfill.dismissed", "backfill.looked_again", "backfill.confirmed"} <= actions


def test_an_organizer_merges_and_ends_circles_from_the_page(organizing):
    round = running_round()
    small = circle_of(round, 4, number=1)
    smaller = circle_of(round, 3, start=10, number=2)

    page = organizing.get(manage_url(small)).content.decode()
    assert "Merge Circle 2 into Circle 1" in page
    organizing.post(manage_url(smaller, "merge/"), {"into": small.pk})
    assert small.members.count() == 7

    refused = organizing.post(manage_url(small, "end/"), {"reason": ""})
    assert refused.status_code == 400
    organizing.post(manage_url(small, "end/"), {"reason": "The six months are over."})
    small.refresh_from_db()
    assert small.status == Circle.Status.ENDED
    page = organizing.get(manage_url(small)).content.decode()
    assert "The six months are over." in page and "End Circle 1" not in page


def test_a_backfill_of_another_circle_is_not_found_here(organizing):
    round = running_round()
    circle, other = circle_of(round, 8, number=1), circle_of(round, 8, start=10, number=2)
    sign_up_people(round, 1, start=100)
    backfill = backfills.open_vacancy(decline(other.members.first()))

    response = organizing.post(manage_url(circle, f"backfills/{backfill.pk}/confirm/"))

    assert response.status_code == 404
    assert Backfill.objects.get(pk=backfill.pk).status == Backfill.Status.PROPOSED


def test_the_circle_page_asks_the_database_the_same_whatever_the_number_of_members(
    organizing, django_assert_max_num_queries
):
    round = running_round()
    circle = circle_of(round, 4)
    circle_of(round, 2, start=40, number=4)
    organizing.get(manage_url(circle))  # warm the session and the site's caches
    with django_assert_max_num_queries(40) as few:
        organizing.get(manage_url(circle))
    SignUp.objects.filter(round=round).delete()
    circle = circle_of(round, 10, start=50, number=2)
    circle_of(round, 4, start=80, number=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        organizing.get(manage_url(circle))


def test_an_ended_circles_people_keep_their_history_in_the_next_round(organizer):
    round = running_round()
    circle = circle_of(round, 8)
    next_round = make_round(slug="autumn", status=Round.Status.OPEN)
    with time_machine.travel(NOON + timedelta(days=180), tick=False):
        carried = circle_changes.end_circle(
            circle, reason="Six months.", by=organizer, carry_to=next_round
        )
    history = carried[0].carried_over_from.circle_memberships.get()
    assert (history.circle, history.status) == (circle, CircleMember.Status.ENDED)


def test_a_members_export_says_when_they_left_their_circle():
    from community import privacy

    round = running_round()
    circle = circle_of(round, 8)
    leaver = circle.members.first()
    (user,) = with_channel(circle, members=[leaver])
    with time_machine.travel(NOON, tick=False):
        circle_changes.leave_circle(leaver, by=user)

    (signup,) = privacy.export_user(user)["circles"]["sign_ups"]

    (place,) = signup["circles"]
    assert {
        key: place[key] for key in ("circle", "status", "left_at", "took_the_place_of_someone")
    } == (
        {
            "circle": "Circle 1",
            "status": "left",
            "left_at": NOON.isoformat(),
            "took_the_place_of_someone": False,
        }
    )
