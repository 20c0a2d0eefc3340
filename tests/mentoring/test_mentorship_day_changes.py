"""Changing a mentorship day without moving anyone's session, and cancelling a whole day: each
booked member is emailed the cancellation and the day leaves every list."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from community.models import Email
from mentoring.models import Booking, MentorshipDay, Topic
from mentoring.services import bookings as service
from mentoring.services.mentorship_days import (
    announce_mentorship_day,
    announce_pending_days,
    cancel_mentorship_day,
    edit_mentorship_day,
    slices_of,
)
from tests.circles.factories import make_round, make_signup
from tests.conftest import make_user
from tests.mentoring.factories import NOW, make_coach_profile, make_other_member

DAY = date(2027, 3, 18)  # a Thursday
NINE = datetime(2027, 3, 18, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
TEN = NINE + timedelta(hours=1)


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def profile(coach):
    profile = make_coach_profile(coach)
    profile.topics.add(Topic.objects.create(name="Hiring", slug="hiring"))
    return profile


@pytest.fixture
def day(profile) -> MentorshipDay:
    """09:00 to 12:00 in Berlin: three sessions of 45 minutes, at 09:00, 10:00 and 11:00."""
    day = MentorshipDay.objects.create(
        coach=profile,
        timezone=profile.timezone,
        title="Hiring managers",
        day=DAY,
        starts_at=time(9),
        ends_at=time(12),
        session_minutes=45,
        break_minutes=15,
        announced_at=NOW,
    )
    day.topics.set(profile.topics.all())
    return day


@pytest.fixture
def announced(day) -> list:
    """Two members who want to discuss hiring, told of the day (one in New York, one in
    Berlin)."""
    round = make_round()
    told = [
        make_other_member("ny@example.com"),
        make_other_member("berlin@example.com", timezone="Europe/Berlin"),
    ]
    for person in told:
        make_signup(round, user=person, email=person.email, topics="hiring")
    MentorshipDay.objects.filter(pk=day.pk).update(announced_at=None)
    assert announce_mentorship_day(day.pk) == 2
    return told


def as_posted(day: MentorshipDay, /, **changes) -> dict:
    """The edit form as the coach sends it, with `changes` made."""
    fields = {
        "title": day.title,
        "day": day.day.isoformat(),
        "starts_at": f"{day.starts_at:%H:%M}",
        "ends_at": f"{day.ends_at:%H:%M}",
        "session_minutes": day.session_minutes,
        "break_minutes": day.break_minutes,
        "topics": [topic.pk for topic in day.topics.all()],
        "description": day.description,
    }
    return {**fields, **changes}


def edit_url(day) -> str:
    return f"/coaching/days/{day.pk}/edit/"


def cancel_url(day) -> str:
    return f"/coaching/days/{day.pk}/cancel/"


def test_the_coach_changes_the_title_description_and_topics_of_a_booked_day(
    client_for, profile, member, day
):
    booking = service.book_day_session(day, member=member, starts_at=TEN, agenda="Offers")
    leading = Topic.objects.create(name="Leading leaders", slug="leading")
    profile.topics.add(leading)
    emails = Email.objects.count()
    response = client_for(profile.user).post(
        edit_url(day),
        as_posted(
            day, title="First-time managers", description="Bring a plan", topics=[leading.pk]
        ),
    )
    assert response.headers["Location"] == f"/coaching/days/{day.pk}/"
    day.refresh_from_db()
    assert (day.title, day.description) == ("First-time managers", "Bring a plan")
    assert list(day.topics.values_list("name", flat=True)) == ["Leading leaders"]
    page = client_for(member).get(f"/coaching/days/{day.pk}/").content.decode()
    assert "<h1>First-time managers</h1>" in page and "Bring a plan" in page
    booking.refresh_from_db()
    assert (booking.status, booking.starts_at) == (Booking.Status.BOOKED, TEN)
    assert Email.objects.count() == emails  # nobody's session changed: nobody is told


def test_the_coach_lengthens_a_booked_day_when_every_session_still_fits(
    client_for, profile, member, day
):
    service.book_day_session(day, member=member, starts_at=TEN, agenda="Offers")
    client_for(profile.user).post(edit_url(day), as_posted(day, ends_at="14:00"))
    day.refresh_from_db()
    assert day.ends_at == time(14)
    assert [s.open for s in slices_of(day)] == [True, False, True, True, True]


@pytest.mark.parametrize(
    "change",
    [
        {"session_minutes": 60},  # the 10:00 session would run to 11:00
        {"break_minutes": 30},  # the second session would start at 10:15
        {"starts_at": "09:30"},  # every session moves half an hour
        {"ends_at": "10:30"},  # the 10:00 session would end after the day
        {"day": "2027-03-19"},  # the day moves to Friday
    ],
    ids=lambda change: next(iter(change)),
)
def test_a_change_that_a_booked_session_would_not_fit_is_refused_and_changes_nothing(
    client_for, profile, member, day, change
):
    booking = service.book_day_session(day, member=member, starts_at=TEN, agenda="Offers")
    response = client_for(profile.user).post(
        edit_url(day), as_posted(day, title="Renamed as well", **change)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "These booked sessions would no longer be sessions of the day" in page
    assert "Maya Member, 10:00–10:45" in page
    day.refresh_from_db()
    assert (day.title, day.day, day.starts_at, day.ends_at) == (
        "Hiring managers",
        DAY,
        time(9),
        time(12),
    )
    assert (day.session_minutes, day.break_minutes) == (45, 15)
    booking.refresh_from_db()
    assert (booking.status, booking.starts_at) == (Booking.Status.BOOKED, TEN)


def test_an_unbooked_day_moves_freely_but_not_onto_another_of_the_coachs_days(profile, day):
    edit_mentorship_day(day, by=profile.user, changes={"day": DAY + timedelta(days=1)})
    day.refresh_from_db()
    assert day.day == DAY + timedelta(days=1)
    other = MentorshipDay.objects.create(
        coach=profile,
        timezone=profile.timezone,
        day=DAY,
        starts_at=time(14),
        ends_at=time(16),
        session_minutes=60,
    )
    with pytest.raises(ValidationError, match="already have a mentorship day on that date"):
        edit_mentorship_day(other, by=profile.user, changes={"day": DAY + timedelta(days=1)})
    other.refresh_from_db()
    assert other.day == DAY


def test_a_day_that_is_over_cannot_be_changed(profile, day, clock):
    clock.move_to(NINE + timedelta(hours=4))
    with pytest.raises(ValidationError, match="over"):
        edit_mentorship_day(day, by=profile.user, changes={"title": "Too late"})


def test_only_the_days_coach_may_change_or_cancel_it(client_for, profile, member, day):
    other_coach = make_user("other-coach@example.com", name="Olga Coach", groups=["Coaches"])
    make_coach_profile(other_coach)
    client = client_for(other_coach)
    assert client.get(edit_url(day)).status_code == 404
    assert client.post(edit_url(day), as_posted(day, title="Mine")).status_code == 404
    assert client.post(cancel_url(day), {"reason": "Mine"}).status_code == 404
    assert client_for(member).post(cancel_url(day), {"reason": "Mine"}).status_code == 403
    with pytest.raises(ValidationError):
        cancel_mentorship_day(day, by=other_coach, reason="Mine")
    day.refresh_from_db()
    assert day.title == "Hiring managers" and not day.is_cancelled


def test_cancelling_the_day_cancels_every_booked_session_and_emails_each_member(
    client_for, profile, member, day
):
    other = make_other_member("other@example.com")
    mine = service.book_day_session(day, member=member, starts_at=NINE, agenda="Offers")
    theirs = service.book_day_session(day, member=other, starts_at=TEN, agenda="Interviews")
    response = client_for(profile.user).post(cancel_url(day), {"reason": "I am ill"})
    assert response.headers["Location"] == "/coaching/days/new/"
    day.refresh_from_db()
    assert (day.cancelled_at, day.cancellation_reason) == (NOW, "I am ill")
    for booking, person in ((mine, member), (theirs, other)):
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CANCELLED
        assert (booking.cancelled_by, booking.change_reason) == (profile.user, "I am ill")
        email = Email.objects.get(to=person.email, key__contains=":cancelled:")
        assert "Colin Coach has called off the whole mentorship day" in email.body_text
        assert "Reason: I am ill" in email.body_text
        assert "METHOD:CANCEL" in email.attachment_text
        assert "STATUS:CANCELLED" in email.attachment_text
    assert Email.objects.filter(to=profile.user.email, key__contains=":cancelled:").count() == 2


def test_a_cancelled_day_leaves_the_pages_and_is_never_announced(client_for, profile, member, day):
    MentorshipDay.objects.filter(pk=day.pk).update(announced_at=None)
    cancel_mentorship_day(day, by=profile.user, reason="Travelling")
    assert announce_mentorship_day(day.pk) == 0 and announce_pending_days() == 0
    client = client_for(member)
    assert "Mentorship days" not in client.get("/coaching/").content.decode()
    assert client.get(f"/coaching/days/{day.pk}/").status_code == 404
    coachs_list = client_for(profile.user).get("/coaching/days/new/").content.decode()
    assert "Hiring managers" not in coachs_list and "None planned." in coachs_list
    assert client_for(profile.user).get(edit_url(day)).status_code == 404
    with pytest.raises(ValidationError, match="cancelled"):
        service.book_day_session(day, member=member, starts_at=NINE, agenda="Still on?")


def test_a_cancelled_day_frees_its_date_for_another(client_for, profile, day):
    cancel_mentorship_day(day, by=profile.user, reason="Moving it to the afternoon")
    client_for(profile.user).post(
        "/coaching/days/new/",
        {
            "day": "2027-03-18",
            "starts_at": "14:00",
            "ends_at": "16:00",
            "session_minutes": 60,
            "break_minutes": 0,
        },
    )
    assert MentorshipDay.objects.upcoming().get().starts_at == time(14)


def test_a_day_is_not_cancelled_without_a_reason(client_for, profile, member, day):
    booking = service.book_day_session(day, member=member, starts_at=NINE, agenda="Offers")
    response = client_for(profile.user).post(cancel_url(day), {"reason": " "}, follow=True)
    assert "Say why the day is cancelled" in response.content.decode()
    day.refresh_from_db()
    booking.refresh_from_db()
    assert not day.is_cancelled and booking.status == Booking.Status.BOOKED
    assert not Email.objects.filter(key__contains=":cancelled:").exists()


def test_sessions_already_held_stay_as_they_were_when_the_rest_of_the_day_is_cancelled(
    profile, member, day, clock
):
    other = make_other_member("other@example.com")
    early = service.book_day_session(day, member=member, starts_at=NINE, agenda="Offers")
    later = service.book_day_session(day, member=other, starts_at=TEN, agenda="Interviews")
    clock.move_to(NINE + timedelta(minutes=50))
    service.record_outcome(early, by=profile.user, status=Booking.Status.HELD)
    assert cancel_mentorship_day(day, by=profile.user, reason="Called away") == [later]
    early.refresh_from_db()
    assert early.status == Booking.Status.HELD
    assert not Email.objects.filter(to=member.email, key__contains=":cancelled:").exists()


def test_a_refused_edit_shows_the_day_as_it_still_is(client_for, profile, day):
    response = client_for(profile.user).post(
        edit_url(day), as_posted(day, day="2027-03-19", starts_at="12:00", ends_at="10:00")
    )
    page = response.content.decode()
    assert "A mentorship day ends after it starts" in page
    assert "Thursday 18 March 2027, 09:00–12:00 in your timezone" in page
    day.refresh_from_db()
    assert (day.day, day.starts_at) == (DAY, time(9))


def test_a_coach_who_moves_to_another_timezone_keeps_their_day_where_it_was(
    client_for, profile, member, day
):
    service.book_day_session(day, member=member, starts_at=TEN, agenda="Offers")
    profile.user.timezone = "America/New_York"
    profile.user.save(update_fields=["timezone"])
    day = MentorshipDay.objects.select_related("coach__user").get(pk=day.pk)
    assert (day.opens_at, day.closes_at) == (NINE, NINE + timedelta(hours=3))
    assert [s.open for s in slices_of(day)] == [True, False, True]

    # The booked 10:00 session (Berlin) is still one of the day's, so the day can grow.
    response = client_for(profile.user).post(edit_url(day), as_posted(day, ends_at="13:00"))
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.timezone, day.ends_at) == ("Europe/Berlin", time(13))
    assert [s.open for s in slices_of(day)] == [True, False, True, True]
    page = client_for(profile.user).get(edit_url(day)).content.decode()
    assert "<strong>Europe/Berlin</strong>" in page and "yours is now America/New_York" in page


def test_moving_an_announced_day_emails_each_member_told_of_it_once_per_change(
    client_for, profile, day, announced
):
    new_yorker, berliner = announced
    coach = client_for(profile.user)
    coach.post(edit_url(day), as_posted(day, day="2027-03-19"))
    coach.post(edit_url(day), as_posted(day, day="2027-03-19"))  # sent twice
    moved = Email.objects.filter(key__startswith=f"mentoring:day:{day.pk}:moved:")
    assert sorted(moved.values_list("to", flat=True)) == sorted([new_yorker.email, berliner.email])
    told = moved.get(to=new_yorker.email)
    assert "Friday 19 March 2027, 04:00–06:45" in told.body_text  # 09:00 to 11:45 in Berlin
    assert "It was Thursday 18 March 2027, 04:00–06:45" in told.body_text
    assert "Friday 19 March 2027, 09:00–11:45" in moved.get(to=berliner.email).body_text

    day.refresh_from_db()
    coach.post(edit_url(day), as_posted(day, starts_at="10:00"))
    assert moved.filter(to=berliner.email).count() == 2
    assert "Friday 19 March 2027, 10:00–11:45" in moved.latest("pk").body_text

    day.refresh_from_db()
    coach.post(edit_url(day), as_posted(day, title="Hiring your first managers", description="!"))
    assert moved.count() == 4  # a change of wording moves nobody


def test_cancelling_an_announced_day_tells_the_members_told_of_it_who_had_not_booked(
    client_for, profile, day, announced
):
    new_yorker, berliner = announced
    service.book_day_session(day, member=berliner, starts_at=TEN, agenda="Offers")
    client_for(profile.user).post(cancel_url(day), {"reason": "I am ill"})
    to_members = Email.objects.exclude(to=profile.user.email)
    called_off = to_members.filter(key__startswith=f"mentoring:day:{day.pk}:called-off:")
    assert list(called_off.values_list("to", flat=True)) == [new_yorker.email]
    assert "Colin Coach has called off their mentorship day" in called_off.get().body_text
    assert "Thursday 18 March 2027, 04:00–06:45" in called_off.get().body_text
    # The member who booked hears it once, through their session's cancellation.
    theirs = to_members.filter(to=berliner.email, key__contains="cancel")
    assert "called off the whole mentorship day" in theirs.get().body_text
