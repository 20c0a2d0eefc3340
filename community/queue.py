"""Enqueueing Celery tasks after the surrounding transaction commits."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Enqueue `task` once the transaction commits; never fail the caller if the broker is down.

    The row the task works on is already saved, and a periodic sweep picks up anything whose task
    never ran, so a broker outage delays the work instead of losing it or failing the request.
    """

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:  # broker unreachable: the periodic sweep will catch up
            logger.warning("Could not enqueue %s%r; the periodic sweep will retry", task.name, args)

    transaction.on_commit(send, robust=True)
