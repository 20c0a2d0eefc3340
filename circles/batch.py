"""Sign-ups in, circles out, with no database: what `manage.py form_circles` and the benchmark run.

Reads the JSON Lines format of a sign-up export, cleans it (`circles.cleaning`), composes it with the
given rules (`circles.composition`) and describes the result as plain JSON-ready data in which every
input id appears exactly once: in a circle, or unplaced with the reason. No Django imports.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from circles.cleaning import CleaningReport, clean_signups
from circles.composition import compose
from circles.domain import DAYS, SLOT_MINUTES, SLOTS_PER_DAY, Circle, Composition, Place, Rules


class SignUpFileError(ValueError):
    """A sign-up file that cannot be read as sign-ups; the message names the line."""


@dataclass
class BatchResult:
    ids: list[str]  # every distinct input id, in file order
    cleaning: CleaningReport
    composition: Composition


def next_monday(today: date) -> date:
    """The first Monday after `today` (a week later when today is a Monday)."""
    return today + timedelta(days=7 - today.weekday())


def read_signup_rows(lines: Iterable[str]) -> list[dict]:
    """Parse JSON Lines into row dicts; blank lines are skipped, anything else malformed is refused."""
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise SignUpFileError(f"Line {number} is not valid JSON: {error.msg}.") from None
        if not isinstance(row, dict):
            raise SignUpFileError(f"Line {number} is not a JSON object.")
        identifier = row.get("id")
        if isinstance(identifier, int) and not isinstance(identifier, bool):
            row["id"] = identifier = str(identifier)
        if not isinstance(identifier, str) or not identifier.strip():
            raise SignUpFileError(f'Line {number} has no "id".')
        row["id"] = identifier.strip()
        rows.append(row)
    return rows


def run_batch(
    rows: Sequence[dict],
    *,
    first_meeting: date,
    time_limit: float = 30.0,
    rules: Rules | None = None,
) -> BatchResult:
    """Clean and compose `rows`; the full reports, for callers that want more than the JSON."""
    rules = rules or Rules()
    ids = list(dict.fromkeys(row["id"] for row in rows))
    cleaning = clean_signups(rows, first_meeting=first_meeting)
    if cleaning.signups:
        composition = compose(cleaning.signups, rules, time_limit=time_limit)
    else:
        composition = Composition(circles=[], unplaced={}, upper_bound=0, optimal=True)
    return BatchResult(ids=ids, cleaning=cleaning, composition=composition)


def form_circles(
    rows: Sequence[dict],
    *,
    first_meeting: date,
    time_limit: float = 30.0,
    rules: Rules | None = None,
) -> dict:
    """The circles and the unplaced for `rows`, as the JSON `form_circles` writes."""
    return describe_result(
        run_batch(rows, first_meeting=first_meeting, time_limit=time_limit, rules=rules)
    )


def describe_result(result: BatchResult) -> dict:
    known = set(result.ids)
    seen: set[str] = set()
    circles = []
    for circle in result.composition.circles:
        members = [m for m in circle.members if m in known and m not in seen]
        seen.update(members)
        circles.append(_circle_json(circle, members))
    unplaced = []
    for identifier, reason in result.composition.unplaced.items():
        if identifier in known and identifier not in seen:
            seen.add(identifier)
            unplaced.append({"id": identifier, "reason": reason})
    reasons = _reasons_for_the_rest(result.cleaning)
    for identifier in result.ids:
        if identifier not in seen:
            seen.add(identifier)
            unplaced.append({"id": identifier, "reason": reasons.get(identifier, "not placed")})
    return {"circles": circles, "unplaced": unplaced}


def _reasons_for_the_rest(cleaning: CleaningReport) -> dict[str, str]:
    """Why a row that cleaning did not pass on to composition is not in a circle."""
    reasons: dict[str, str] = {}
    for record in cleaning.records:
        if record.duplicate_of and record.duplicate_of != record.id:
            reasons[record.id] = (
                f"duplicate of {record.duplicate_of}: you signed up again, and the later sign-up is kept"
            )
        elif record.id not in reasons:
            problems = "; ".join(record.problems)
            reasons[record.id] = f"could not be read: {problems}" if problems else "not placed"
    return reasons


def _circle_json(circle: Circle, members: list[str]) -> dict:
    return {
        "members": members,
        "format": str(circle.format),
        "window": {"slots": sorted(circle.window), "utc": describe_window(circle.window)},
        "place": _place_json(circle.place),
        "explanation": list(circle.explanation),
    }


def _place_json(place: Place | None) -> dict | None:
    if place is None:
        return None
    return {
        "name": place.name,
        "city": place.city,
        "country_code": place.country_code,
        "latitude": place.latitude,
        "longitude": place.longitude,
    }


def describe_window(slots: Iterable[int]) -> list[str]:
    """Runs of UTC-week slots in words, e.g. ["Tue 17:00-18:30 UTC"]."""
    runs: list[list[int]] = []
    for slot in sorted(set(slots)):
        if runs and slot == runs[-1][1]:
            runs[-1][1] = slot + 1
        else:
            runs.append([slot, slot + 1])
    return [f"{_slot_time(start)}-{_slot_time(end, end=True)} UTC" for start, end in runs]


def _slot_time(slot: int, *, end: bool = False) -> str:
    day, index = divmod(slot, SLOTS_PER_DAY)
    if end and index == 0:  # the end of a day's last slot reads 24:00 of that day
        day, index = day - 1, SLOTS_PER_DAY
    minutes = index * SLOT_MINUTES
    text = f"{minutes // 60:02d}:{minutes % 60:02d}"
    return text if end else f"{DAYS[day % 7]} {text}"
