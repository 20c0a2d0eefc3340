"""A large round's composition as separate tasks: one per independent part, then a merge.

The run's task plans the round (`circles.composition.plan_round`): locked and pinned circles are
settled, and the rest splits into clusters of places no in-person circle can span. When there is
more than one, each becomes a CompositionPart row with its people and its share of the time, and a
Celery group sends one task per part, so several workers solve them at once. Each part task claims
its row, solves it (`solve_part`), writes its progress (the run's progress is the parts' weighted
mean) and its result to the row, and reads the organizer's cancel from the run. The last part to
finish sends the merge task, which claims the run with a conditional update, composes the video
stage from whoever is left (`finish_round`) and saves the result as a single-task run does.
Chords need a result backend, which this project does not run; the rows carry the results instead,
so a part's result survives a worker restart and a second copy of any task is harmless.
"""

import logging
import time
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Sum
from django.utils import timezone

from circles import composition as composing
from circles.composition.compose import SOLVING_SHARE
from circles.composition.serialize import (
    circle_from_json,
    circle_json,
    part_result_from_json,
    part_result_json,
)
from circles.models import CompositionPart, CompositionRun, SignUp
from circles.services import composition, review

logger = logging.getLogger(__name__)
PartStatus = CompositionPart.Status
PARTS_SHARE = 0.9  # of the run's progress bar; the merge and the video stage take the rest
SMALLEST_VIDEO_SHARE = 0.1  # of the time limit, for the video stage even when parts ran late


def worth_splitting(plan: composing.Plan) -> bool:
    """Small rounds (one part) stay one task; a large round of several parts is split."""
    return not plan.whole and len(plan.parts) > 1


def dispatch(run: CompositionRun, plan: composing.Plan, *, started: float) -> list[int]:
    """Save the plan and its parts, and send one task per part once that is committed."""
    limit = run.time_limit_seconds
    left = max(0.0, started + limit * SOLVING_SHARE - time.monotonic())
    pool = max(1, len(plan.pool))
    deadline = timezone.now() + timedelta(seconds=left)
    with transaction.atomic():
        CompositionRun.objects.filter(pk=run.pk).update(
            plan={
                "circles": [circle_json(circle) for circle in plan.circles],
                "unplaced": plan.unplaced,
                "pool": [person.id for person in plan.pool],
                "settled": plan.settled,
                "deadline": deadline.isoformat(),
            }
        )
        parts = CompositionPart.objects.bulk_create(
            CompositionPart(
                run=run,
                number=number,
                kind=plan.part_kind,
                people=[person.id for person in people],
                seconds=max(0.05, left * len(people) / pool),
            )
            for number, people in enumerate(plan.parts, start=1)
        )
        ids = [part.pk for part in parts]
        transaction.on_commit(lambda: _send_parts(ids), robust=True)
    return ids


def _send_parts(ids: list[int]) -> None:
    from celery import group

    from circles.tasks import compose_part

    try:
        group(compose_part.s(part_id) for part_id in ids).apply_async()
    except Exception:  # broker unreachable: the run is given up as stale, and can be re-run
        logger.warning("Could not send the composition parts %s", ids)


def _people(ids: list[str], round_id: int) -> list:
    rows = SignUp.objects.filter(round=round_id, pk__in=[int(pk) for pk in ids])
    by_id = {row.domain_id: row.to_domain() for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


class _PartHeartbeat(composition.Heartbeat):
    """The part's progress on its row, the run's as the weighted mean of its parts."""

    def __init__(self, part: CompositionPart):
        super().__init__(part.run_id, time_limit=part.seconds)
        self.part_id = part.pk

    def beat(self) -> None:
        percent = self.percent()
        CompositionPart.objects.filter(pk=self.part_id, progress__lt=percent).update(
            progress=percent
        )
        _update_run_progress(self.run_id)
        self.cancelled = self.cancelled or composition.cancel_requested_for(self.run_id)


def _update_run_progress(run_id: int) -> None:
    totals = CompositionPart.objects.filter(run=run_id).aggregate(
        done=Sum(F("progress") * F("seconds")), whole=Sum("seconds")
    )
    if totals["whole"]:
        percent = int(PARTS_SHARE * (totals["done"] or 0) / totals["whole"])
        CompositionRun.objects.filter(pk=run_id, progress__lt=percent).update(progress=percent)


def run_part(part_id: int) -> bool:
    """Solve one part; False when it was claimed already, or its run was cancelled or ended."""
    claimed = CompositionPart.objects.filter(pk=part_id, status=PartStatus.QUEUED).update(
        status=PartStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return False
    part = CompositionPart.objects.select_related("run__round").get(pk=part_id)
    run = part.run
    if run.cancel_requested or run.status != CompositionRun.Status.RUNNING:
        _end_part(part_id, PartStatus.CANCELLED)
        _merge_when_all_done(run.pk)
        return False
    try:
        people = _people(part.people, run.round_id)
        with _PartHeartbeat(part) as heartbeat:
            result = composing.solve_part(
                people,
                run.round.rules(),
                kind=part.kind,
                until=time.monotonic() + part.seconds,
                should_stop=heartbeat.should_stop,
            )
    except Exception as exc:
        logger.exception("Part %s of composition run %s failed", part_id, run.pk)
        _end_part(part_id, PartStatus.FAILED)
        error = f"Part {part.number}: {type(exc).__name__}: {exc}"[:2000]
        composition.finish_run(run.pk, CompositionRun.Status.FAILED, error=error)
        return False
    _end_part(part_id, PartStatus.DONE, result=part_result_json(result), progress=100)
    _update_run_progress(run.pk)
    _merge_when_all_done(run.pk)
    return True


def _end_part(part_id: int, status: str, **fields) -> None:
    CompositionPart.objects.filter(pk=part_id, status=PartStatus.RUNNING).update(
        status=status, finished_at=timezone.now(), **fields
    )


def _unfinished_parts():
    return CompositionPart.objects.filter(run=OuterRef("pk")).exclude(
        status__in=CompositionPart.FINISHED
    )


def _merge_when_all_done(run_id: int) -> None:
    if (
        not CompositionPart.objects.filter(run=run_id)
        .exclude(status__in=CompositionPart.FINISHED)
        .exists()
    ):
        from circles.tasks import merge_composition_parts

        merge_composition_parts.delay(run_id)  # the merge's claim makes a second copy harmless


def run_merge(run_id: int) -> bool:
    """Merge the parts of a run once all are finished; False when another copy has it."""
    claimed = (
        CompositionRun.objects.filter(
            pk=run_id, status=CompositionRun.Status.RUNNING, merge_started_at=None
        )
        .exclude(Exists(_unfinished_parts()))
        .update(merge_started_at=timezone.now())
    )
    if not claimed:
        return False
    run = CompositionRun.objects.select_related("round").get(pk=run_id)
    elapsed = (timezone.now() - run.started_at).total_seconds()
    try:
        if run.cancel_requested:
            raise composition.Cancelled
        result, signups = _merge(run, elapsed)
        composition.save_result(
            run, result, signups, seconds=elapsed + _since(run.merge_started_at)
        )
    except composition.Cancelled:
        composition.finish_run(run_id, CompositionRun.Status.CANCELLED)
        review.record(run.round, actor=None, action="composition.stopped", run=run_id)
        return False
    except Exception as exc:
        logger.exception("Merging composition run %s failed", run_id)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        composition.finish_run(run_id, CompositionRun.Status.FAILED, error=error)
        return False
    return True


def _since(instant) -> float:
    return (timezone.now() - instant).total_seconds()


def _merge(run: CompositionRun, elapsed: float):
    round, stored = run.round, run.plan
    signups = {signup.domain_id: signup for signup in round.signups.active()}
    people = {pk: signup.to_domain() for pk, signup in signups.items()}
    parts = list(run.parts.all())
    plan = composing.Plan(
        circles=[circle_from_json(circle) for circle in stored["circles"]],
        unplaced=dict(stored["unplaced"]),
        pool=[people[pk] for pk in stored["pool"] if pk in people],
        parts=[[people[pk] for pk in part.people if pk in people] for part in parts],
        whole=False,
        settled=stored["settled"],
    )
    results = [part_result_from_json(p.result) for p in parts if p.status == PartStatus.DONE]
    limit = run.time_limit_seconds
    left = (datetime.fromisoformat(stored["deadline"]) - timezone.now()).total_seconds()
    video_seconds = max(left, limit * SMALLEST_VIDEO_SHARE)
    with composition.Heartbeat(run.pk, time_limit=limit, elapsed=elapsed) as heartbeat:
        result = composing.finish_round(
            plan,
            results,
            round.rules(),
            video_until=time.monotonic() + video_seconds,
            should_stop=heartbeat.should_stop,
        )
    if heartbeat.cancelled or composition.cancel_requested_for(run.pk):
        raise composition.Cancelled
    return result, signups
