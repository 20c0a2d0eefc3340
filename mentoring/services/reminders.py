"""Reminders before sessions: two of them (MENTORING_REMINDER_HOURS), each sent once.

Each reminder is claimed on its row with a conditional update before it is queued, and the
outbox's key names the booking, the reminder and the SEQUENCE, so a second sweep, a restarted
worker or two workers at once never send it twice; a lost sweep is caught up by the next one.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mentoring.models import Booking
from mentoring.services.notifications import remind_both

FIELDS = ("reminded_day_before_at", "reminded_hour_before_at")


@transaction.atomic
def send_reminder(booking_id: int, *, field: str, hours: int, now: datetime) -> bool:
    claimed = Booking.objects.filter(pk=booking_id, status=Booking.Status.BOOKED, **{field: None})
    if not claimed.update(**{field: now}):
        return False
    remind_both(
        Booking.objects.select_related("coach__user", "member").get(pk=booking_id), hours=hours
    )
    return True


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Queue every reminder that is due; a session inside the later reminder's window gets only
    that one."""
    now = now or timezone.now()
    sent = 0
    hours_list = settings.MENTORING_REMINDER_HOURS
    for index, (field, hours) in enumerate(zip(FIELDS, hours_list, strict=True)):
        due = Booking.objects.upcoming(now).filter(
            starts_at__lte=now + timedelta(hours=hours), **{field: None}
        )
        if index + 1 < len(hours_list):  # closer to the start, the next reminder says it all
            due = due.filter(starts_at__gt=now + timedelta(hours=hours_list[index + 1]))
        for booking_id in due.values_list("pk", flat=True):
            sent += send_reminder(booking_id, field=field, hours=hours, now=now)
    return sent
