from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from circles import domain
from circles.models import Alias, Circle, CircleMember, CompositionRun, ImportBatch, Round
from community import privacy
from tests.circles.factories import make_round, make_signup

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_a_new_round_has_the_communitys_rules():
    assert make_round().rules() == domain.Rules()


def test_a_round_gives_composition_its_edited_rules():
    round = make_round(min_size=5, max_distance_km=4.5, min_group_size=3)
    rules = round.rules()
    assert (rules.min_size, rules.max_distance_km, rules.min_group_size) == (5, 4.5, 3)


def test_a_round_refuses_sizes_out_of_order_and_a_window_closing_before_it_opens():
    assert refused(lambda: make_round(min_size=9, target_min_size=8))
    assert refused(lambda: make_round(slug="b", max_size=7))
    round = make_round(slug="c")
    assert refused(
        lambda: make_round(slug="d", signup_closes_at=round.signup_opens_at - timedelta(hours=1))
    )


def test_a_round_accepts_signups_only_while_open_and_inside_its_window():
    round = make_round()
    assert round.accepts_signups()
    assert not round.accepts_signups(round.signup_closes_at)
    assert not round.accepts_signups(round.signup_opens_at - timedelta(seconds=1))
    round.status = Round.Status.DRAFT
    assert not round.accepts_signups()


def test_one_signup_per_email_per_round_whatever_its_case():
    round = make_round()
    make_signup(round, email="ada@example.com")
    assert refused(lambda: make_signup(round, email="ADA@example.com"))
    other_round = make_round(slug="autumn")
    make_signup(other_round, email="ada@example.com")


def test_one_signup_per_external_id_per_round_but_many_without_one():
    round = make_round()
    make_signup(round, email="", external_id="a00001")
    assert refused(lambda: make_signup(round, email="", external_id="a00001"))
    make_signup(round, email="", external_id="")
    make_signup(round, email="", external_id="")


def test_a_signup_becomes_the_domain_signup_composition_takes():
    round = make_round()
    signup = make_signup(
        round,
        company_key="google",
        format="in_person",
        place_name="Berlin: Kreuzberg",
        place_latitude=52.49,
        place_longitude=13.40,
        place_city="Berlin",
        timezone="Europe/Berlin",
        utc_offset_minutes=60,
        slots=[36, 37, 38],
        gender="woman",
        underrepresented=True,
        seniority=2,
    )
    cleaned = signup.to_domain()
    assert cleaned.id == str(signup.pk)
    assert cleaned.place == domain.Place("Berlin: Kreuzberg", 52.49, 13.40, "Berlin")
    assert cleaned.slots == frozenset({36, 37, 38})
    assert cleaned.gender is domain.Gender.WOMAN and cleaned.accepts_in_person
    copy = make_signup(round, email="copy@example.com")
    copy.set_cleaned(cleaned)
    assert copy.to_domain() == domain.SignUp(**{**cleaned.__dict__, "id": str(copy.pk)})


def test_a_person_is_in_at_most_one_current_circle_of_a_round():
    round = make_round()
    signup = make_signup(round)
    first = Circle.objects.create(round=round, number=1, format="video")
    second = Circle.objects.create(round=round, number=2, format="video")
    membership = CircleMember.objects.create(circle=first, signup=signup)
    assert refused(lambda: CircleMember.objects.create(circle=second, signup=signup))
    membership.status = CircleMember.Status.DECLINED
    membership.save()
    CircleMember.objects.create(circle=second, signup=signup)
    assert second.to_domain().members == [str(signup.pk)]


def test_a_round_runs_one_composition_at_a_time():
    round = make_round()
    CompositionRun.objects.create(round=round)
    assert refused(lambda: CompositionRun.objects.create(round=round))
    CompositionRun.objects.create(round=round, status=CompositionRun.Status.DONE)


def test_an_alias_is_one_per_kind_and_text_and_maps_as_cleaning_takes_it():
    Alias.objects.create(kind="place", raw="kotti", value="Berlin: Kottbusser Tor")
    Alias.objects.create(kind="company", raw="kotti", value="kotti")
    assert refused(lambda: Alias.objects.create(kind="place", raw="kotti", value="Berlin"))
    assert Alias.objects.as_mapping() == {
        "company": {"kotti": "kotti"},
        "place": {"kotti": "Berlin: Kottbusser Tor"},
    }


def test_organizers_may_manage_rounds_signups_and_imports():
    permissions = set(
        Group.objects.get(name="Organizers").permissions.values_list("codename", flat=True)
    )
    assert {"change_round", "add_signup", "view_importbatch", "add_alias"} <= permissions


def test_a_persons_signups_are_in_their_export_and_gone_when_they_leave(member):
    round = make_round()
    make_signup(round, user=member, email=member.email, topics="Hiring")
    imported = make_signup(round, email=member.email.upper().replace("MEMBER", "member2"))
    make_signup(make_round(slug="old"), email=member.email.upper(), source="import")
    export = privacy.export_user(member)["circles"]
    assert [signup["topics"] for signup in export["sign_ups"]].count("Hiring") == 1
    assert len(export["sign_ups"]) == 2
    pending = ImportBatch.objects.create(
        round=round,
        file_name="later.jsonl",
        sha256="0" * 64,
        file_format="jsonl",
        rows=[{"id": "1", "email": member.email.upper()}, {"id": "2", "email": "x@example.com"}],
        preview=[{"row": 1, "email": member.email.upper()}, {"row": 2, "email": "x@example.com"}],
    )
    privacy.erase_user(member)
    assert list(round.signups.all()) == [imported]
    pending.refresh_from_db()
    assert [row["id"] for row in pending.rows] == ["2"] and len(pending.preview) == 1
