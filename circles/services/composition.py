"""Composing a round in the background: start, run (with progress), cancel.

A run is a row. The task claims it with a conditional update, so a second delivery of the same
message does nothing; progress and the organizer's cancel travel through the row. The result
replaces the round's unlocked proposed circles and the waitlist reasons in one transaction. While a
run is under way the review refuses changes by hand, so the result never overwrites one.
"""

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from circles import domain
from circles.models import Circle, CircleMember, CompositionRun, Round, SignUp
from circles.services import review
from community.models import User
from community.queue import enqueue_on_commit

logger = logging.getLogger(__name__)
Status = CompositionRun.Status
PROGRESS_EVERY = 0.5  # seconds between writes of the progress (and reads of a cancel)
STALE_AFTER = timedelta(minutes=15)  # a run still "running" this long ago lost its worker
LOST_AFTER = timedelta(minutes=2)  # a run still queued this long ago lost its message


class Cancelled(Exception):
    """The organizer cancelled the run while it was composing."""


@transaction.atomic
def start_composition(
    round: Round, *, requested_by: User | None, time_limit: float | None = None
) -> CompositionRun:
    """Queue a composition of everything not locked; refused while another one is under way."""
    round = Round.objects.select_for_update().get(pk=round.pk)
    _give_up_stale_runs(round)
    if round.composition_runs.filter(status__in=CompositionRun.IN_PROGRESS).exists():
        raise ValidationError("A composition of this round is already under way.")
    if not round.signups.active().exists():
        raise ValidationError("This round has no sign-ups to compose yet.")
    run = CompositionRun.objects.create(
        round=round,
        requested_by=requested_by,
        time_limit_seconds=time_limit or settings.CIRCLES_COMPOSITION_SECONDS,
    )
    review.record(round, actor=requested_by, action="composition.started", run=run.pk)
    from circles.tasks import compose_round

    enqueue_on_commit(compose_round, run.pk)
    return run


def _give_up_stale_runs(round: Round | None = None) -> int:
    runs = round.composition_runs.all() if round else CompositionRun.objects.all()
    stale = runs.filter(status=Status.RUNNING, started_at__lt=timezone.now() - STALE_AFTER)
    return stale.update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        error="The worker running it stopped before it finished.",
    )


def resume_stalled_compositions() -> int:
    """The periodic sweep: enqueue again the runs whose message was lost (the broker was down
    when they were started), and give up on runs whose worker died. Returns how many it resent."""
    _give_up_stale_runs()
    from circles.tasks import compose_round

    lost = CompositionRun.objects.filter(
        status=Status.QUEUED, created_at__lt=timezone.now() - LOST_AFTER
    ).values_list("pk", flat=True)
    for run_id in lost:
        compose_round.delay(run_id)  # the claim makes a second copy of a message harmless
    return len(lost)


def active_run(round: Round) -> CompositionRun | None:
    return round.composition_runs.filter(status__in=CompositionRun.IN_PROGRESS).first()


@transaction.atomic
def cancel_composition(run: CompositionRun, *, by: User | None) -> CompositionRun:
    """Stop a run: a queued one never starts; a running one stops at its next progress report."""
    queued = CompositionRun.objects.filter(pk=run.pk, status=Status.QUEUED)
    if queued.update(status=Status.CANCELLED, cancel_requested=True, finished_at=timezone.now()):
        action = "composition.cancelled"
    elif CompositionRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
        cancel_requested=True
    ):
        action = "composition.cancel_requested"
    else:
        raise ValidationError("This composition has already finished.")
    review.record(run.round, actor=by, action=action, run=run.pk)
    run.refresh_from_db()
    return run


def _claim(run_id: int) -> bool:
    return bool(
        CompositionRun.objects.filter(
            pk=run_id, status=Status.QUEUED, cancel_requested=False
        ).update(status=Status.RUNNING, started_at=timezone.now(), progress=0)
    )


def run_composition(run_id: int) -> bool:
    """Compose the run's round; False when it was claimed already, was cancelled or failed."""
    if not _claim(run_id):
        return False
    run = CompositionRun.objects.select_related("round").get(pk=run_id)
    started = time.monotonic()
    try:
        result, signups = _compose(run)
        if result is None:
            return True  # a large round: its parts run as separate tasks, and a last one merges
        save_result(run, result, signups, seconds=time.monotonic() - started)
    except Cancelled:
        with transaction.atomic():  # the page shows "cancelled" only with its audit entry
            finish_run(run_id, Status.CANCELLED)
            review.record(run.round, actor=None, action="composition.stopped", run=run_id)
        return False
    except Exception as exc:
        logger.exception("Composition run %s failed", run_id)
        finish_run(run_id, Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        return False
    return True


def finish_run(run_id: int, status: str, **fields) -> None:
    CompositionRun.objects.filter(pk=run_id, status=Status.RUNNING).update(
        status=status, finished_at=timezone.now(), **fields
    )


class Heartbeat:
    """Progress and cancel while the solver runs, through the run's row.

    The solver reports progress only between the parts of a round and checks for a stop only when
    it finds a solution, so a thread beside it writes the progress every PROGRESS_EVERY seconds (the
    solver's share, or the share of the time limit spent, whichever is further) and reads the
    organizer's cancel for the solver's next check. All of it happens in that thread, on its own
    database connection, so the solver's callbacks cost nothing.
    """

    def __init__(self, run_id: int, *, time_limit: float, elapsed: float = 0.0):
        self.run_id = run_id
        self.time_limit = max(time_limit, 0.1)
        self.started = time.monotonic() - elapsed
        self.share = 0.0
        self.cancelled = False
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"composition-{run_id}", daemon=True
        )

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._done.set()
        self._thread.join(timeout=10)

    def progress(self, share: float) -> None:
        self.share = max(self.share, float(share))

    def should_stop(self) -> bool:
        return self.cancelled

    def percent(self) -> int:
        spent = (time.monotonic() - self.started) / self.time_limit
        return min(max(int(max(self.share, spent) * 100), 0), 99)  # 100 once the result is saved

    def beat(self) -> None:
        percent = self.percent()
        CompositionRun.objects.filter(pk=self.run_id, progress__lt=percent).update(progress=percent)
        self.cancelled = self.cancelled or cancel_requested_for(self.run_id)

    def _beat(self) -> None:
        try:
            while not self._done.wait(PROGRESS_EVERY):
                try:
                    self.beat()
                except Exception:  # a missed beat only delays the bar; the run goes on
                    logger.warning("Could not report the progress of run %s", self.run_id)
        finally:
            connection.close()


def cancel_requested_for(run_id: int) -> bool:
    return CompositionRun.objects.filter(pk=run_id, cancel_requested=True).exists()


def _compose(run: CompositionRun) -> tuple[domain.Composition | None, dict[str, SignUp]]:
    """The composition of a small round; None for a large one, whose parts were dispatched."""
    from circles.composition import compose_plan, fill_seconds, plan_round
    from circles.services import composition_parts

    round, started, limit = run.round, time.monotonic(), run.time_limit_seconds
    signups = {signup.domain_id: signup for signup in round.signups.active()}
    people = [signup.to_domain() for signup in signups.values()]
    with Heartbeat(run.pk, time_limit=limit) as heartbeat:
        plan = plan_round(
            people,
            round.rules(),
            locked=review.locked_circles(round),
            pinned=review.pinned_circles(round),
            held_back=review.held_back_ids(round),
            fill_seconds=fill_seconds(limit),
            should_stop=heartbeat.should_stop,
        )
        if composition_parts.worth_splitting(plan) and not heartbeat.should_stop():
            composition_parts.dispatch(run, plan, started=started)
            return None, signups
        result = compose_plan(
            plan,
            round.rules(),
            started=started,
            time_limit=limit,
            progress=heartbeat.progress,
            should_stop=heartbeat.should_stop,
        )
    if heartbeat.cancelled or cancel_requested_for(run.pk):
        raise Cancelled  # what the solver found so far is not what the organizer wants now
    return result, signups


@transaction.atomic
def save_result(
    run: CompositionRun,
    result: domain.Composition,
    signups: dict[str, SignUp],
    *,
    seconds: float,
) -> None:
    round = Round.objects.select_for_update().get(pk=run.round_id)
    if CompositionRun.objects.select_for_update().get(pk=run.pk).cancel_requested:
        raise Cancelled
    kept = {frozenset(circle.members) for circle in review.locked_circles(round)}
    pinning = {str(circle.pk): circle for circle in review.pinning_circles(round)}
    review.replaceable_circles(round).delete()
    review.current_members().filter(circle__in=pinning.values(), locked=False).delete()
    number = round.circles.aggregate(last=Max("number"))["last"] or 0
    for circle in result.circles:
        if circle.ref in pinning:
            _refill_circle(pinning[circle.ref], circle, signups, run=run)
        elif frozenset(circle.members) not in kept:
            number += 1
            _create_circle(round, circle, signups, number=number, run=run)
    _set_waitlist(round, result.unplaced, signups)
    placed = sum(len(circle.members) for circle in result.circles)
    summary = {
        "placed": placed,
        "signups": len(signups),
        "upper_bound": result.upper_bound,
        "optimal": result.optimal,
        "seconds": round_to(seconds),
        "circles": len(result.circles),
    }
    CompositionRun.objects.filter(pk=run.pk).update(
        status=Status.DONE, progress=100, finished_at=timezone.now(), result=summary
    )
    review.record(round, actor=None, action="composition.finished", run=run.pk, **summary)


def round_to(seconds: float) -> float:
    return float(f"{seconds:.2f}")


def _create_circle(
    round: Round, circle: domain.Circle, signups, *, number: int, run: CompositionRun
) -> Circle:
    row = Circle(
        round=round,
        composition_run=run,
        number=number,
        format=circle.format.value,
        window=sorted(circle.window),
        explanation=list(circle.explanation),
    )
    row.set_place(circle.place)
    row.save()
    CircleMember.objects.bulk_create(
        CircleMember(circle=row, signup=signups[member]) for member in circle.members
    )
    return row


def _refill_circle(row: Circle, circle: domain.Circle, signups, *, run: CompositionRun) -> None:
    """A circle holding locked people keeps its row and number; the rest of it is new."""
    row.composition_run = run
    row.format = circle.format.value
    row.window = sorted(circle.window)
    row.explanation = list(circle.explanation)
    row.set_place(circle.place)
    row.save()
    there = set(review.current_members().filter(circle=row).values_list("signup_id", flat=True))
    CircleMember.objects.bulk_create(
        CircleMember(circle=row, signup=signups[member])
        for member in circle.members
        if signups[member].pk not in there
    )


def _set_waitlist(round: Round, unplaced: dict[str, str], signups: dict[str, SignUp]) -> None:
    """The unplaced get composition's reason; everyone placed loses any reason they had."""
    changed = []
    for domain_id, signup in signups.items():
        reason = unplaced.get(domain_id, "")
        if reason != signup.waitlist_reason:
            signup.waitlist_reason = reason
            changed.append(signup)
    SignUp.objects.bulk_update(changed, ["waitlist_reason"], batch_size=500)
