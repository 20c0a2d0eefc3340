"""Open slots of coaches, read from the database and computed by `mentoring.slots`."""

from datetime import datetime, timedelta

from django.utils import timezone

from mentoring import slots
from mentoring.models import Booking, CoachProfile

WEEKS_SHOWN = 4


def booked_for(coach: CoachProfile, *, since: datetime, exclude: Booking | None = None):
    rows = coach.bookings.active().filter(blocked_until__gt=since)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return [
        slots.Booked(starts_at, blocked_from, blocked_until)
        for starts_at, blocked_from, blocked_until in rows.values_list(
            "starts_at", "blocked_from", "blocked_until"
        )
    ]


def member_busy_for(member, *, since: datetime, exclude: Booking | None = None):
    if member is None:
        return []
    rows = Booking.objects.active().filter(member=member, ends_at__gt=since)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return list(rows.values_list("starts_at", "ends_at"))


def open_slots_for(
    coach: CoachProfile,
    *,
    minutes: int,
    member=None,
    now: datetime | None = None,
    weeks: int = WEEKS_SHOWN,
    since: datetime | None = None,
    exclude: Booking | None = None,
) -> list[datetime]:
    """The coach's open starts for a session of `minutes`, as UTC instants, for the coming weeks
    (or from `since`); `exclude` is a booking being moved, whose own time counts as free."""
    now = now or timezone.now()
    since = since or now
    return slots.open_slots(
        coach.rules(),
        length=timedelta(minutes=minutes),
        since=since,
        until=since + timedelta(weeks=weeks),
        now=now,
        booked=booked_for(coach, since=since, exclude=exclude),
        member_busy=member_busy_for(member, since=since, exclude=exclude),
    )


def is_bookable(
    coach: CoachProfile, starts_at: datetime, *, minutes: int, member, now: datetime, exclude=None
) -> bool:
    return slots.is_open(
        coach.rules(),
        starts_at,
        length=timedelta(minutes=minutes),
        now=now,
        booked=booked_for(coach, since=now, exclude=exclude),
        member_busy=member_busy_for(member, since=now, exclude=exclude),
    )


def bookings_outside_rules(coach: CoachProfile, *, now: datetime | None = None) -> list[Booking]:
    """Upcoming bookings the coach's current availability no longer covers: never dropped, but
    listed to the coach to keep, move or cancel."""
    rules = coach.rules()
    upcoming = coach.bookings.upcoming(now).select_related("member")
    return [b for b in upcoming if not slots.fits_windows(rules, b.starts_at, b.ends_at)]
