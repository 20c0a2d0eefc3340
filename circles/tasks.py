"""Celery tasks of circles: thin wrappers that load a row by key and call one service."""

from celery import shared_task

from circles.services import composition, composition_parts, import_apply, rounds


# acks_late: a worker lost mid-run leaves the message to be delivered again; the claim makes that
# second delivery harmless, and a run left "running" by a dead worker is given up after a while.
@shared_task(acks_late=True)
def compose_round(run_id: int) -> bool:
    return composition.run_composition(run_id)


@shared_task
def resume_stalled_compositions() -> int:
    return composition.resume_stalled_compositions()


# acks_late: a worker lost mid-apply leaves the message to be delivered again; the claim and the
# rows already written make the second delivery resume where the first stopped.
@shared_task(acks_late=True)
def apply_import(batch_id: int) -> bool:
    return import_apply.run_apply(batch_id)


@shared_task
def resume_stalled_imports() -> int:
    return import_apply.resume_stalled_imports()


@shared_task(acks_late=True)
def compose_part(part_id: int) -> bool:
    return composition_parts.run_part(part_id)


@shared_task(acks_late=True)
def merge_composition_parts(run_id: int) -> bool:
    return composition_parts.run_merge(run_id)


@shared_task
def close_due_rounds() -> int:
    return len(rounds.close_due_rounds())
