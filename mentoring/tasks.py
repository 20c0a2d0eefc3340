"""Celery tasks of mentoring: thin wrappers around one service each."""

from celery import shared_task

from mentoring.services import group_health, mentorship_days, reminders


@shared_task
def send_booking_reminders() -> int:
    return reminders.send_due_reminders()


@shared_task
def send_groups_digest() -> int:
    return group_health.send_groups_digest()


@shared_task(acks_late=True)
def announce_mentorship_day(day_id: int) -> int:
    return mentorship_days.announce_mentorship_day(day_id)


@shared_task
def announce_pending_mentorship_days() -> int:
    return mentorship_days.announce_pending_days()
