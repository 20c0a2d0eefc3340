"""Celery tasks: thin wrappers that load a row by key and call one service.

Slack tasks honour a 429 by rescheduling after Retry-After, never by sleeping the worker; other
transient failures retry with backoff, and when retries run out the periodic reconcile catches up.
"""

import random

from celery import shared_task

from community.services import account, emails, reviews, slack_sync
from community.slack import TransientSlackError


@shared_task(
    bind=True,
    autoretry_for=(emails.EmailDeliveryError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=emails.MAX_ATTEMPTS,
)
def send_email(self, email_id: int) -> bool:
    return emails.deliver_email(email_id)


@shared_task
def send_queued_emails() -> int:
    return emails.deliver_due_emails()


@shared_task
def forget_old_email_bodies() -> int:
    return emails.forget_old_email_bodies()


@shared_task
def send_review_digest() -> int:
    return reviews.send_review_digest()


@shared_task
def notify_overdue_applications() -> int:
    return reviews.notify_overdue_applications()


@shared_task
def forget_deletion_confirmations() -> int:
    return account.forget_deletion_confirmations()


# Slack

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
