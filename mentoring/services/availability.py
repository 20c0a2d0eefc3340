"""Open slots of coaches, read from the database and computed by `mentoring.slots`."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from mentoring import slots
from mentoring.models import Booking, CoachProfile


def counted_from(coach: CoachProfile, since: datetime) -> datetime:
    """Midnight starting the coach's local week that holds `since`: the sessions from then on
    count towards their daily and weekly limits, the ones already over included."""
    zone = ZoneInfo(coach.timezone)
    return slots.to_utc(slots.week_of(slots.local_day(since, zone)), time(), zone)


def taken_for(coach: CoachProfile, *, member=None, since: datetime, exclude=None) -> dict:
    """What keeps a slot from being open, in one query: the coach's bookings (`booked`) and the
    member's own sessions with anyone (`member_busy`), as `mentoring.slots` takes them. Bookings
    are read from the start of the coach's week, so those earlier that day or week still count
    towards the coach's limits."""
    theirs = Q(coach=coach) | Q(member=member) if member is not None else Q(coach=coach)
    rows = Booking.objects.active().filter(theirs, blocked_until__gt=counted_from(coach, since))
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    booked, member_busy = [], []
    fields = ("coach_id", "member_id", "starts_at", "ends_at", "blocked_from", "blocked_until")
    for coach_id, member_id, starts_at, ends_at, blocked_from, blocked_until in rows.values_list(
        *fields
    ):
        if coach_id == coach.pk:
            booked.append(slots.Booked(starts_at, blocked_from, blocked_until))
        if member is not None and member_id == member.pk:
            member_busy.append((starts_at, ends_at))
    return {"booked": booked, "member_busy": member_busy}


def open_slots_for(
    coach: CoachProfile,
    *,
    minutes: int,
    member=None,
    now: datetime | None = None,
    weeks: int | None = None,
    since: datetime | None = None,
    exclude: Booking | None = None,
) -> list[datetime]:
    """The coach's open starts for a session of `minutes`, as UTC instants, for `weeks` from now
    (or from `since`), by default as far ahead as the coach takes bookings, which is what booking
    accepts; `exclude` is a booking being moved, whose own time counts as free."""
    now = now or timezone.now()
    since = since or now
    rules = coach.rules()
    # The horizon's own last instant is bookable (`slots.open_slots` keeps it too).
    ahead = timedelta(weeks=weeks) if weeks is not None else rules.horizon + timedelta.resolution
    return slots.open_slots(
        rules,
        length=timedelta(minutes=minutes),
        since=since,
        until=since + ahead,
        now=now,
        **taken_for(coach, member=member, since=since, exclude=exclude),
    )


def is_bookable(
    coach: CoachProfile, starts_at: datetime, *, minutes: int, member, now: datetime, exclude=None
) -> bool:
    return slots.is_open(
        coach.rules(),
        starts_at,
        length=timedelta(minutes=minutes),
        now=now,
        **taken_for(coach, member=member, since=now, exclude=exclude),
    )


def bookings_outside_rules(coach: CoachProfile, *, now: datetime | None = None) -> list[Booking]:
    """Upcoming bookings the coach's current availability no longer covers: never dropped, but
    listed to the coach to keep, move or cancel. Sessions of a mentorship day are the day's, not
    the weekly windows' (a change of the day that leaves one out is refused)."""
    rules = coach.rules()
    upcoming = coach.bookings.upcoming(now).filter(mentorship_day=None).select_related("member")
    return [b for b in upcoming if not slots.fits_windows(rules, b.starts_at, b.ends_at)]
