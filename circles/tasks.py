"""Celery tasks of circles: thin wrappers that load a row by key and call one service."""

from celery import shared_task

from circles.services import composition, digests, renewals


# acks_late: a worker lost mid-run leaves the message to be delivered again; the claim makes that
# second delivery harmless, and a run left "running" by a dead worker is given up after a while.
@shared_task(acks_late=True)
def compose_round(run_id: int) -> bool:
    return composition.run_composition(run_id)


@shared_task
def resume_stalled_compositions() -> int:
    return composition.resume_stalled_compositions()


@shared_task
def send_health_digest() -> int:
    return digests.send_health_digest()


@shared_task
def ask_due_renewals() -> int:
    return renewals.ask_due_renewals()
