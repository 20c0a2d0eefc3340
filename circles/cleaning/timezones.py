"""Timezones as people write them ("PST", "UK time", "GMT+1", "Europe/Berlin"), resolved to IANA names.

Abbreviations name a family of zones; when the person's place is in a zone of that family, the
place's own zone is used (its daylight-saving rules are the ones that person lives by).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rapidfuzz import fuzz, process

from circles.cleaning.places import clock_of, infer_city
from circles.cleaning.text import as_text, fold, normalise

# the zones a phrase can mean, the usual one first; a None first entry means "ambiguous, ask".
_FAMILIES = {
    ("America/Los_Angeles",): "pst, pdt, pt, pacific, pacific time, pacific standard time, pacific daylight time, us pacific, west coast, california time, la time",
    ("America/Denver",): "mst, mdt, mt, mountain, mountain time, mountain standard time, us mountain",
    ("America/Phoenix",): "arizona, arizona time",
    ("America/Chicago", "Asia/Shanghai"): "cst",
    ("America/Chicago",): "cdt, ct, central, central time, central standard time, us central",
    ("America/New_York",): "est, edt, et, eastern, eastern time, eastern standard time, us eastern, east coast",
    ("America/Halifax",): "ast, adt, atlantic, atlantic time",
    ("America/Anchorage",): "akst, akdt, alaska",
    ("Pacific/Honolulu",): "hst, hawaii",
    ("Europe/London",): "uk, uk time, british time, bst, london time, britain",
    ("Europe/Dublin",): "irish time, ireland",
    ("Europe/Lisbon",): "wet, west, western european, western european time",
    ("Europe/Berlin",): "cet, cest, mez, mesz, central european, central european time, central european summer time, european time, cet time, met",
    ("Europe/Bucharest",): "eet, eest, eastern european, eastern european time",
    ("Europe/Moscow",): "msk, moscow time",
    (None, "Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"): "ist",
    ("Asia/Kolkata",): "india, india time, indian standard time",
    ("Asia/Jerusalem",): "idt, israel, israel time",
    ("Asia/Singapore",): "sgt, singapore time",
    ("Asia/Hong_Kong",): "hkt",
    ("Asia/Tokyo",): "jst, japan time",
    ("Asia/Seoul",): "kst",
    ("Asia/Shanghai",): "china time, china standard time, beijing time",
    ("Australia/Sydney",): "aest, aedt, aet, australian eastern",
    ("Australia/Adelaide",): "acst, acdt",
    ("Australia/Perth",): "awst",
    ("Pacific/Auckland",): "nzst, nzdt, nzt, new zealand time",
    ("America/Sao_Paulo",): "brt, brasilia time",
    ("America/Argentina/Buenos_Aires",): "art, argentina time",
    ("America/Bogota",): "cot, colombia time",
    ("Africa/Johannesburg",): "sast",
    ("Africa/Lagos",): "wat",
    ("Africa/Nairobi",): "eat",
    ("Asia/Dubai",): "gst, gulf time",
    ("Asia/Karachi",): "pkt",
    ("Asia/Jakarta",): "wib",
    ("Asia/Bangkok",): "ict",
    ("Asia/Manila",): "pht",
}  # fmt: skip
NAMES: dict[str, tuple[str | None, ...]] = {
    phrase: zones for zones, phrases in _FAMILIES.items() for phrase in phrases.split(", ")
}
# A few offsets that are not whole hours, and the zone people with them most likely live in.
_ODD_OFFSETS = {330: "Asia/Kolkata", 345: "Asia/Kathmandu", 570: "Australia/Darwin", -210: "America/St_Johns",
                210: "Asia/Tehran", 270: "Asia/Kabul", 390: "Asia/Yangon", 630: "Australia/Lord_Howe",
                -570: "Pacific/Marquesas", 765: "Pacific/Chatham", 525: "Australia/Eucla"}  # fmt: skip
_OFFSET = re.compile(r"^(?:utc|gmt|z)?\s*([+-])\s*(\d{1,2})(?:[:.h ]?(\d{2}))?$")
_WINDOWS = re.compile(
    r"^\(\s*((?:utc|gmt)\s*(?:[+-]\d{1,2}(?::?\d{2})?)?)\s*\)\s*(.+)$"
)  # "(GMT-08:00) Pacific"
_UTC_WORDS = frozenset({"utc", "gmt", "z", "zulu", "utc 0", "gmt 0", "utc+0", "gmt+0"})


@dataclass(frozen=True)
class Zone:
    value: str  # an IANA name, "" when unknown
    confidence: float
    note: str
    problems: tuple[str, ...] = ()


@cache
def _iana() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


@cache
def _iana_regions() -> tuple[str, ...]:
    """The casefolded "Region/City" names, to match misspellings against."""
    return tuple(name for name in _iana() if "/" in name and not name.startswith("etc/"))


@lru_cache(maxsize=4096)
def utc_offset_minutes(timezone: str, on: date) -> int:
    """The zone's offset from UTC at noon local time on that date (0 for an unknown zone)."""
    zone = zone_info(timezone)
    if zone is None:
        return 0
    return int(
        datetime(on.year, on.month, on.day, 12, tzinfo=zone).utcoffset().total_seconds() // 60
    )


@lru_cache(maxsize=1024)
def zone_info(timezone: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(timezone) if timezone else None
    except (ValueError, ZoneInfoNotFoundError):
        return None


def stated_zone(raw: object, aliases: Mapping[str, str]) -> str:
    """The zone the person's text names without any help from their place (to tell namesake cities apart)."""
    zone = resolve_zone(raw, aliases, place_zone="", place_name="")
    return zone.value if zone.confidence >= 0.8 else ""


def resolve_zone(
    raw: object, aliases: Mapping[str, str], *, place_zone: str, place_name: str
) -> Zone:
    text = as_text(raw)
    key = normalise("timezone", text)
    alias_problem: tuple[str, ...] = ()
    if key in aliases:
        if zone_info(aliases[key]):
            note = f"corrected by an organizer: {text!r} is {aliases[key]}"
            return Zone(aliases[key], 1.0, note)
        alias_problem = (f"the alias {aliases[key]!r} for {text!r} is not an IANA timezone",)
    if not key:
        if place_zone:
            return Zone(place_zone, 0.85, f"no timezone given: the zone of {place_name}")
        return Zone("", 0.0, "no timezone given", ("no timezone and no place to infer it from",))
    zone = _read(text, place_zone, place_name)
    if alias_problem:
        zone = Zone(zone.value, zone.confidence, zone.note, (*zone.problems, *alias_problem))
    if zone.value or not place_zone:
        return zone if zone.value else Zone("", 0.0, zone.note, zone.problems or (zone.note,))
    problem = f"timezone {text!r} not recognised: the zone of {place_name} is used"
    return Zone(place_zone, 0.75, problem, (problem,))


@lru_cache(maxsize=4096)
def _read(text: str, place_zone: str, place_name: str) -> Zone:
    key = fold(text)
    if key in NAMES:  # before IANA names: "EST" and "MST" are IANA zones without daylight saving
        return _family(text, NAMES[key], place_zone, place_name)
    offset = _offset_minutes(text)
    if offset is not None:
        return _from_offset(text, offset, place_zone, place_name)
    iana = _iana().get(text.strip().casefold().replace(" ", "_"))
    if iana:
        return Zone(iana, 1.0, "an IANA timezone")
    windows = _WINDOWS.match(text.strip().lower())
    if windows:
        named = _read(
            re.sub(r"\s*\(?us (?:and|&) canada\)?$", "", windows.group(2)), place_zone, place_name
        )
        return named if named.value else _read(windows.group(1), place_zone, place_name)
    wanted = text.strip().casefold().replace(" ", "_")
    close = (
        process.extractOne(wanted, _iana_regions(), scorer=fuzz.ratio, score_cutoff=92)
        if "/" in wanted
        else None
    )
    if close:
        return Zone(
            _iana()[close[0]], 0.8, f"read {text!r} as {_iana()[close[0]]} (a close spelling)"
        )
    city_text = re.sub(r"\s+(?:time|timezone|time zone|local time)$", "", key)
    city = infer_city(city_text, fuzzy=False)
    if city.kind in ("city", "metro") and city.timezone and city.confidence >= 0.85:
        return Zone(city.timezone, 0.85, f"the zone of {city.value}")
    return Zone("", 0.0, f"timezone {text!r} not recognised")


def _family(text: str, zones: tuple[str | None, ...], place_zone: str, place_name: str) -> Zone:
    known = [z for z in zones if z]
    place_clock = clock_of(place_zone) if place_zone else ()
    for zone in known:
        if place_clock and set(place_clock) & set(clock_of(zone)):
            if place_zone == zone:
                return Zone(zone, 0.95, f"{text!r} is {zone}")
            return Zone(place_zone, 0.9, f"{text!r} read as {place_zone}, the zone of {place_name}")
    if zones[0] is None:
        problem = f"{text!r} could mean {', '.join(known)}: please say which"
        return Zone("", 0.0, problem, (problem,))
    confidence = 0.9 if len(known) == 1 else 0.75
    return Zone(known[0], confidence, f"{text!r} read as {known[0]}")


def _offset_minutes(text: str) -> int | None:
    key = text.strip().lower().replace(" ", "")
    if fold(text) in _UTC_WORDS or key in _UTC_WORDS:
        return 0
    match = _OFFSET.match(key)
    if not match:
        return None
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes >= 60:
        return None
    return (hours * 60 + minutes) * (-1 if match.group(1) == "-" else 1)


def _from_offset(text: str, minutes: int, place_zone: str, place_name: str) -> Zone:
    if place_zone and minutes in clock_of(place_zone):
        note = (
            f"{text!r} read as {place_zone}, the zone of {place_name}, so daylight saving applies"
        )
        return Zone(place_zone, 0.9, note)
    if minutes == 0:
        return Zone("Etc/UTC", 0.85, f"{text!r} is UTC, without daylight saving")
    if minutes % 60 == 0:
        # IANA's Etc zones invert the sign: Etc/GMT-1 is one hour ahead of UTC (POSIX convention).
        name = f"Etc/GMT{-minutes // 60:+d}"
        return Zone(name, 0.8, f"{text!r} is a fixed offset ({name}), without daylight saving")
    if minutes in _ODD_OFFSETS:
        return Zone(_ODD_OFFSETS[minutes], 0.75, f"{text!r} read as {_ODD_OFFSETS[minutes]}")
    return Zone("", 0.0, f"timezone {text!r} not recognised")
