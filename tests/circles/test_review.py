"""The organizer's review of a round: the page, moves, locks, re-runs and the waitlist."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from circles import density
from circles.domain import Format, Place
from circles.domain import SignUp as DomainSignUp
from circles.models import Circle, CompositionRun, ReviewEvent, SignUp
from circles.services import composition, import_apply, imports, review
from community.models import Email
from tests.circles.factories import make_round
from tests.circles.people import round_with_people, sign_up_people


@pytest.fixture
def composed(db, organizer, django_capture_on_commit_callbacks):
    """A round of 20 people composed into circles (the task runs in-process)."""
    round = round_with_people(20)
    with django_capture_on_commit_callbacks(execute=True):
        composition.start_composition(round, requested_by=organizer, time_limit=1)
    return round


def url(round, name="round_review", **kwargs):
    return reverse(f"circles:{name}", kwargs={"slug": round.slug, **kwargs})


def members_of(circle) -> set[str]:
    return set(
        review.current_members().filter(circle=circle).values_list("signup__name", flat=True)
    )


def first_circles(round):
    return list(round.circles.order_by("number"))


def test_the_review_page_shows_each_circle_its_people_and_its_validity(
    composed, client_for, organizer
):
    response = client_for(organizer).get(url(composed))

    assert response.status_code == 200
    page = response.content.decode()
    for circle in first_circles(composed):
        assert f'id="circle-{circle.number}"' in page
        for name in members_of(circle):
            assert name in page
    assert "Valid" in page
    assert "Tue 18:00–20:00" in page  # the common window, in each member's own timezone
    assert "<svg" in page and "<progress" not in page


def test_the_heat_map_is_drawn_in_the_organizers_timezone():
    person = DomainSignUp(
        id="1",
        name="A",
        company_key="a",
        format=Format.VIDEO,
        place=None,
        timezone="America/New_York",
        utc_offset_minutes=-300,
        slots=frozenset({48 + 36}),  # Tuesday 18:00 UTC
    )

    heatmap = density.week_heatmap([person], offset_minutes=-300)

    (busy,) = [cell for cell in heatmap["cells"] if cell.count]
    assert busy.title == "Tue 13:00: 1 available"


def test_the_place_map_sizes_dots_by_count_and_labels_cities():
    def person(number, place):
        return DomainSignUp(
            id=str(number),
            name="A",
            company_key=str(number),
            format=Format.IN_PERSON,
            place=place,
            timezone="Europe/Berlin",
            utc_offset_minutes=60,
            slots=frozenset(),
        )

    kotti = Place("Berlin: Kottbusser Tor", 52.499, 13.418, "Berlin")
    soho = Place("London: Soho", 51.513, -0.136, "London")
    people = [person(n, kotti) for n in range(4)] + [person(9, soho), person(10, None)]

    chart = density.place_map(people)

    big, small = chart["dots"]
    assert big.count == 4 and small.count == 1 and big.r > small.r
    assert big.x > small.x and big.y < small.y  # Berlin is east and north of London
    assert [label.text for label in chart["labels"]] == ["Berlin (4)", "London (1)"]
    assert chart["unknown"] == 1


def test_a_local_window_is_written_in_each_persons_own_time():
    slots = [48 + 36, 48 + 37, 48 + 38]  # Tuesday 18:00-19:30 UTC
    assert density.window_runs(slots, offset_minutes=60) == ["Tue 19:00–20:30"]
    assert density.window_runs(slots, offset_minutes=330) == ["Tue 23:30–01:00"]
    assert density.window_runs([0, 335], offset_minutes=0) == ["Sun 23:30–00:30"]


def test_self_identification_appears_only_as_counts_per_circle(composed, client_for, organizer):
    SignUp.objects.filter(round=composed, name__in=["Person 001", "Person 002"]).update(
        gender=SignUp.Gender.WOMAN, underrepresented=True
    )

    page = client_for(organizer).get(url(composed)).content.decode()

    assert "Rule 5 check" in page
    assert "Woman" not in page
    rows = [row for row in page.split("<tr>") if "Person 001" in row or "Person 002" in row]
    # The forms' CSRF tokens are random letters, and could spell anything.
    rows = [re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", row) for row in rows]
    assert rows and not any("wom" in row.split("</tr>")[0].lower() for row in rows)


def test_moving_a_person_locks_them_in_their_new_circle_and_is_recorded(
    composed, client_for, organizer
):
    source, target = first_circles(composed)[:2]
    person = review.current_members().filter(circle=source).first().signup

    response = client_for(organizer).post(
        url(composed, "move_person"), {"signup": person.pk, "to": target.number}
    )

    assert response.status_code == 302
    assert person.name in members_of(target) and person.name not in members_of(source)
    assert review.current_members().get(signup=person).locked
    event = ReviewEvent.objects.get(round=composed, action="member.moved")
    assert event.actor == organizer
    assert event.details["to_circle"] == target.pk and event.details["from_circle"] == source.pk
    assert not Email.objects.exists()  # nothing is sent to anyone from the review
    page = client_for(organizer).get(url(composed)).content.decode()
    assert f"moved {person.name} from Circle {source.number} to Circle {target.number}" in page


def test_moving_someone_to_the_waitlist_keeps_them_there_with_a_reason(
    composed, client_for, organizer
):
    circle = first_circles(composed)[0]
    person = review.current_members().filter(circle=circle).first().signup

    client_for(organizer).post(url(composed, "move_person"), {"signup": person.pk, "to": ""})

    person.refresh_from_db()
    assert person.waitlist_reason == review.MOVED_TO_WAITLIST
    assert person.locked_on_waitlist
    assert person in composed.signups.on_waitlist()


def test_a_circle_broken_by_a_move_is_marked_invalid_and_says_which_rule(
    composed, client_for, organizer
):
    circle = first_circles(composed)[0]
    client = client_for(organizer)
    while len(members_of(circle)) >= composed.min_size:
        person = review.current_members().filter(circle=circle).first().signup
        client.post(url(composed, "move_person"), {"signup": person.pk, "to": ""})

    page = client.get(url(composed)).content.decode()

    assert "Not valid: not a final circle" in page
    assert "Rules it breaks" in page


@pytest.mark.parametrize(
    "data",
    [
        {"signup": "999999", "to": ""},  # nobody
        {"signup": "not-a-number", "to": ""},
        {"signup": "PERSON", "to": "999"},  # a circle that does not exist
    ],
    ids=["unknown person", "malformed id", "unknown circle"],
)
def test_a_crafted_move_is_refused_and_changes_nothing(composed, client_for, organizer, data):
    person = review.current_members().filter(circle__round=composed).first().signup
    data = {key: str(person.pk) if value == "PERSON" else value for key, value in data.items()}
    before = set(review.current_members().values_list("pk", "circle_id"))

    response = client_for(organizer).post(url(composed, "move_person"), data)

    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    assert set(review.current_members().values_list("pk", "circle_id")) == before
    assert not ReviewEvent.objects.filter(action="member.moved").exists()


def test_someone_from_another_round_cannot_be_moved_into_this_one(composed, client_for, organizer):
    other = make_round(name="Autumn", slug="autumn")
    (stranger,) = sign_up_people(other, 1, start=500)
    circle = first_circles(composed)[0]

    response = client_for(organizer).post(
        url(composed, "move_person"), {"signup": stranger.pk, "to": circle.number}
    )

    assert response.status_code == 400
    assert stranger.name not in members_of(circle)


def test_a_locked_circle_cannot_be_changed_by_hand_until_unlocked(composed, client_for, organizer):
    locked, other = first_circles(composed)[:2]
    client = client_for(organizer)
    client.post(url(composed, "lock_circle"), {"circle": locked.number, "locked": "on"})
    person = review.current_members().filter(circle=other).first().signup

    response = client.post(url(composed, "move_person"), {"signup": person.pk, "to": locked.number})

    assert response.status_code == 400
    assert "is locked" in response.content.decode()
    assert person.name not in members_of(locked)
    client.post(url(composed, "lock_circle"), {"circle": locked.number})
    assert not Circle.objects.get(pk=locked.pk).locked
    actions = list(composed.events.values_list("action", flat=True)[:2])
    assert actions == ["circle.unlocked", "circle.locked"]


def test_changes_by_hand_wait_while_a_composition_is_under_way(composed, organizer):
    CompositionRun.objects.create(round=composed, requested_by=organizer)
    circle = first_circles(composed)[0]
    person = review.current_members().filter(circle=circle).first().signup

    with pytest.raises(ValidationError, match="under way"):
        review.move_person(composed, signup=person, to=None, by=organizer)
    with pytest.raises(ValidationError, match="under way"):
        review.set_circle_lock(composed, circle=circle, locked=True, by=organizer)


def test_the_page_offers_a_progress_bar_and_a_plain_refresh_link_while_composing(
    composed, client_for, organizer
):
    run = CompositionRun.objects.create(round=composed, requested_by=organizer, progress=42)

    page = client_for(organizer).get(url(composed)).content.decode()
    progress = client_for(organizer).get(url(composed, "composition_progress", run_id=run.pk))

    assert '<progress id="composition-progress" max="100" value="42"' in page
    assert "composition_progress.js" in page and ">Refresh</a>" in page
    assert progress.json() == {
        "status": "queued",
        "progress": 42,
        "finished": False,
        "label": "Waiting for a worker…",
        "cancel_requested": False,
    }


def test_a_run_of_another_round_is_not_found(composed, client_for, organizer):
    other = make_round(name="Autumn", slug="autumn")
    run = CompositionRun.objects.create(round=other)

    response = client_for(organizer).post(url(composed, "cancel_composition", run_id=run.pk))

    assert response.status_code == 404
    run.refresh_from_db()
    assert not run.cancel_requested


def test_the_waitlist_carries_over_to_the_next_round_once(composed, organizer):
    circle = first_circles(composed)[0]
    person = review.current_members().filter(circle=circle).first().signup
    review.move_person(composed, signup=person, to=None, by=organizer)
    later = make_round(name="Summer", slug="summer")

    carried = review.carry_over_waitlist(composed, to=later, by=organizer)
    again = review.carry_over_waitlist(composed, to=later, by=organizer)

    assert again == []
    assert {row.carried_over_from for row in carried} == set(composed.signups.on_waitlist())
    (carried,) = [row for row in carried if row.carried_over_from == person]
    assert carried.round == later
    assert carried.name == person.name and carried.slots == person.slots
    assert carried.waitlist_reason == "" and not carried.locked_on_waitlist


def test_the_review_page_needs_as_many_queries_for_many_circles_as_for_few(
    db, organizer, client_for, django_capture_on_commit_callbacks
):
    def queries_for(people: int, slug: str) -> int:
        round = round_with_people(0, slug=slug, name=slug)
        sign_up_people(round, people, start=1000 * len(slug))
        with django_capture_on_commit_callbacks(execute=True):
            composition.start_composition(round, requested_by=organizer, time_limit=1)
        client = client_for(organizer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(round)).status_code == 200
        return captured.captured_queries, round.circles.count()

    make_round(name="Next", slug="next")  # so both pages offer to carry the waitlist over
    few, few_circles = queries_for(16, "few")
    many, many_circles = queries_for(60, "manyy")

    assert many_circles > few_circles
    assert len(many) == len(few), "\n".join(q["sql"][:150] for q in many)


SAMPLE = Path(__file__).parent / "data" / "circle-signups-200.jsonl"


def test_two_hundred_messy_sign_ups_make_a_review_page_with_everyone_once(
    db, organizer, client_for, django_capture_on_commit_callbacks
):
    round = make_round(first_meeting=date(2027, 3, 2))
    batch = imports.start_import(
        round, file_name="signups.jsonl", content=SAMPLE.read_bytes(), uploaded_by=organizer
    )
    import_apply.apply_import(batch, applied_by=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        composition.start_composition(round, requested_by=organizer, time_limit=3)

    response = client_for(organizer).get(url(round))

    assert response.status_code == 200
    context = response.context
    placed = [row.signup.pk for view in context["circles"] for row in view.members]
    waiting = [signup.pk for signup in context["waitlist"]]
    assert sorted(placed + waiting) == sorted(round.signups.active().values_list("pk", flat=True))
    assert context["circles"] and all(view.valid for view in context["circles"])
    assert all(signup.waitlist_reason for signup in context["waitlist"])
    labels = [label.text for label in context["place_map"]["labels"]]
    assert any(label.startswith("London (") for label in labels), labels
    fields = {row["label"]: row for row in context["cleaning"]["fields"]}
    assert fields["places"]["resolved"] > 150 and fields["companies"]["resolved"] > 150
    assert fields["timezones"]["filled"] > 0  # missing timezones come from the place
    assert context["cleaning"]["duplicate_count"] > 0


def test_a_carried_over_person_keeps_their_own_hours_across_a_daylight_saving_change(db, organizer):
    winter = make_round(name="Winter", slug="winter", first_meeting=date(2027, 1, 12))
    summer = make_round(name="Summer", slug="summer", first_meeting=date(2027, 7, 13))
    evening = [{"day": "Tue", "start": "18:00", "end": "19:00"}]  # London time
    (person,) = sign_up_people(
        winter, 1, raw={"availability": evening}, slots=[84, 85], utc_offset_minutes=0
    )
    person.waitlist_reason = "nobody else shares your Tuesday 18:00 slot"
    person.save()

    (carried,) = review.carry_over_waitlist(winter, to=summer, by=organizer)

    assert carried.slots == [82, 83]  # 18:00 in London is 17:00 UTC in July
    assert carried.utc_offset_minutes == 60
    assert density.window_runs(carried.slots, offset_minutes=60) == ["Tue 18:00–19:00"]


def test_in_a_round_of_many_circles_a_person_is_moved_by_typing_a_circle_number(
    composed, client_for, organizer, monkeypatch
):
    monkeypatch.setattr("circles.services.review_page.MANY_CIRCLES", 1)
    source, target = first_circles(composed)[:2]
    person = review.current_members().filter(circle=source).first().signup

    page = client_for(organizer).get(url(composed)).content.decode()
    client_for(organizer).post(
        url(composed, "move_person"), {"signup": person.pk, "to": str(target.number)}
    )

    assert f'<input id="move-{person.pk}" name="to" type="number"' in page
    assert f'<select id="move-{person.pk}"' not in page
    assert person.name in members_of(target)


@pytest.fixture
def recompose(client_for, organizer, settings, django_capture_on_commit_callbacks):
    """Press "Re-run" on the review page; the task runs in-process as the commit would."""
    settings.CIRCLES_COMPOSITION_SECONDS = 1

    def press(round):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(organizer).post(url(round, "compose"))
        assert response.status_code == 302
        return client_for(organizer).get(url(round)).content.decode()

    return press


def test_a_locked_person_keeps_their_circle_which_a_re_run_fills_anew_around_them(
    db, client_for, organizer, recompose, django_capture_on_commit_callbacks
):
    round = round_with_people(24)
    with django_capture_on_commit_callbacks(execute=True):
        composition.start_composition(round, requested_by=organizer, time_limit=1)
    circle = first_circles(round)[0]
    pinned, *others = [m.signup for m in review.current_members().filter(circle=circle)]
    client = client_for(organizer)
    client.post(url(round, "lock_person"), {"signup": pinned.pk, "locked": "on"})
    for person in others[: len(others) - 4]:  # leaves 5: too few for a valid circle
        client.post(url(round, "move_person"), {"signup": person.pk, "to": ""})
    assert "Not valid" in client.get(url(round)).content.decode()

    page = recompose(round)

    stays = review.current_members().get(signup=pinned)
    assert stays.circle_id == circle.pk and stays.locked
    assert round.min_size <= len(members_of(circle)) <= round.max_size
    assert "Not valid" not in page
    assert not set(others[: len(others) - 4]) & set(
        SignUp.objects.filter(circle_memberships__circle__round=round)
    )


def test_locked_people_who_cannot_make_a_valid_circle_stay_together_and_the_page_says_why(
    db, client_for, organizer, recompose, django_capture_on_commit_callbacks
):
    round = round_with_people(24)
    with django_capture_on_commit_callbacks(execute=True):
        composition.start_composition(round, requested_by=organizer, time_limit=1)
    circle = first_circles(round)[0]
    first, second = [m.signup for m in review.current_members().filter(circle=circle)][:2]
    SignUp.objects.filter(pk=second.pk).update(company_key=first.company_key)
    for person in (first, second):
        review.set_person_lock(round, signup=person, locked=True, by=organizer)

    page = recompose(round)

    assert members_of(circle) == {first.name, second.name}
    assert "Kept together because its people are locked" in page
    assert "same company" in page
    assert review.current_members().filter(circle__round=round).count() == 24  # the rest placed
