"""Composing a round in the background: the run row, its claim, progress, cancel and the result."""

import random
import sys
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from circles import tasks
from circles.models import Circle, CompositionRun, ReviewEvent, SignUp
from circles.services import composition, review
from tests.circles.people import round_with_people, sign_up_people
from tests.conftest import wait_for

Status = CompositionRun.Status


@pytest.fixture
def compose_now(django_capture_on_commit_callbacks):
    """Start a composition and run its task as the commit would (in-process in tests)."""

    def compose(round, organizer) -> CompositionRun:
        with django_capture_on_commit_callbacks(execute=True):
            run = composition.start_composition(round, requested_by=organizer, time_limit=1)
        run.refresh_from_db()
        return run

    return compose


def placed(round) -> set[int]:
    return set(
        review.current_members().filter(circle__round=round).values_list("signup_id", flat=True)
    )


def test_a_composition_places_people_in_circles_and_gives_the_rest_a_reason(
    db, organizer, compose_now
):
    round = round_with_people(20)
    sign_up_people(round, 1, start=100, slots=[0, 1])  # Monday 00:00 UTC: nobody else then

    run = compose_now(round, organizer)

    assert run.status == Status.DONE
    assert run.progress == 100
    assert run.result["placed"] == 20
    assert round.circles.count() >= 2
    assert len(placed(round)) == 20
    loner = round.signups.get(name="Person 100")
    assert loner.waitlist_reason
    assert not round.signups.exclude(pk=loner.pk).exclude(waitlist_reason="").exists()
    assert list(round.events.values_list("action", flat=True)) == [
        "composition.finished",
        "composition.started",
    ]


def test_a_second_delivery_of_the_same_run_does_nothing(db, organizer, compose_now):
    round = round_with_people(20)
    run = compose_now(round, organizer)
    circles = list(round.circles.values_list("pk", flat=True))

    assert composition.run_composition(run.pk) is False

    assert list(round.circles.values_list("pk", flat=True)) == circles
    assert round.events.filter(action="composition.finished").count() == 1


def test_a_second_composition_is_refused_while_one_is_under_way(db, organizer, monkeypatch):
    round = round_with_people(20)
    monkeypatch.setattr("circles.services.composition.enqueue_on_commit", lambda *args: None)
    composition.start_composition(round, requested_by=organizer)

    with pytest.raises(ValidationError, match="already under way"):
        composition.start_composition(round, requested_by=organizer)
    assert round.composition_runs.count() == 1


def test_a_round_without_sign_ups_cannot_be_composed(db, organizer):
    round = round_with_people(0)

    with pytest.raises(ValidationError, match="no sign-ups"):
        composition.start_composition(round, requested_by=organizer)
    assert not round.composition_runs.exists()


def test_a_run_cancelled_before_it_starts_never_changes_the_circles(db, organizer, monkeypatch):
    round = round_with_people(20)
    monkeypatch.setattr("circles.services.composition.enqueue_on_commit", lambda *args: None)
    run = composition.start_composition(round, requested_by=organizer)

    composition.cancel_composition(run, by=organizer)

    assert composition.run_composition(run.pk) is False
    run.refresh_from_db()
    assert run.status == Status.CANCELLED
    assert not round.circles.exists()
    with pytest.raises(ValidationError, match="already finished"):
        composition.cancel_composition(run, by=organizer)


def test_a_run_asked_to_stop_while_composing_keeps_the_circles_as_they_were(
    db, organizer, monkeypatch, compose_now
):
    round = round_with_people(20)
    first = compose_now(round, organizer)
    before = set(round.circles.values_list("pk", flat=True))
    monkeypatch.setattr("circles.services.composition.enqueue_on_commit", lambda *args: None)
    run = composition.start_composition(round, requested_by=organizer)
    CompositionRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    CompositionRun.objects.filter(pk=run.pk).update(status=Status.RUNNING)
    # The claim only takes queued runs; a run stopped mid-way is simulated from its claim on.
    monkeypatch.setattr("circles.services.composition._claim", lambda run_id: True)

    assert composition.run_composition(run.pk) is False

    run.refresh_from_db()
    assert run.status == Status.CANCELLED
    assert set(round.circles.values_list("pk", flat=True)) == before
    assert first.status == Status.DONE


def test_a_failing_composition_records_its_error_and_changes_nothing(
    db, organizer, monkeypatch, compose_now
):
    round = round_with_people(20)

    def broken(*args, **kwargs):
        raise RuntimeError("the solver fell over")

    monkeypatch.setattr("circles.composition.compose_plan", broken)
    run = compose_now(round, organizer)

    assert run.status == Status.FAILED
    assert "the solver fell over" in run.error
    assert not round.circles.exists()


def test_progress_follows_the_solver_or_the_time_spent_and_waits_for_the_result_to_reach_100(
    db, organizer, monkeypatch
):
    round = round_with_people(20)
    monkeypatch.setattr("circles.services.composition.enqueue_on_commit", lambda *args: None)
    run = composition.start_composition(round, requested_by=organizer)
    heartbeat = composition.Heartbeat(run.pk, time_limit=10)

    heartbeat.progress(0.4)
    heartbeat.beat()
    run.refresh_from_db()
    assert run.progress == 40
    heartbeat.started -= 6  # six of the ten seconds spent
    heartbeat.beat()
    run.refresh_from_db()
    assert run.progress == 60
    heartbeat.progress(1.0)
    heartbeat.beat()
    run.refresh_from_db()
    assert run.progress == 99
    assert not heartbeat.should_stop()
    CompositionRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    heartbeat.beat()
    assert heartbeat.should_stop()


def test_a_rerun_keeps_locked_circles_and_locked_people(db, organizer, compose_now):
    round = round_with_people(30)
    compose_now(round, organizer)
    first, second = round.circles.order_by("number")[:2]
    review.set_circle_lock(round, circle=first, locked=True, by=organizer)
    pinned = review.current_members().filter(circle=second).first()
    review.set_person_lock(round, signup=pinned.signup, locked=True, by=organizer)
    kept = set(review.current_members().filter(circle=first).values_list("signup", flat=True))

    compose_now(round, organizer)

    assert (
        set(review.current_members().filter(circle=first).values_list("signup", flat=True)) == kept
    )
    assert Circle.objects.get(pk=first.pk).locked
    stays = review.current_members().get(signup=pinned.signup)
    assert stays.circle_id == second.pk and stays.locked
    assert stays.circle.number == second.number
    assert len(placed(round)) == 30


def test_someone_locked_on_the_waitlist_stays_there_on_a_rerun(db, organizer, compose_now):
    round = round_with_people(20)
    compose_now(round, organizer)
    person = round.signups.get(name="Person 003")
    review.move_person(round, signup=person, to=None, by=organizer)

    compose_now(round, organizer)

    assert person.pk not in placed(round)
    person.refresh_from_db()
    assert person.locked_on_waitlist
    assert person.waitlist_reason


# A large round: its independent parts (clusters of places) run as separate tasks, then merge.

CITIES = {
    "London": (51.5136, -0.1365, "GB"),
    "Berlin": (52.52, 13.405, "DE"),
}


@pytest.fixture
def two_cities(db, monkeypatch):
    """A round of 12 people in London and 12 in Berlin, in person, large enough to be split."""
    monkeypatch.setattr(sys.modules["circles.composition.compose"], "WHOLE_ROUND_LIMIT", 10)
    round = round_with_people(0)
    for start, (city, (lat, lon, country)) in zip((0, 100), CITIES.items(), strict=True):
        sign_up_people(
            round,
            12,
            start=start,
            format=SignUp.Format.IN_PERSON,
            place_name=f"{city}: centre",
            place_city=city,
            place_country_code=country,
            place_latitude=lat,
            place_longitude=lon,
        )
    return round


@pytest.fixture
def parts_held(monkeypatch):
    """The part tasks are not sent: the test runs them one by one, as workers would."""
    sent = []
    monkeypatch.setattr(
        "circles.services.composition_parts._send_parts", lambda ids: sent.extend(ids)
    )
    return sent


def cities_of(round) -> list[set[str]]:
    return [
        set(circle.members.values_list("signup__place_city", flat=True))
        for circle in round.circles.all()
    ]


def test_a_large_round_runs_its_parts_as_separate_tasks_and_merges_them(
    two_cities, organizer, compose_now
):
    run = compose_now(two_cities, organizer)

    assert run.status == Status.DONE and run.progress == 100
    parts = list(run.parts.all())
    assert [(p.status, len(p.people)) for p in parts] == [("done", 12), ("done", 12)]
    assert run.result["placed"] == 24 and len(placed(two_cities)) == 24
    cities = cities_of(two_cities)
    assert all(len(c) == 1 for c in cities) and set().union(*cities) == {"Berlin", "London"}


def test_a_small_round_stays_one_task(db, organizer, compose_now):
    run = compose_now(round_with_people(20), organizer)
    assert run.status == Status.DONE and not run.parts.exists()


def test_progress_adds_up_across_parts_and_the_last_part_merges(
    two_cities, organizer, compose_now, parts_held
):
    run = compose_now(two_cities, organizer)
    assert run.status == Status.RUNNING and len(parts_held) == 2
    first, second = run.parts.all()

    assert tasks.compose_part(first.pk)
    assert not tasks.compose_part(first.pk)  # a second copy of the message does nothing

    run.refresh_from_db()
    share = first.seconds / (first.seconds + second.seconds)
    assert run.status == Status.RUNNING and run.progress == int(90 * share)
    assert tasks.compose_part(second.pk)  # the last part sends the merge (run in-process here)
    run.refresh_from_db()
    assert run.status == Status.DONE and run.result["placed"] == 24


def test_cancelling_a_split_run_stops_every_part_and_changes_nothing(
    two_cities, organizer, compose_now, parts_held
):
    run = compose_now(two_cities, organizer)

    composition.cancel_composition(run, by=organizer)
    for part_id in parts_held:
        assert not tasks.compose_part(part_id)

    run.refresh_from_db()
    assert run.status == Status.CANCELLED
    assert set(run.parts.values_list("status", flat=True)) == {"cancelled"}
    assert not two_cities.circles.exists()
    assert "composition.stopped" in two_cities.events.values_list("action", flat=True)


def test_a_cancel_after_one_part_finished_stops_the_rest_and_keeps_nothing_of_it(
    two_cities, organizer, compose_now, parts_held
):
    run = compose_now(two_cities, organizer)
    first, second = parts_held
    assert tasks.compose_part(first)

    composition.cancel_composition(run, by=organizer)
    assert not tasks.compose_part(second)

    run.refresh_from_db()
    assert run.status == Status.CANCELLED and not two_cities.circles.exists()


# With a real worker: the task travels through Redis, and the page's progress comes from the row.


def big_round():
    """150 people in overlapping evening windows across timezones: the solver uses its whole
    time limit on this one (it cannot prove the best composition quickly)."""
    rng = random.Random(7)
    round = round_with_people(0)
    for number in range(150):
        start = rng.choice([84, 86, 88, 90, 132, 134, 136])
        sign_up_people(
            round,
            1,
            start=number,
            company_key=f"company-{number % 120}",
            slots=list(range(start, start + rng.choice([2, 3, 4]))),
            utc_offset_minutes=rng.choice([0, 60, 120, -300]),
            gender=SignUp.Gender.WOMAN if number % 9 == 0 else SignUp.Gender.MAN,
            role_kind=rng.choice(["CTO", "VP Eng", "Director", ""]),
        )
    return round


@pytest.mark.services
def test_a_real_worker_composes_a_round_and_reports_its_progress(celery_worker, organizer):
    round = round_with_people(20)
    with transaction.atomic():
        run = composition.start_composition(round, requested_by=organizer, time_limit=1)

    finished = wait_for(lambda: CompositionRun.objects.get(pk=run.pk).status == Status.DONE)
    assert finished, celery_worker.log()
    run.refresh_from_db()
    assert run.progress == 100
    assert run.started_at and run.finished_at
    assert len(placed(round)) == 20
    assert "circles.tasks.compose_round" in celery_worker.log()


@pytest.mark.services
def test_a_real_worker_reports_progress_and_stops_a_cancelled_composition(
    celery_worker, organizer, client_for
):
    round = big_round()
    with transaction.atomic():
        run = composition.start_composition(round, requested_by=organizer, time_limit=60)
    running = wait_for(lambda: CompositionRun.objects.get(pk=run.pk).progress > 0)
    assert running, celery_worker.log()
    progress_url = reverse(
        "circles:composition_progress", kwargs={"slug": round.slug, "run_id": run.pk}
    )
    shown = client_for(organizer).get(progress_url).json()
    assert shown["status"] == "running" and 0 < shown["progress"] < 100
    assert not shown["finished"]

    composition.cancel_composition(run, by=organizer)

    stopped = wait_for(
        lambda: CompositionRun.objects.get(pk=run.pk).status == Status.CANCELLED, timeout=30
    )
    assert stopped, celery_worker.log()
    assert not round.circles.exists()
    assert not SignUp.objects.filter(round=round).exclude(waitlist_reason="").exists()
    assert ReviewEvent.objects.filter(round=round, action="composition.stopped").exists()


def test_the_sweep_sends_again_a_run_whose_message_was_lost(db, organizer, monkeypatch):
    round = round_with_people(20)
    monkeypatch.setattr("circles.services.composition.enqueue_on_commit", lambda *args: None)
    run = composition.start_composition(round, requested_by=organizer, time_limit=1)
    CompositionRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - timedelta(minutes=3)
    )

    assert composition.resume_stalled_compositions() == 1

    run.refresh_from_db()
    assert run.status == Status.DONE
    assert round.circles.exists()


def test_the_sweep_gives_up_on_a_run_whose_worker_died(db, organizer):
    round = round_with_people(20)
    run = CompositionRun.objects.create(
        round=round,
        status=Status.RUNNING,
        started_at=timezone.now() - composition.STALE_AFTER - timedelta(minutes=1),
    )

    composition.resume_stalled_compositions()

    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert "stopped before it finished" in run.error


@pytest.mark.services
def test_a_real_worker_runs_the_parts_of_a_large_round_and_merges_them(celery_worker, organizer):
    round = round_with_people(0)
    for start, (city, (lat, lon, country)) in zip((0, 1000), CITIES.items(), strict=True):
        sign_up_people(
            round,
            130,  # 260 in all: more than a round solved whole
            start=start,
            format=SignUp.Format.IN_PERSON,
            place_city=city,
            place_latitude=lat,
            place_longitude=lon,
            place_country_code=country,
        )
    with transaction.atomic():
        run = composition.start_composition(round, requested_by=organizer, time_limit=4)

    finished = wait_for(
        lambda: CompositionRun.objects.get(pk=run.pk).status == Status.DONE, timeout=60
    )
    assert finished, celery_worker.log()
    run.refresh_from_db()
    assert list(run.parts.values_list("status", flat=True)) == ["done", "done"]
    assert run.result["placed"] == 260 and len(placed(round)) == 260
    assert "circles.tasks.merge_composition_parts" in celery_worker.log()
