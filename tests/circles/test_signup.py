from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from circles.models import SignUp
from circles.services.signups import availability_from_grid, grid_from_availability
from community.models import Email, SelfIdentification
from tests.circles.factories import make_round, make_signup

pytestmark = pytest.mark.django_db

URL = "/circles/spring/sign-up/"
# Monday 18:00-19:30 and Tuesday 07:30-08:30, as (day, half-hour) cells of the grid.
CELLS = ["0-36", "0-37", "0-38", "1-15", "1-16"]


def answers(**overrides) -> dict:
    return {
        "format": "in_person",
        "city": "Berlin",
        "meeting_area": "Kreuzberg",
        "timezone": "Europe/Berlin",
        "cells": CELLS,
        "topics": "Hiring senior engineers",
        **overrides,
    }


@pytest.fixture
def round():
    return make_round()


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def test_the_grid_turns_ticked_half_hours_into_local_time_ranges_and_back():
    cells = {(0, 36), (0, 37), (0, 38), (1, 15), (6, 47)}
    availability = availability_from_grid(cells)
    assert availability == [
        {"day": "Mon", "start": "18:00", "end": "19:30"},
        {"day": "Tue", "start": "07:30", "end": "08:00"},
        {"day": "Sun", "start": "23:30", "end": "24:00"},
    ]
    assert grid_from_availability(availability) == cells


def test_the_sign_up_page_shows_a_labelled_checkbox_for_every_half_hour_of_the_week(
    signed_in, round
):
    page = signed_in.get(URL).content.decode()
    assert page.count('type="checkbox" name="cells"') == 7 * 48
    assert "Wednesday 07:30–08:00" in page
    assert 'value="Europe/London"' in page or "timezone" in page


def test_a_member_signs_up_with_their_answers_and_profile_and_gets_a_confirmation(
    signed_in, round, member
):
    response = signed_in.post(URL, answers())
    assert response.status_code == 302
    signup = SignUp.objects.get(round=round)
    assert (signup.user, signup.email, signup.source) == (member, member.email, "site")
    assert signup.raw["availability"] == [
        {"day": "Mon", "start": "18:00", "end": "19:30"},
        {"day": "Tue", "start": "07:30", "end": "08:30"},
    ]
    assert signup.raw["company"] == "Northwind" and signup.raw["role_kind"] == "VP Eng"
    assert (signup.format, signup.timezone, signup.topics) == (
        "in_person",
        "Europe/Berlin",
        "Hiring senior engineers",
    )
    assert len(signup.slots) == 5
    email = Email.objects.get(user=member)
    assert round.name in email.subject and "/circles/spring/sign-up/" in email.body_text


def test_the_under_represented_answer_comes_only_from_self_identification(signed_in, round, member):
    signed_in.post(URL, answers(underrepresented="on", gender="woman"))
    signup = SignUp.objects.get(round=round)
    assert (signup.underrepresented, signup.raw["gender"]) == (False, "")
    SelfIdentification.objects.create(
        user=member, gender="Woman", underrepresented="yes", consented_at=timezone.now()
    )
    signed_in.post(URL, answers())
    signup.refresh_from_db()
    assert (signup.underrepresented, signup.gender) == (True, "woman")


def test_a_member_edits_their_sign_up_without_a_second_one_or_a_second_email(
    signed_in, round, member
):
    signed_in.post(URL, answers())
    page = signed_in.get(URL).content.decode()
    assert 'value="0-36" checked' in page and "You are signed up" in page
    signed_in.post(URL, answers(format="video", cells=["2-20"], city=""))
    signup = SignUp.objects.get(round=round)
    assert (signup.format, signup.raw["availability"]) == (
        "video",
        [{"day": "Wed", "start": "10:00", "end": "10:30"}],
    )
    assert Email.objects.filter(user=member).count() == 1


def test_a_member_withdraws_and_may_sign_up_again_while_the_round_is_open(signed_in, round, member):
    signed_in.post(URL, answers())
    response = signed_in.post(URL + "withdraw/")
    assert response.status_code == 302
    signup = SignUp.objects.get(round=round)
    assert signup.status == "withdrawn" and signup.withdrawn_at
    assert "Sign up</button>" in signed_in.get(URL).content.decode()
    signed_in.post(URL, answers())
    signup.refresh_from_db()
    assert signup.status == "active" and round.signups.count() == 1


def test_a_sign_up_needs_some_availability_and_a_city_to_meet_in_person(signed_in, round):
    response = signed_in.post(URL, answers(cells=[], city=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tick at least one half-hour" in page and "Say which city" in page
    assert not SignUp.objects.exists()


def test_a_round_offering_only_video_offers_no_other_format(signed_in):
    make_round(formats_offered="video")
    page = signed_in.get(URL).content.decode()
    assert 'value="in_person"' not in page
    response = signed_in.post(URL, answers(format="in_person"))
    assert response.status_code == 200 and not SignUp.objects.exists()


def test_before_the_window_opens_the_page_says_when_it_will(signed_in):
    make_round(signup_opens_at=timezone.now() + timedelta(days=2))
    page = signed_in.get(URL).content.decode()
    assert "Sign-ups open on" in page and 'name="cells"' not in page
    signed_in.post(URL, answers())
    assert not SignUp.objects.exists()


def test_after_the_window_closes_a_member_can_no_longer_change_or_withdraw(
    signed_in, round, member
):
    signed_in.post(URL, answers())
    with time_machine.travel(round.signup_closes_at + timedelta(minutes=1)):
        page = signed_in.get(URL).content.decode()
        assert "closed on" in page and "You signed up" in page
        signed_in.post(URL, answers(format="video"))
        signed_in.post(URL + "withdraw/")
    signup = SignUp.objects.get(round=round)
    assert (signup.format, signup.status) == ("in_person", "active")


def test_a_draft_round_is_not_shown_to_members(signed_in):
    make_round(status="draft")
    assert signed_in.get(URL).status_code == 404
    assert "Spring circles" not in signed_in.get("/circles/").content.decode()


def test_members_see_the_open_rounds_and_whether_they_signed_up(signed_in, round, member):
    assert "Sign up</a>" in signed_in.get("/circles/").content.decode()
    make_signup(round, user=member, email=member.email)
    assert "You are signed up" in signed_in.get("/circles/").content.decode()


def test_an_imported_sign_up_with_the_members_email_becomes_theirs(signed_in, round, member):
    imported = make_signup(round, email=member.email.upper(), source="import", external_id="a1")
    signed_in.post(URL, answers())
    imported.refresh_from_db()
    assert imported.user == member and round.signups.count() == 1
