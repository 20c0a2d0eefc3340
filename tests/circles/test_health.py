"""A circle's health, the reasons it is at risk, and the organizers' weekly digest."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from circles.models import Circle, CircleMember, Meeting
from circles.services.digests import send_health_digest
from circles.services.health import circle_health, circles_at_risk, with_health_data
from community.models import User
from tests.circles.factories import make_round
from tests.circles.life import NOW, active_circle, fortnightly, meeting
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def round():
    return make_round(status="running")


def health_of(circle: Circle):
    return circle_health(with_health_data(Circle.objects.all()).get(pk=circle.pk), now=NOW)


def test_a_circle_that_meets_and_comes_is_healthy(round):
    circle, members = active_circle(round)
    fortnightly(circle, members, [8, 7, 6])

    health = health_of(circle)

    assert (health.planned, health.held, health.members, health.left) == (3, 3, 8, 0)
    assert [point.percent for point in health.trend] == [100, 88, 75]
    assert health.reasons == []
    assert not health.at_risk


def test_a_planned_meeting_nobody_marked_held_after_two_days_is_a_missed_one(round):
    circle, members = active_circle(round)
    fortnightly(circle, members, [8, 8])
    meeting(circle, 2, NOW - timedelta(days=3), status=Meeting.Status.PLANNED)
    meeting(circle, 3, NOW - timedelta(days=1), status=Meeting.Status.PLANNED)  # within grace
    meeting(circle, 4, NOW + timedelta(days=10), status=Meeting.Status.PLANNED)  # not yet

    health = health_of(circle)

    assert (health.planned, health.held) == (4, 2)
    assert health.reasons == [
        "Missed 1 planned meeting: nobody marked the meeting of 1 May 2026 as held."
    ]


def test_cancelled_meetings_are_neither_planned_nor_missed(round):
    circle, members = active_circle(round)
    fortnightly(circle, members, [8])
    meeting(circle, 1, NOW - timedelta(days=9), status=Meeting.Status.CANCELLED)

    health = health_of(circle)

    assert (health.planned, health.held, health.reasons) == (1, 1, [])


def test_attendance_under_half_twice_in_a_row_puts_a_circle_at_risk(round):
    circle, members = active_circle(round)
    fortnightly(circle, members, [8, 3, 2])

    assert health_of(circle).reasons == [
        "Attendance under half at the last two meetings (3 of 8 on 6 Apr 2026 and 2 of 8 on "
        "20 Apr 2026)."
    ]


def test_attendance_under_half_once_or_back_above_half_is_not_a_risk(round):
    circle, members = active_circle(round)
    fortnightly(circle, members, [3, 2, 6])

    assert health_of(circle).reasons == []


def test_a_circle_down_to_five_members_is_at_risk_and_counts_who_left(round):
    circle, members = active_circle(round, 7)
    fortnightly(circle, members, [7, 6])
    for member in members[:2]:
        member.status, member.left_at = CircleMember.Status.LEFT, NOW - timedelta(days=5)
        member.save()

    health = health_of(circle)

    assert (health.members, health.left) == (5, 2)
    assert health.reasons == ["Only 5 members left (5 or fewer)."]


def test_attendance_counts_only_those_in_the_circle_on_the_day(round):
    circle, members = active_circle(round, 8)
    late = members[-1]
    late.consented_at = late.responded_at = circle.first_meeting_at + timedelta(days=3)
    late.save()
    meeting(circle, 0, circle.first_meeting_at, came=members[:7], of=members[:7])

    assert [(p.came, p.expected) for p in health_of(circle).trend] == [(7, 7)]


def test_a_held_meeting_without_attendance_recorded_is_left_out_of_the_trend(round):
    circle, members = active_circle(round)
    meeting(circle, 0, circle.first_meeting_at)

    health = health_of(circle)

    assert (health.held, health.trend) == (1, [])


def test_only_inviting_and_active_circles_are_watched(round):
    active_circle(round, 4, number=1)
    ended, _ = active_circle(round, 3, number=2)
    Circle.objects.filter(pk=ended.pk).update(status=Circle.Status.ENDED)

    assert [health.circle.number for health in circles_at_risk(now=NOW)] == [1]


@pytest.mark.parametrize("page_name", ["circles:circle_health", "circles:circle_manage"])
def test_the_organizer_circle_page_shows_its_health_and_reasons(
    round, organizer, client, page_name
):
    circle, members = active_circle(round, 5)
    fortnightly(circle, members, [5, 2, 2])
    client.force_login(organizer)

    page = client.get(reverse(page_name, args=[round.slug, circle.pk]))

    text = page.content.decode()
    assert "At risk" in text
    assert "Only 5 members left (5 or fewer)." in text
    assert "Attendance under half at the last two meetings" in text
    assert "Meeting 2: 2 of 5 (40%)" in text
    assert "3 of 3 planned" in text


# The weekly digest


@pytest.fixture
def organizers(db) -> list[User]:
    return [
        make_user("olivia@example.com", name="Olivia Organizer", groups=[User.ORGANIZERS]),
        make_user("omar@example.com", name="Omar Organizer", groups=[User.ORGANIZERS]),
    ]


def run_digest(capture, now):
    with time_machine.travel(now, tick=False), capture(execute=True):
        return send_health_digest()


def digests(mailoutbox) -> list:
    return [message for message in mailoutbox if "at risk this week" in message.subject]


def test_the_digest_tells_each_organizer_which_circles_are_at_risk_and_why(
    round, organizers, django_capture_on_commit_callbacks, mailoutbox
):
    small, members = active_circle(round, 4, number=1)
    fortnightly(small, members, [4])
    healthy, members = active_circle(round, 8, number=2)
    fortnightly(healthy, members, [8, 8])

    assert run_digest(django_capture_on_commit_callbacks, NOW) == 1

    sent = digests(mailoutbox)
    assert sorted(message.to[0] for message in sent) == ["olivia@example.com", "omar@example.com"]
    assert sent[0].subject == "1 circle at risk this week"
    assert "Circle 1: Only 4 members left (5 or fewer)." in sent[0].body
    assert "Circle 2" not in sent[0].body
    assert "/organize/circles/dashboard/" in sent[0].body


def test_the_digest_is_sent_once_a_week_and_not_at_all_when_nothing_is_at_risk(
    round, organizers, django_capture_on_commit_callbacks, mailoutbox
):
    circle, members = active_circle(round, 8)
    fortnightly(circle, members, [8])
    assert run_digest(django_capture_on_commit_callbacks, NOW) == 0
    assert digests(mailoutbox) == []

    CircleMember.objects.filter(pk__in=[m.pk for m in members[:3]]).update(
        status=CircleMember.Status.LEFT
    )
    run_digest(django_capture_on_commit_callbacks, NOW)
    run_digest(django_capture_on_commit_callbacks, NOW + timedelta(days=2))
    assert len(digests(mailoutbox)) == 2

    run_digest(django_capture_on_commit_callbacks, NOW + timedelta(days=7))
    assert len(digests(mailoutbox)) == 4


def test_the_weekly_digest_is_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"circles.tasks.send_health_digest", "circles.tasks.ask_due_renewals"} <= tasks
