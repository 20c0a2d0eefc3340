"""A coach who turns bookings off stops new bookings everywhere, their mentorship days included;
the sessions already booked stand, and the coach is told so when they save."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from community.models import Email
from mentoring.models import Booking, MentorshipDay, Topic
from mentoring.services import bookings as service
from mentoring.services.mentorship_days import announce_pending_days, slices_of
from tests.circles.factories import make_round, make_signup
from tests.conftest import give_totp, make_user
from tests.mentoring.factories import NOW, make_other_member
from tests.mentoring.reading import page_text

NINE = datetime(2027, 3, 18, 8, 0, tzinfo=UTC)  # 09:00 in Berlin on the day


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def day(profile):
    return MentorshipDay.objects.create(
        coach=profile,
        timezone=profile.timezone,
        day=date(2027, 3, 18),
        starts_at=time(9),
        ends_at=time(12),
        session_minutes=45,
    )


def stop_taking_bookings(profile) -> None:
    profile.accepting_bookings = False
    profile.save(update_fields=["accepting_bookings"])


def settings_form(profile, **changes) -> dict:
    data = {
        "form": "settings",
        "settings-accepting_bookings": "on",
        "settings-languages": profile.languages,
        "settings-session_lengths": profile.session_lengths,
        "settings-buffer_before_minutes": profile.buffer_before_minutes,
        "settings-buffer_after_minutes": profile.buffer_after_minutes,
        "settings-notice_hours": profile.notice_hours,
        "settings-horizon_days": profile.horizon_days,
    }
    return {key: value for key, value in {**data, **changes}.items() if value is not None}


def test_a_day_session_is_refused_once_the_coach_stops_taking_bookings(day, profile, member):
    other = make_other_member("other@example.com")
    held = service.book_day_session(day, member=other, starts_at=NINE, agenda="Before")
    stop_taking_bookings(profile)
    with pytest.raises(ValidationError, match="Colin Coach is not taking bookings at the moment"):
        service.book_day_session(
            day, member=member, starts_at=NINE + timedelta(hours=1), agenda="After"
        )
    held.refresh_from_db()
    assert held.status == Booking.Status.BOOKED  # what was booked stands
    assert list(Booking.objects.values_list("member", flat=True)) == [other.pk]


def test_the_day_page_tells_members_the_coach_is_not_taking_bookings_and_offers_no_form(
    client_for, day, profile, member
):
    stop_taking_bookings(profile)
    response = client_for(member).get(f"/coaching/days/{day.pk}/")
    page = response.content.decode()
    assert "Colin Coach is not taking bookings at the moment" in page_text(response)
    assert 'name="starts_at"' not in page and "Book this session" not in page
    assert not any(s.open for s in slices_of(day))


def test_a_crafted_booking_on_the_day_page_is_refused_when_the_coach_is_not_taking_bookings(
    client_for, day, profile, member
):
    stop_taking_bookings(profile)
    response = client_for(member).post(
        f"/coaching/days/{day.pk}/", {"starts_at": NINE.isoformat(), "agenda": "Scaling"}
    )
    assert "not taking bookings at the moment" in response.content.decode()
    assert not Booking.objects.exists()


def test_the_coach_sees_on_their_day_that_members_cannot_book_it(client_for, day, profile):
    stop_taking_bookings(profile)
    response = client_for(profile.user).get(f"/coaching/days/{day.pk}/")
    assert "You are not taking bookings at the moment" in page_text(response)


def test_a_day_of_a_coach_not_taking_bookings_is_not_listed_to_members(
    client_for, day, profile, member
):
    client = client_for(member)
    assert list(client.get("/coaching/").context["days"]) == [day]
    stop_taking_bookings(profile)
    assert list(client.get("/coaching/").context["days"]) == []


def test_a_day_is_announced_only_once_its_coach_takes_bookings_again(day, profile):
    hiring = Topic.objects.create(name="Hiring", slug="hiring")
    day.topics.add(hiring)
    keen = make_other_member("keen@example.com")
    make_signup(make_round(), user=keen, email=keen.email, topics="hiring")
    stop_taking_bookings(profile)
    assert announce_pending_days() == 0
    assert not Email.objects.filter(to=keen.email).exists()
    profile.accepting_bookings = True
    profile.save(update_fields=["accepting_bookings"])
    assert announce_pending_days() == 1
    assert Email.objects.filter(to=keen.email, key__contains=":announced:").count() == 1


def test_turning_bookings_off_tells_the_coach_their_coming_days_stop_taking_bookings_too(
    client_for, day, profile
):
    client = client_for(profile.user)
    page = client.get("/coaching/availability/").content.decode()
    assert "on your mentorship days either. The sessions already booked stand." in page
    response = client.post(
        "/coaching/availability/", settings_form(profile, **{"settings-accepting_bookings": None})
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert not profile.accepting_bookings
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "your coming mentorship day takes no bookings either" in message
    assert "The sessions already booked stand." in message


def test_saving_other_settings_says_nothing_of_mentorship_days(client_for, day, profile):
    response = client_for(profile.user).post("/coaching/availability/", settings_form(profile))
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == "Saved. Members see your new open times straight away."


def test_a_day_planned_while_not_taking_bookings_is_not_announced_and_the_coach_is_told(
    client_for, profile, django_capture_on_commit_callbacks
):
    keen = make_other_member("keen@example.com")
    make_signup(make_round(), user=keen, email=keen.email, topics="hiring")
    profile.topics.add(Topic.objects.create(name="Hiring", slug="hiring"))
    stop_taking_bookings(profile)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(profile.user).post(
            "/coaching/days/new/",
            {
                "day": "2027-03-19",
                "starts_at": "09:00",
                "ends_at": "12:00",
                "session_minutes": 45,
                "break_minutes": 15,
            },
            follow=True,
        )
    assert "members hear of it once you take bookings again" in response.content.decode()
    assert MentorshipDay.objects.get(day=date(2027, 3, 19)).announced_at is None
    assert not Email.objects.filter(to=keen.email).exists()


def test_members_a_day_was_announced_to_are_told_once_when_the_coach_stops_taking_bookings(
    client_for, day, profile, clock
):
    day.topics.add(Topic.objects.create(name="Hiring", slug="hiring"))
    keen, booker = make_other_member("keen@example.com"), make_other_member("booker@example.com")
    round_ = make_round()
    for user in (keen, booker):
        make_signup(round_, user=user, email=user.email, topics="hiring")
    assert announce_pending_days() == 2
    service.book_day_session(day, member=booker, starts_at=NINE, agenda="Hiring a head of QA")
    client = client_for(profile.user)
    off = settings_form(profile, **{"settings-accepting_bookings": None})
    client.post("/coaching/availability/", off)
    closed = Email.objects.filter(key__contains=":closed:")
    (told,) = closed
    assert told.to == keen.email and "is closed to new bookings" in told.body_text
    # On and off again before the day is announced anew: nobody is told twice.
    client.post("/coaching/availability/", settings_form(profile))
    client.post("/coaching/availability/", off)
    assert closed.count() == 1
    # Taking bookings again, the day is announced anew through the usual path.
    clock.move_to(NOW + timedelta(days=1))
    client.post("/coaching/availability/", settings_form(profile))
    assert announce_pending_days() == 2
    assert Email.objects.filter(to=keen.email, key__contains=":announced:").count() == 2


def test_turning_a_coachs_bookings_off_in_the_admin_tells_the_announced_members_too(
    client_for, day, profile
):
    day.topics.add(Topic.objects.create(name="Hiring", slug="hiring"))
    keen = make_other_member("keen@example.com")
    make_signup(make_round(), user=keen, email=keen.email, topics="hiring")
    assert announce_pending_days() == 1
    admin = make_user("admin@example.com", staff=True)
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    give_totp(admin)
    client = client_for(admin)
    url = f"/admin/mentoring/coachprofile/{profile.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in {**form.initial, "accepting_bookings": ""}.items()
        if value is not None
    }
    data["topics"] = [topic.pk for topic in data.get("topics", [])]
    data["session_lengths"] = form["session_lengths"].value()
    response = client.post(url, {k: v for k, v in data.items() if v != ""})
    assert response.status_code == 302, response.context["adminform"].form.errors
    profile.refresh_from_db()
    assert not profile.accepting_bookings
    (told,) = Email.objects.filter(key__contains=":closed:")
    assert told.to == keen.email


@pytest.mark.parametrize("taking", [True, False])
def test_a_cancelled_member_is_pointed_to_a_page_they_can_book_from(profile, member, taking):
    booking = service.book_session(profile, member=member, starts_at=NINE, minutes=60, agenda="x")
    if not taking:
        stop_taking_bookings(profile)
    service.cancel_booking(booking, by=profile.user, reason="Called away")
    told = Email.objects.filter(to=member.email, subject__icontains="cancel").get()
    coach_page = f"/coaching/coaches/{profile.pk}/"
    for body in (told.body_text, told.body_html):
        assert (coach_page in body) is taking
        assert ("not taking bookings at the moment" in body) is not taking
        assert ("another coach" in body.lower()) is not taking
