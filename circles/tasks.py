"""Celery tasks of circles: thin wrappers that load a row by key and call one service."""

from celery import shared_task

from circles.services import backfills, composition


# acks_late: a worker lost mid-run leaves the message to be delivered again; the claim makes that
# second delivery harmless, and a run left "running" by a dead worker is given up after a while.
@shared_task(acks_late=True)
def compose_round(run_id: int) -> bool:
    return composition.run_composition(run_id)


@shared_task
def resume_stalled_compositions() -> int:
    return composition.resume_stalled_compositions()


# Places nobody on the waitlist fitted are looked at again: a later sign-up may fit them.
@shared_task
def retry_unfilled_backfills() -> int:
    return backfills.retry_unfilled_backfills()
