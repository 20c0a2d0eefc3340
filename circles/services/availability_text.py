"""Weekly availability written as text in a spreadsheet cell, read into local-time ranges.

Forms collect it in many ways: a JSON list as the JSON Lines format has it, "Mon 07:30-09:00;
Tue 18:00-20:00", or one column per day ("Availability [Monday]") holding "7:30-9am, 6pm-8pm".
What cannot be read is handed back, for the preview to show as a problem.
"""

import json
import re

from circles.domain import DAYS

_DAY = r"(?P<day>mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_TIME = r"\d{1,2}(?:[:.h]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?"
_RANGE = re.compile(
    rf"^(?:{_DAY}\s*)?(?P<start>{_TIME})\s*(?:-|–|—|to|until)\s*(?P<end>{_TIME})$", re.IGNORECASE
)
_HEADER_DAY = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", re.IGNORECASE)


def _clock(text: str, *, meridiem_hint: str = "") -> str | None:
    text = text.strip().lower().replace(".", ":").replace("h", ":")
    meridiem = "pm" if "p" in text else "am" if "a" in text else meridiem_hint
    digits = re.sub(r"[^0-9:]", "", text).strip(":")
    hours, _, minutes = digits.partition(":")
    if not hours.isdigit() or (minutes and not minutes.isdigit()):
        return None
    hour, minute = int(hours), int(minutes or 0)
    if meridiem == "pm" and hour < 12:
        hour += 12
    if meridiem == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 24 and minute in (0, 30) and (hour < 24 or minute == 0)):
        return None
    return f"{hour:02d}:{minute:02d}"


def _range(piece: str, *, day: str | None) -> dict | None:
    match = _RANGE.match(piece.strip())
    if not match:
        return None
    day = (match.group("day") or day or "").title()
    end_meridiem = "pm" if "p" in match.group("end").lower() else ""
    start = _clock(match.group("start"), meridiem_hint=end_meridiem)
    end = _clock(match.group("end"))
    if day not in DAYS or not start or not end:
        return None
    if start >= end and start > "12:00" and end_meridiem:  # "11-1pm": 11:00 in the morning
        start = _clock(match.group("start"), meridiem_hint="am")
    if not start or start >= end:
        return None
    return {"day": day, "start": start, "end": end}


def parse_availability(value: str, *, header: str = "") -> tuple[list[dict], list[str]]:
    """([{"day", "start", "end"}], [pieces that could not be read])."""
    value = (value or "").strip()
    if not value:
        return [], []
    if value.startswith("["):
        try:
            entries = json.loads(value)
        except json.JSONDecodeError:
            return [], [value]
        if isinstance(entries, list) and all(isinstance(entry, dict) for entry in entries):
            return entries, []
        return [], [value]
    header_day = _HEADER_DAY.search(header)
    day = header_day.group(1).title() if header_day else None
    found, unread = [], []
    for piece in re.split(r"[;,\n|]+", value):
        if not piece.strip():
            continue
        entry = _range(piece, day=day)
        if entry:
            found.append(entry)
        else:
            unread.append(piece.strip())
    return found, unread
