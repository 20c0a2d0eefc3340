"""Composing a round in the background: the run row, its claim, progress, cancel and the result."""

import random
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

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

    monkeypatch.setattr("circles.composition.compose", broken)
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
    heartbeat = composition._Heartbeat(run.pk, time_limit=10)

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
