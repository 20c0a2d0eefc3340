"""Celery tasks of mentoring: thin wrappers around one service each."""

from celery import shared_task

from mentoring.services import group_health, reminders


@shared_task
def send_booking_reminders() -> int:
    return reminders.send_due_reminders()


@shared_task
def send_groups_digest() -> int:
    return group_health.send_groups_digest()
