"""The whole life of a learning circle on a stopped clock, through its services and a few pages:
invitations sent, accepted with consent, declined or left unanswered; places backfilled; the first
meeting voted on and its calendar; RSVP links; health; people leaving; a merge; the end.

Each test lives the story up to the moment it looks at, so a break shows where the life stops.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.rrule import rrulestr
from django.test import Client
from icalendar import Calendar

from circles import tasks
from circles.composition import circle_violations
from circles.models import Backfill, Circle, CircleMember, Meeting, Round, SignUp
from circles.services import attendance, health, invitation_answers, meetings, scheduling
from circles.services.circle_changes import merge_partners
from circles.services.invitation_links import invitation_url
from community.models import Email, SlackChannel, SlackChannelMembership, User
from tests.circles.factories import make_round
from tests.circles.people import sign_up_people
from tests.conftest import make_member, make_user

pytestmark = pytest.mark.django_db
Status = CircleMember.Status
START = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)  # a Monday in winter
LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
SITE = "http://127.0.0.1:8000"


def people(round: Round, count: int, *, start: int, zone: str = "Europe/London") -> list[SignUp]:
    """Members of the community who signed up, free on Tuesdays 18:00-20:00 UTC, video only."""
    offset = -300 if zone == "America/New_York" else 0
    signups = sign_up_people(round, count, start=start, timezone=zone, utc_offset_minutes=offset)
    for signup in signups:
        user = make_user(signup.email, name=signup.name)
        user.timezone = zone
        user.save(update_fields=["timezone"])
        make_member(user, full_name=signup.name, company=signup.company)
        SignUp.objects.filter(pk=signup.pk).update(user=user)
        signup.user = user
    return signups


def proposed(round: Round, number: int, signups: list[SignUp]) -> Circle:
    circle = Circle.objects.create(
        round=round, number=number, format=Circle.Format.VIDEO, window=signups[0].slots
    )
    CircleMember.objects.bulk_create(CircleMember(circle=circle, signup=s) for s in signups)
    return circle


@dataclass
class Life:
    """The round and who is who in it, as the story goes on."""

    round: Round
    first: Circle  # five in London, two in New York
    second: Circle  # six in London, merged into the first later
    london: list[SignUp]
    new_york: list[SignUp]
    waitlist: list[SignUp]

    def member(self, signup: SignUp) -> CircleMember:
        return CircleMember.objects.select_related("signup__user", "circle").get(
            signup=signup, status__in=[*CircleMember.CURRENT, Status.DECLINED, Status.EXPIRED]
        )

    def member_row(self, signup: SignUp) -> CircleMember:
        """Their latest place in a circle of the round, whatever became of it."""
        return signup.circle_memberships.select_related("signup").latest("added_at", "pk")

    def refresh(self) -> None:
        self.first.refresh_from_db()
        self.second.refresh_from_db()
        self.round.refresh_from_db()


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def life(clock) -> Life:
    round = make_round(slug="life", status=Round.Status.REVIEWED, first_meeting=date(2027, 2, 2))
    london = people(round, 5, start=0)
    new_york = people(round, 2, start=5, zone="America/New_York")
    second = people(round, 6, start=20)
    return Life(
        round=round,
        first=proposed(round, 1, london + new_york),
        second=proposed(round, 2, second),
        london=london,
        new_york=new_york,
        waitlist=people(round, 2, start=100),
    )


def manage(circle: Circle, action: str = "") -> str:
    return f"/organize/circles/{circle.round.slug}/circles/{circle.pk}/{action}"


def link(member: CircleMember) -> str:
    return invitation_url(member).removeprefix(SITE)


def emails(prefix: str) -> list[Email]:
    return list(Email.objects.filter(key__startswith=prefix).order_by("to"))


def seats(circle: Circle) -> set[str]:
    """Who the circle's channel should hold."""
    channel = Circle.objects.get(pk=circle.pk).slack_channel_id
    rows = SlackChannelMembership.objects.filter(channel=channel)
    return set(rows.values_list("account__user__email", flat=True))


@dataclass
class Story:
    """The life, and what moves it on: an organizer's browser, the clock, commit callbacks."""

    life: Life
    organizer: User
    capture: object
    clock: time_machine.Traveller

    @property
    def organizing(self) -> Client:
        """The organizer, signed in now: weeks later, their earlier session has expired."""
        client = Client()
        client.force_login(self.organizer)
        return client

    def at(self, **delta) -> None:
        self.clock.move_to(START + timedelta(**delta))


@pytest.fixture
def story(life, organizer, django_capture_on_commit_callbacks, clock) -> Story:
    return Story(life, organizer, django_capture_on_commit_callbacks, clock)


def answer(member: CircleMember, **data):
    return Client().post(link(member), data)


def sent(story: Story) -> None:
    """Monday: the organizer sends the round's invitations."""
    with story.capture(execute=True):
        response = story.organizing.post(
            f"/organize/circles/{story.life.round.slug}/review/invite/"
        )
    assert response.status_code == 302


def answered(story: Story) -> None:
    """Tuesday: everybody but one New Yorker answers; one Londoner declines."""
    life = story.life
    story.at(days=1)
    answer(life.member(life.london[0]), answer="accept", consent="on")
    for signup in [*life.london[1:4], life.new_york[0]]:
        invitation_answers.accept_invitation(life.member(signup), consent=True)
    for member in life.second.members.all():
        invitation_answers.accept_invitation(member, consent=True)
    answer(life.member(life.london[4]), answer="decline")


def backfilled(story: Story) -> CircleMember:
    """The decline's place, confirmed by an organizer, is taken by the newcomer on Wednesday."""
    life = story.life
    backfill = Backfill.objects.get(vacancy__signup=life.london[4])
    story.organizing.post(manage(life.first, f"backfills/{backfill.pk}/confirm/"))
    story.at(days=2)
    newcomer = life.member(life.waitlist[0])
    invitation_answers.accept_invitation(newcomer, consent=True)
    return newcomer


def formed(story: Story) -> None:
    """Past the deadline the silent one expires, the circle starts, and the vote opens."""
    story.at(days=3, hours=1)
    tasks.send_invitation_reminders()
    story.at(days=5, minutes=1)
    tasks.close_invitation_deadlines()
    story.life.refresh()


def test_sending_emails_each_person_once_and_nobody_is_in_a_channel_yet(story, life):
    sent(story)
    life.refresh()
    invitations = emails("circles-invite:")
    assert len(invitations) == 13
    assert len({email.to for email in invitations}) == 13
    assert life.first.status == life.second.status == Circle.Status.INVITING
    assert life.round.status == Round.Status.INVITING
    assert not SlackChannelMembership.objects.exists()


def test_accepting_needs_consent_and_only_then_declares_the_channel_seat(story, life):
    sent(story)
    ada = life.member(life.london[0])

    refused = answer(ada, answer="accept")
    assert refused.status_code == 400 and b"Nothing was recorded" in refused.content
    assert not SlackChannelMembership.objects.exists()

    story.at(days=1)
    answer(ada, answer="accept", consent="on")
    again = answer(ada, answer="decline")  # a second click shows the answer, unchanged
    ada.refresh_from_db()
    life.refresh()
    assert ada.status == Status.ACCEPTED and ada.consented_at == START + timedelta(days=1)
    assert b"You are in" in again.content
    assert seats(life.first) == {ada.signup.email}
    assert life.first.slack_channel.is_private


def test_a_decline_is_backfilled_by_someone_who_keeps_every_rule_and_they_accept(story, life):
    sent(story)
    answered(story)
    declined = life.member(life.london[4])
    backfill = Backfill.objects.get(vacancy=declined)
    assert declined.status == Status.DECLINED
    assert backfill.status == Backfill.Status.PROPOSED
    assert backfill.candidate == life.waitlist[0]
    current = life.first.members.filter(status__in=CircleMember.CURRENT)
    everyone = [*(m.signup.to_domain() for m in current), backfill.candidate.to_domain()]
    assert circle_violations(everyone, life.first.format, life.round.rules()) == []

    newcomer = backfilled(story)
    newcomer.refresh_from_db()
    assert newcomer.replaces == declined and newcomer.status == Status.ACCEPTED
    assert len(emails(f"circles-invite:{newcomer.pk}")) == 1
    assert newcomer.signup.email in seats(life.first)
    assert declined.signup.email not in seats(life.first)


def test_the_silent_one_is_reminded_once_then_expires_and_the_circle_starts_its_vote(story, life):
    sent(story)
    answered(story)
    backfilled(story)
    formed(story)
    silent = life.member(life.new_york[1])
    assert [e.to for e in emails("circles-invite-reminder:")] == [silent.signup.email]
    assert silent.status == Status.EXPIRED
    assert silent.signup.email not in seats(life.first)
    assert life.first.status == life.second.status == Circle.Status.ACTIVE
    assert life.round.status == Round.Status.RUNNING
    assert 3 <= life.first.candidates.count() <= 5
    assert life.first.timezone == "Europe/London"  # where most of its members live
    proposal = Backfill.objects.get(vacancy=silent)
    assert proposal.status == Backfill.Status.PROPOSED
    assert proposal.candidate == life.waitlist[1]


def signed_in(signup: SignUp) -> Client:
    client = Client()
    client.force_login(signup.user)
    return client


def voted(story: Story) -> None:
    """Friday: the silent one's place is confirmed; the six who accepted vote, one on the page;
    the second circle's vote closed without votes, so the beat picks its earliest time."""
    life = story.life
    story.at(days=5, hours=2)
    tasks.pick_meeting_times()
    proposal = Backfill.objects.get(vacancy__signup=life.new_york[1])
    story.organizing.post(manage(life.first, f"backfills/{proposal.pk}/confirm/"))
    early, middle, late = life.first.candidates.order_by("starts_at")[:3]
    voter = signed_in(life.london[0])
    voter.post(f"/circles/c/{life.first.pk}/vote/", {"can_attend": [early.pk, middle.pk]})
    for signup in [*life.london[1:4], life.new_york[0], life.waitlist[0]]:
        chosen = {middle.pk} if signup != life.london[3] else {late.pk}
        scheduling.record_votes(life.first, member=life.member(signup), can_attend=chosen)
    story.at(days=6)
    invitation_answers.accept_invitation(life.member(life.waitlist[1]), consent=True)
    life.refresh()


def series_email(member: CircleMember, circle: Circle, sequence: int = 0) -> Email:
    return Email.objects.get(key=f"circle-series:{circle.pk}:{sequence}:{member.pk}")


def events(text: str) -> list:
    return list(Calendar.from_ical(text).walk("VEVENT"))


def the_series(text: str):
    (series,) = [event for event in events(text) if "RECURRENCE-ID" not in event]
    return series


def test_the_time_most_can_make_is_picked_once_everyone_who_accepted_voted(story, life):
    for stage in (sent, answered, backfilled, formed, voted):
        stage(story)
    middle = life.first.candidates.order_by("starts_at")[1]
    assert (
        life.first.first_meeting_at == middle.starts_at == datetime(2027, 2, 2, 18, 30, tzinfo=UTC)
    )
    assert life.first.meetings.count() == 13
    members = list(life.first.members.filter(status=Status.ACCEPTED))
    assert len(members) == 7
    # the six who voted got the series when it was picked, the late newcomer when they accepted
    assert all(series_email(member, life.first) for member in members)
    assert life.second.first_meeting_at == datetime(2027, 2, 2, 18, 0, tzinfo=UTC)


def test_the_calendar_keeps_london_time_and_new_york_sees_the_hour_move_twice(story, life):
    for stage in (sent, answered, backfilled, formed, voted):
        stage(story)
    new_yorker = life.member(life.new_york[0])
    email = series_email(new_yorker, life.first)
    assert "Tuesday 2 February 2027 at 13:30 (America/New_York)" in email.body_text
    assert email.attachment_type == "text/calendar; method=REQUEST"
    calendar = Calendar.from_ical(email.attachment_text)
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    series = the_series(email.attachment_text)
    assert series["DTSTART"].params["TZID"] == "Europe/London"
    assert (series["RRULE"]["INTERVAL"], series["RRULE"]["COUNT"]) == ([2], [13])
    starts = list(rrulestr(series["RRULE"].to_ical().decode(), dtstart=series.decoded("DTSTART")))
    assert {(when.astimezone(LONDON).hour, when.minute) for when in starts} == {(18, 30)}
    in_new_york = [when.astimezone(NEW_YORK) for when in starts]
    # America moves its clocks on 14 March, Britain on 28 March, and back on 31 October and
    # 7 November: in between, the London meeting is an hour later in New York.
    hours = {when.date(): when.hour for when in in_new_york}
    assert hours[date(2027, 3, 2)] == 13 and hours[date(2027, 3, 16)] == 14
    assert hours[date(2027, 3, 30)] == 13
    rows = list(life.first.meetings.order_by("number").values_list("starts_at", flat=True))
    assert [when.astimezone(UTC) for when in starts] == rows
    assert [str(attendee) for attendee in [series["ATTENDEE"]]] == [
        f"mailto:{new_yorker.signup.email}"
    ]


def test_moving_a_meeting_keeps_the_uid_and_raises_the_sequence_for_everyone(story, life):
    for stage in (sent, answered, backfilled, formed, voted):
        stage(story)
    uid = str(
        the_series(series_email(life.member(life.london[0]), life.first).attachment_text)["UID"]
    )
    third = life.first.meetings.get(number=2)
    meetings.move_meeting(third, starts_at=third.starts_at + timedelta(days=1), by=None)
    moved = emails(f"circle-meeting-moved:{third.pk}:1:")
    assert len(moved) == 7
    for email in moved:
        found = events(email.attachment_text)
        assert {str(event["UID"]) for event in found} == {uid}
        assert {int(event["SEQUENCE"]) for event in found} == {1}
        (occurrence,) = [event for event in found if "RECURRENCE-ID" in event]
        assert occurrence.decoded("RECURRENCE-ID").astimezone(UTC) == third.original_starts_at


def rsvp_link(email: Email, label: str) -> str:
    return re.search(rf"{label} (\S+)", email.body_text).group(1).removeprefix(SITE)


def reminded(story: Story) -> None:
    """The evening before the first meeting, the reminder goes out with its RSVP links."""
    story.clock.move_to(datetime(2027, 2, 1, 20, 0, tzinfo=UTC))
    tasks.send_meeting_reminders()


def test_rsvp_links_in_the_reminder_answer_for_their_member_once_a_button_is_pressed(story, life):
    for stage in (sent, answered, backfilled, formed, voted, reminded):
        stage(story)
    first = life.first.meetings.get(number=0)
    reminders = {e.to: e for e in emails(f"circle-meeting-reminder:{first.pk}:")}
    assert len(reminders) == 7
    new_yorker, londoner = life.member(life.new_york[0]), life.member(life.london[1])
    assert (
        "Tuesday 2 February 2027 at 13:30 (America/New_York)"
        in reminders[new_yorker.signup.email].body_text
    )
    cannot = rsvp_link(reminders[new_yorker.signup.email], "Can't come\\?")
    Client().get(cannot)
    assert not first.attendance.exists()  # a mail scanner following the link answers nothing
    Client().post(cannot)
    Client().post(rsvp_link(reminders[londoner.signup.email], "Coming\\?"))
    answers = dict(first.attendance.values_list("member", "rsvp"))
    assert answers == {new_yorker.pk: "no", londoner.pk: "yes"}
    page = signed_in(life.london[0]).get(f"/circles/c/{life.first.pk}/").content.decode()
    assert "1 coming, 1 not coming." in page


def met(story: Story) -> None:
    """Two meetings with under half there, then one nobody marks as held."""
    life = story.life
    came = [life.member(signup).pk for signup in life.london[:3]]
    story.clock.move_to(datetime(2027, 2, 2, 20, 0, tzinfo=UTC))
    record = f"/circles/c/{life.first.pk}/meetings/%d/attendance/"
    signed_in(life.london[0]).post(record % 0, {"present": came})
    story.clock.move_to(datetime(2027, 2, 16, 20, 0, tzinfo=UTC))
    signed_in(life.london[0]).post(record % 1, {"present": came})
    for number in (0, 1):
        second = life.second.meetings.get(number=number)
        present = set(life.second.members.values_list("pk", flat=True))
        attendance.record_attendance(second, present=present, by=None)
    story.clock.move_to(datetime(2027, 3, 5, 9, 0, tzinfo=UTC))


def health_of(circle: Circle) -> health.CircleHealth:
    return health.circle_health(health.with_health_data(Circle.objects.filter(pk=circle.pk)).get())


def test_a_circle_that_stops_meeting_is_flagged_at_risk_with_its_reasons(story, life):
    for stage in (sent, answered, backfilled, formed, voted, met):
        stage(story)
    first = health_of(life.first)
    assert first.risks() == {"missed", "attendance"}
    assert first.reasons[0].startswith(
        "Missed 1 planned meeting: nobody marked the meeting of 2 Mar 2027"
    )
    assert "3 of 7 on 2 Feb 2027 and 3 of 7 on 16 Feb 2027" in first.reasons[1]
    tasks.send_health_digest()
    (digest,) = emails("circles-health-digest:")
    assert "Circle 1" in digest.body_text and "Attendance under half" in digest.body_text


def left(story: Story) -> None:
    """Two leave each circle, from the circle's page; nobody on the waitlist fits their places."""
    life = story.life
    for signup in life.london[2:4]:
        signed_in(signup).post(f"/circles/c/{life.first.pk}/leave/")
    for member in list(life.second.members.filter(status=Status.ACCEPTED))[:2]:
        signed_in(member.signup).post(f"/circles/c/{life.second.pk}/leave/")


def test_members_who_leave_lose_their_seat_and_a_circle_of_five_is_at_risk(story, life):
    for stage in (sent, answered, backfilled, formed, voted, met, left):
        stage(story)
    gone = [life.member_row(signup) for signup in life.london[2:4]]
    assert {member.status for member in gone} == {Status.LEFT}
    assert not {member.signup.email for member in gone} & seats(life.first)
    assert len(seats(life.first)) == 5
    assert "small" in health_of(life.first).risks()
    assert "Only 5 members left" in health_of(life.first).reasons[-1]
    places = Backfill.objects.filter(vacancy__in=gone)
    assert {place.status for place in places} == {Backfill.Status.NONE_FITS}
    assert life.first.pk in {partner.pk for partner in merge_partners(life.second)}


def merged(story: Story) -> None:
    life = story.life
    story.organizing.post(manage(life.second, "merge/"), {"into": life.first.pk})
    life.refresh()


def test_merging_moves_people_channels_and_calendars_into_the_other_circle(story, life):
    for stage in (sent, answered, backfilled, formed, voted, met, left):
        stage(story)
    moving = list(life.second.members.filter(status=Status.ACCEPTED))
    merged(story)
    assert life.second.status == Circle.Status.ENDED and life.second.merged_into == life.first
    assert SlackChannel.objects.get(pk=life.second.slack_channel_id).archive
    assert seats(life.second) == set()
    assert {m.signup.email for m in moving} <= seats(life.first)
    assert len(seats(life.first)) == 9
    cancelled = emails(f"circle-series-cancelled:{life.second.pk}:")
    assert sorted(e.to for e in cancelled) == sorted(m.signup.email for m in moving)
    assert all("METHOD:CANCEL" in e.attachment_text for e in cancelled)
    for member in moving:  # the series of the circle they joined is in their calendar
        invitation = series_email(member, life.first)
        assert str(the_series(invitation.attachment_text)["UID"]) == life.first.ics_uid
    assert health_of(life.first).risks() == {"missed", "attendance"}  # no longer small


def test_ending_the_circle_archives_its_channel_cancels_the_series_and_frees_its_people(
    story, life
):
    for stage in (sent, answered, backfilled, formed, voted, met, left, merged):
        stage(story)
    next_round = make_round(slug="autumn", name="Autumn circles")
    ending = list(life.first.members.filter(status=Status.ACCEPTED))
    response = story.organizing.post(
        manage(life.first, "end/"), {"reason": "They stopped meeting.", "carry_to": next_round.pk}
    )
    assert response.status_code == 302
    life.refresh()
    assert life.first.status == Circle.Status.ENDED and life.first.ended_at
    assert SlackChannel.objects.get(pk=life.first.slack_channel_id).archive
    to_come = life.first.meetings.filter(starts_at__gt=datetime(2027, 3, 5, tzinfo=UTC))
    assert set(to_come.values_list("status", flat=True)) == {Meeting.Status.CANCELLED}
    cancelled = emails(f"circle-series-cancelled:{life.first.pk}:")
    assert len(cancelled) == len(ending) == 9
    series = the_series(cancelled[0].attachment_text)
    assert str(series["UID"]) == life.first.ics_uid
    assert int(series["SEQUENCE"]) == life.first.ics_sequence > 0
    assert {m.status for m in CircleMember.objects.filter(pk__in=[m.pk for m in ending])} == {
        Status.ENDED
    }
    carried = next_round.signups.filter(carried_over_from__in=[m.signup_id for m in ending])
    assert carried.count() == 9
    assert health.circles_at_risk() == []


def test_a_circle_ended_before_its_vote_closed_never_gets_meetings(story, life):
    for stage in (sent, answered):
        stage(story)
    assert life.second.candidates.exists()
    story.organizing.post(manage(life.second, "end/"), {"reason": "Everyone changed jobs."})
    story.at(days=10)
    tasks.pick_meeting_times()
    life.refresh()
    assert life.second.status == Circle.Status.ENDED
    assert life.second.first_meeting_at is None and not life.second.meetings.exists()
    assert not emails(f"circle-series:{life.second.pk}:")
