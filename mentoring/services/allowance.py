"""A member's allowance of sessions: how many upcoming sessions they hold, and how many each month
(counted in their own timezone) they have used; and the organizers' pause. The bookings service
checks them under its locks; the pages use them to offer only what it would accept."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format

from community.models import User
from mentoring.models import Booking, BookingPause


def _month_start(local: datetime) -> datetime:
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(month_start: datetime) -> datetime:
    return (month_start + timedelta(days=32)).replace(day=1)


def allowance(member: User, *, now: datetime | None = None, month_of: datetime | None = None):
    """(upcoming sessions held, sessions in the month of `month_of`), as the limits count them."""
    now = now or timezone.now()
    month_start = _month_start((month_of or now).astimezone(_zone(member)))
    counts = (
        Booking.objects.active()
        .filter(member=member)
        .aggregate(
            upcoming=Count("pk", filter=Q(status=Booking.Status.BOOKED, starts_at__gt=now)),
            in_month=Count(
                "pk",
                filter=Q(starts_at__gte=month_start, starts_at__lt=_next_month(month_start)),
            ),
        )
    )
    return counts["upcoming"], counts["in_month"]


def _zone(member: User) -> ZoneInfo:
    """The timezone the monthly allowance counts in: the member's own."""
    return ZoneInfo(member.timezone or "UTC")


def check_allowance(member: User, *, starts_at: datetime, now: datetime) -> None:
    upcoming, in_month = allowance(member, now=now, month_of=starts_at)
    if upcoming >= settings.MENTORING_MAX_UPCOMING:
        raise ValidationError(
            f"You already have {upcoming} upcoming sessions, the most a member may hold at once. "
            "Book another once one of them has taken place."
        )
    if in_month >= settings.MENTORING_MAX_PER_MONTH:
        raise ValidationError(
            f"You have used your {settings.MENTORING_MAX_PER_MONTH} sessions for that month."
        )


@dataclass(frozen=True)
class UsedMonths:
    """The months, in the member's timezone, in which they hold MENTORING_MAX_PER_MONTH sessions
    already: `check_allowance` refuses a new booking in them, so the pages do not offer it."""

    zone: ZoneInfo
    months: frozenset[tuple[int, int]]  # (year, month)

    def holds(self, instant: datetime) -> bool:
        local = instant.astimezone(self.zone)
        return (local.year, local.month) in self.months

    def starts(self) -> list[datetime]:
        """Midnight, in the member's timezone, starting each used month, in order."""
        return [datetime(y, m, 1, tzinfo=self.zone) for y, m in sorted(self.months)]


def used_up_months(member: User, *, since: datetime, until: datetime) -> UsedMonths:
    """The months from `since` to `until` the member has used up, counted as `allowance` counts
    one month, for all of them in one query."""
    zone = _zone(member)
    first = _month_start(since.astimezone(zone))
    after = _next_month(_month_start(until.astimezone(zone)))
    starts = Booking.objects.active().filter(
        member=member, starts_at__gte=first, starts_at__lt=after
    )
    counts = Counter(
        (local.year, local.month)
        for local in (
            start.astimezone(zone) for start in starts.values_list("starts_at", flat=True)
        )
    )
    full = {month for month, n in counts.items() if n >= settings.MENTORING_MAX_PER_MONTH}
    return UsedMonths(zone, frozenset(full))


def used_up_notice(member: User, starts_at: datetime) -> str:
    """What a member is told of a time in a month they have used up, before they write anything
    (`check_allowance` refuses it on submit); empty for any other time."""
    used = used_up_months(member, since=starts_at, until=starts_at)
    if not used.holds(starts_at):
        return ""
    month = date_format(starts_at.astimezone(used.zone), "F")
    return (
        f"You have used your {settings.MENTORING_MAX_PER_MONTH} sessions for {month}. "
        "Pick a time in another month."
    )


def within_allowance(member: User, slots: list[datetime]) -> list[datetime]:
    """The slots outside the months the member has used up, which booking would refuse."""
    if not slots:
        return []
    used = used_up_months(member, since=min(slots), until=max(slots))
    return [slot for slot in slots if not used.holds(slot)]


def may_book_now(*, paused: bool, upcoming: int) -> bool:
    """Whether a member's pages offer them times to book: not paused, and under their allowance
    of upcoming sessions (the monthly one depends on the month of each time: the pages leave
    out the times `used_up_months` holds)."""
    return not paused and upcoming < settings.MENTORING_MAX_UPCOMING


def is_paused(member: User) -> bool:
    """Whether an organizer has paused the member from booking."""
    return BookingPause.objects.filter(member=member).exists()


def check_not_paused(member: User) -> None:
    if is_paused(member):
        raise ValidationError(
            "Your coaching bookings are paused after sessions you missed. Write to the organizers "
            "to start booking again; the sessions you hold are kept."
        )


def check_month_of_move(booking: Booking, *, by: User, starts_at: datetime) -> None:
    """A member moving a session into another month uses one of that month's sessions; within
    its month, or moved by the coach (who may always move it), it counts as before."""
    if by.pk != booking.member_id or not moves_to_another_month(booking, starts_at):
        return
    member = User.objects.select_for_update().get(pk=booking.member_id)  # as booking locks it
    if allowance(member, month_of=starts_at)[1] >= settings.MENTORING_MAX_PER_MONTH:
        raise ValidationError(
            f"You have used your {settings.MENTORING_MAX_PER_MONTH} sessions for that month: "
            "move the session within its own month, or to a month with sessions left."
        )


def moves_to_another_month(booking: Booking, starts_at: datetime) -> bool:
    """Whether `starts_at` is in another month than the booking, in the member's timezone."""
    zone = _zone(booking.member)
    old, new = booking.starts_at.astimezone(zone), starts_at.astimezone(zone)
    return (old.year, old.month) != (new.year, new.month)


def months_closed_to_move(booking: Booking, *, by: User, since: datetime, until: datetime):
    """The months `by` may not move the booking into, as `check_month_of_move` decides: those
    the member has used up, but the booking's own; none for the coach."""
    used = used_up_months(booking.member, since=since, until=until)
    if by.pk != booking.member_id:
        return UsedMonths(used.zone, frozenset())
    own = booking.starts_at.astimezone(used.zone)
    return UsedMonths(used.zone, used.months - {(own.year, own.month)})
