"""The starts of a recurring series, on plain data (no Django imports): circles' schedule and
mentoring groups both recur every N weeks at a wall-clock time in one timezone."""

from datetime import UTC, datetime, timedelta, tzinfo


def recurring_starts(
    first: datetime, zone: tzinfo, *, every_weeks: int, count: int
) -> list[datetime]:
    """`count` starts in UTC, every `every_weeks` weeks at the first one's wall-clock time in
    `zone`, so a daylight-saving change moves nobody there."""
    local = first.astimezone(zone).replace(tzinfo=None)
    return [
        (local + timedelta(weeks=every_weeks * number)).replace(tzinfo=zone).astimezone(UTC)
        for number in range(count)
    ]
