"""Celery tasks: thin wrappers that load a row by key and call one service."""

from celery import shared_task

from community.services import account, emails, reviews


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
def send_review_digest() -> int:
    return reviews.send_review_digest()


@shared_task
def notify_overdue_applications() -> int:
    return reviews.notify_overdue_applications()


@shared_task
def forget_deletion_confirmations() -> int:
    return account.forget_deletion_confirmations()


from community.slack_tasks import *  # noqa: E402,F401,F403  (autodiscovery finds Slack tasks here)
