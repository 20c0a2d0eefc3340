"""Celery tasks that keep Slack in step: thin, keyed by primary key, one service call each.

A 429 is honoured by rescheduling the task after Retry-After, never by sleeping the worker. Other
transient failures retry with backoff. When retries run out, the periodic reconcile catches up.
"""

import random

from celery import shared_task

from community.services import slack_sync
from community.slack import TransientSlackError

__all__ = ["reconcile_slack", "sync_slack_account", "sync_slack_channel"]

MAX_RETRIES = 20
MAX_BACKOFF = 15 * 60


def _run(task, work, *args, **kwargs) -> int | None:
    try:
        record = work(*args, **kwargs)
    except slack_sync.SyncBusy as exc:
        raise task.retry(countdown=exc.retry_after, max_retries=MAX_RETRIES) from exc
    except TransientSlackError as exc:
        countdown = exc.retry_after or min(MAX_BACKOFF, 10 * 2**task.request.retries)
        countdown += random.uniform(0, countdown / 10)  # so retries of many tasks spread out
        raise task.retry(exc=exc, countdown=countdown, max_retries=MAX_RETRIES) from exc
    return record.pk if record else None


@shared_task(bind=True, acks_late=True)
def sync_slack_account(self, account_id: int, trigger: str = "change") -> int | None:
    return _run(self, slack_sync.sync_account, account_id, trigger=trigger)


@shared_task(bind=True, acks_late=True)
def sync_slack_channel(self, channel_id: int, trigger: str = "change") -> int | None:
    return _run(self, slack_sync.sync_channel, channel_id, trigger=trigger)


@shared_task(bind=True, acks_late=True)
def reconcile_slack(self, trigger: str = "schedule") -> int | None:
    return _run(self, slack_sync.reconcile, trigger=trigger)
