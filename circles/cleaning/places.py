"""Where people can meet: cities from the gazetteer, metro areas, and meeting areas within metros.

A metro ("Bay Area") is where people live, not a point they can meet near; a city's centre is a fair
meeting point when only a city is given; a meeting area (a station, a neighbourhood) is the best.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from circles.cleaning.gazetteer import (
    City,
    cities_named,
    closest_names,
    distance_km,
    matches_qualifier,
)
from circles.cleaning.records import CONFIDENCE_THRESHOLD
from circles.cleaning.text import as_text, fold, normalise
from circles.domain import Place

# Answers that mean "nowhere in particular": fine for video, no place to meet in person.
NO_PLACE = frozenset(
    ["remote", "anywhere", "anywhere remote", "fully remote", "remote only", "remote first", "nowhere",
     "none", "n a", "na", "no", "tbd", "tba", "various", "everywhere", "online", "virtual", "worldwide",
     "global", "nomad", "digital nomad", "travelling", "traveling", "not sure", "prefer not to say"]
)  # fmt: skip
# Short forms the gazetteer does not know (or knows for another city).
ABBREVIATIONS = {
    "sf": "san francisco", "s f": "san francisco", "sfo": "san francisco", "san fran": "san francisco",
    "frisco": "san francisco", "sf ca": "san francisco", "ldn": "london", "nyc": "new york city",
    "ny": "new york city", "new york": "new york city", "nyc ny": "new york city", "la": "los angeles",
    "dc": "washington", "washington dc": "washington", "atx": "austin", "sj": "san jose",
    "ber": "berlin", "sea": "seattle", "chi": "chicago", "to": "toronto", "tdot": "toronto",
    "the 6ix": "toronto", "sg": "singapore", "tlv": "tel aviv", "tel aviv yafo": "tel aviv",
    "a dam": "amsterdam", "adam": "amsterdam", "ams": "amsterdam", "mokum": "amsterdam",
    "sthlm": "stockholm", "muc": "munich", "munchen": "munich", "muenchen": "munich",
    "bcn": "barcelona", "joburg": "johannesburg", "jozi": "johannesburg", "jhb": "johannesburg",
    "blr": "bengaluru", "bangalore": "bengaluru", "mtl": "montreal", "yvr": "vancouver",
    "yyz": "toronto", "philly": "philadelphia", "nola": "new orleans", "bos": "boston",
    "pdx": "portland", "slc": "salt lake city", "cdmx": "mexico city", "bsas": "buenos aires",
    "sp": "sao paulo", "rio": "rio de janeiro", "hk": "hong kong", "kl": "kuala lumpur",
    "syd": "sydney", "mel": "melbourne", "akl": "auckland", "dub": "dublin", "par": "paris",
    "lis": "lisbon", "mad": "madrid", "zrh": "zurich", "cph": "copenhagen", "hel": "helsinki",
    "osl": "oslo", "waw": "warsaw", "krk": "krakow", "bud": "budapest", "prg": "prague",
}  # fmt: skip
_WRAPPED = re.compile(
    r"^(?:greater|metro)\s+(.+)$|^(.+?)\s+(?:area|metro|metro area|region|metropolitan area|bay area)$"
)
_SPLIT = re.compile(r"[,;/|()]+| - ")


@dataclass(frozen=True)
class Metro:
    key: str
    name: str
    latitude: float
    longitude: float
    radius_km: float
    timezone: str


@dataclass(frozen=True)
class AreaTable:
    metros: tuple[Metro, ...]
    by_metro_name: dict[str, Metro]
    areas: dict[str, dict[str, tuple[Place, ...]]]  # metro key -> folded name -> places
    generic: frozenset[str]  # words that mean "the centre of the city"
    # "city, cc" (folded) -> its downtown, where the gazetteer's point is the middle of the city
    centres: dict[str, tuple[float, float]]


@dataclass(frozen=True)
class Located:
    """What a person's city text resolved to."""

    kind: str  # "city", "metro", "remote" (no place, by choice) or "unknown"
    value: str = ""  # as shown to the organizer
    confidence: float = 0.0
    note: str = ""
    centre: Place | None = None  # the city centre (kind "city")
    timezone: str = ""  # of the city or metro, to infer a missing timezone
    metros: tuple[Metro, ...] = ()  # the metros whose meeting areas apply
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeetingPoint:
    place: Place | None
    value: str = ""
    confidence: float = 0.0
    note: str = ""
    problems: tuple[str, ...] = field(default=())


@cache
def area_table() -> AreaTable:
    data = json.loads(
        resources.files("circles.cleaning").joinpath("meeting_areas.json").read_text("utf-8")
    )
    metros, by_name, areas = [], {}, {}
    for row in data["metros"]:
        metro = Metro(row["key"], row["name"], *row["centre"], row["radius_km"], row["timezone"])
        metros.append(metro)
        for name in row["names"]:  # a metro's own name is often its main city's: not listed
            by_name.setdefault(fold(name), metro)
        index: dict[str, list[Place]] = {}
        for area in row["areas"]:
            place = Place(
                f"{area['city']}: {area['name']}", *area["at"], area["city"], row["country_code"]
            )
            for name in {fold(area["name"]), *(fold(a) for a in area["aka"])}:
                index.setdefault(name, []).append(place)
        areas[metro.key] = {name: tuple(places) for name, places in index.items()}
    generic = frozenset(fold(word) for word in data["generic_centre_words"])
    centres = {fold(k): tuple(v) for k, v in data["centres"].items() if not k.startswith("_")}
    return AreaTable(tuple(metros), by_name, areas, generic, centres)


@lru_cache(maxsize=4096)
def metros_around(latitude: float, longitude: float) -> tuple[Metro, ...]:
    return tuple(
        m
        for m in area_table().metros
        if distance_km(latitude, longitude, m.latitude, m.longitude) <= m.radius_km
    )


def locate(raw: object, aliases: Mapping[str, str], clock: tuple[int, ...] = ()) -> Located:
    """Resolve a person's city text; an organizer's alias for it wins.

    `clock` is the UTC offsets (minutes, in January and July) of the timezone the person gave, if any:
    it tells St. Louis, Missouri from Saint-Louis, Senegal.
    """
    text = as_text(raw)
    key = normalise("place", text)
    if key in aliases:
        return _from_place_alias(text, aliases[key])
    if not key:
        return Located("unknown", note="no city given")
    if key in NO_PLACE:
        return Located("remote", confidence=1.0, note="no place to meet in person (remote)")
    if not cities_named(key) and _slip_of_no_place(key):
        return Located(
            "remote", confidence=0.85, note=f"{text!r} read as remote (a close spelling)"
        )
    return infer_city(text, clock)


def _slip_of_no_place(key: str) -> bool:
    """ "Remte" is remote, not Rome: one slip from a word that names no place."""
    return len(key) >= 5 and any(
        len(word) >= 5 and OSA.distance(key, word) <= 1 for word in NO_PLACE
    )


def _from_place_alias(text: str, value: str) -> Located:
    note = f"corrected by an organizer: {text!r} is {value or 'no place'}"
    if not value.strip():
        return Located("remote", confidence=1.0, note=note)
    custom = parse_point(value)
    if custom:
        return _city_located(custom, 1.0, note, timezone_at(custom.latitude, custom.longitude))
    found = infer_city(value)
    if found.kind in ("city", "metro") and found.confidence >= CONFIDENCE_THRESHOLD:
        return Located(**{**found.__dict__, "confidence": 1.0, "note": note})
    return Located(
        **{
            **infer_city(text).__dict__,
            "problems": (f"the alias {value!r} for {text!r} is not a place we know",),
        }
    )


def parse_point(value: str) -> Place | None:
    """An organizer's own point: "Name @ latitude,longitude", the name optionally "City: Area"."""
    name, sep, coordinates = value.rpartition("@")
    parts = coordinates.split(",")
    if not sep or len(parts) != 2:
        return None
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    name = name.strip() or f"{latitude:.4f},{longitude:.4f}"
    return Place(name, latitude, longitude, name.partition(":")[0].strip())


@lru_cache(maxsize=8192)
def infer_city(text: str, clock: tuple[int, ...] = (), fuzzy: bool = True) -> Located:
    """City text without organizers' aliases (the gazetteer and the metro table never change at run time)."""
    parts = [p for p in (fold(part) for part in _SPLIT.split(text)) if p]
    if not parts:
        return Located("unknown", note="no city given")
    whole, main, qualifiers = fold(text), parts[0], parts[1:]
    for key in (whole, main):
        metro = area_table().by_metro_name.get(key)
        if metro:
            return _metro_located(metro, f"{text!r} is the {metro.name}", 0.95)
    if len(whole) >= 8 and not (cities_named(main) or main in ABBREVIATIONS):
        close = process.extractOne(
            whole, list(area_table().by_metro_name), scorer=fuzz.ratio, score_cutoff=85
        )
        if close:
            metro = area_table().by_metro_name[close[0]]
            return _metro_located(
                metro, f"read {text!r} as the {metro.name} (a close spelling)", 0.85
            )
    wrapped = (
        None if cities_named(main) else _WRAPPED.match(main)
    )  # "Metro Manila", not "The Hague"
    if wrapped:
        inner = infer_city(wrapped.group(1) or wrapped.group(2), clock)
        if inner.kind == "city":
            metros = inner.metros or ()
            name = metros[0].name if metros else f"{inner.centre.city} area"
            note = f"{text!r} is the area around {inner.centre.city}"
            return Located("metro", name, inner.confidence, note, None, inner.timezone, metros)
    return _gazetteer_city(text, main, qualifiers, clock, fuzzy)


def _gazetteer_city(
    text: str, main: str, qualifiers: list[str], clock: tuple[int, ...], fuzzy: bool
) -> Located:
    cap, note = 0.95, ""
    if main in ABBREVIATIONS or fold(text) in ABBREVIATIONS:
        main, cap = ABBREVIATIONS.get(fold(text)) or ABBREVIATIONS[main], 0.9
        note = f"{text!r} is short for {main.title()}"
    ranked = cities_named(main)
    candidates = _by_name(ranked)
    if fuzzy and len(main) >= 5 and (not candidates or _only_small_namesakes(main, ranked)):
        return _fuzzy_city(text, main, qualifiers)
    if qualifiers and candidates:
        matching = [c for c in candidates if any(matches_qualifier(c, q) for q in qualifiers)]
        if matching:
            candidates = matching
        else:
            cap = min(cap, 0.8)
            note = f"{', '.join(qualifiers)!r} did not match {candidates[0].name}"
    if clock and len(candidates) > 1:
        candidates = _on_the_clock(candidates, clock)
    if not candidates:
        return Located("unknown", note=f"{text!r} is not a place we know",
                       problems=(f"place {text!r} not recognised",))  # fmt: skip
    city, confidence = _most_likely(candidates)
    return _city_located(
        _centre(city), min(cap, confidence), note or f"{text!r} is {city.name}", city.timezone
    )


def _fuzzy_city(text: str, main: str, qualifiers: list[str]) -> Located:
    found = closest_names(main, cutoff=80)
    if not found:
        return Located("unknown", note=f"{text!r} is not a place we know",
                       problems=(f"place {text!r} not recognised",))  # fmt: skip
    if (
        len(main) <= 6
    ):  # in a short word one slip is a big change: trust it only after the first letter
        found = [(name, score) for name, score in found if name[0] == main[0]]
    if not found:
        return Located("unknown", note=f"{text!r} is not a place we know",
                       problems=(f"place {text!r} not recognised",))  # fmt: skip
    best, score = found[0]
    rivals = [name for name, other in found[1:] if other >= score - 3]
    candidates = [city for _, city in cities_named(best)]
    if qualifiers:
        candidates = [
            c for c in candidates if any(matches_qualifier(c, q) for q in qualifiers)
        ] or candidates
    city, confidence = _most_likely(candidates)
    confidence = min(confidence, score / 100 * 0.9)
    if any(_rivals(city, rival) for rival in rivals):
        confidence = min(confidence, 0.5)
    note = f"read {text!r} as {city.name} (a close spelling)"
    return _city_located(_centre(city), confidence, note, city.timezone)


def _on_the_clock(candidates: list[City], clock: tuple[int, ...]) -> list[City]:
    """The namesakes in the person's stated timezone, unless they are far smaller than the best
    known one: a Berlin time from New York is a mistake in the timezone, not a town in Ohio."""
    biggest = max(c.population for c in candidates)
    fitting = [
        c for c in candidates if clock_of(c.timezone) == clock and c.population * 10 >= biggest
    ]
    return fitting or candidates


def _only_small_namesakes(main: str, ranked) -> bool:
    """True when `main` is only another name of small towns, and a slip away from a big city's name
    ("berin" is a name of Burien, Washington, and Berlin less one letter)."""
    if any(rank == 0 for rank, _ in ranked):
        return False
    close = closest_names(main, cutoff=85)
    if not close:
        return False
    biggest = max(city.population for _, city in ranked)
    return any(city.population >= 20 * biggest for _, city in cities_named(close[0][0]))


def _rivals(city: City, rival_key: str) -> bool:
    """Whether a name spelled as close as the chosen one is another city of comparable size."""
    rival = max((c for _, c in cities_named(rival_key)), key=lambda c: c.population, default=None)
    if (
        rival is None
        or distance_km(city.latitude, city.longitude, rival.latitude, rival.longitude) < 50
    ):
        return False
    return rival.population * 10 > city.population


def _by_name(ranked: tuple[tuple[int, City], ...]) -> list[City]:
    """The cities of that primary name; a city known by it only as another name competes only when
    it is far bigger ("Manhattan" is New York City, but "Porto" is not Bordeaux)."""
    primary = [city for rank, city in ranked if rank == 0]
    if not primary:
        return [city for _, city in ranked]
    biggest = max(city.population for city in primary)
    return primary + [city for rank, city in ranked if rank == 1 and city.population >= 5 * biggest]


def _most_likely(candidates: list[City]) -> tuple[City, float]:
    """The city people mean by that name, and how sure that choice is (far-apart namesakes).

    Mostly the most populous one. But the gazetteer counts people within city limits, which
    understates some cities against namesakes that are barely larger on paper (Valencia, Spain,
    against Valencia, Venezuela): among namesakes at least half as populous, one known by clearly
    more names in other languages is the one people mean.
    """
    ranked = sorted(candidates, key=lambda c: -c.population)
    best = ranked[0]
    rivals = [
        c
        for c in ranked[1:]
        if distance_km(best.latitude, best.longitude, c.latitude, c.longitude) > 50
    ]
    if not rivals:
        return best, 0.95
    ratio = best.population / max(rivals[0].population, 1)
    confidence = 0.9 if ratio >= 3 else 0.75 if ratio >= 1.5 else 0.5
    known = max(
        (c for c in rivals if c.population * 2 >= best.population),
        key=lambda c: c.known_names,
        default=best,
    )
    if known.known_names * 2 >= best.known_names * 3:
        best = known
    return best, confidence


def _centre(city: City) -> Place:
    """The city as a meeting point: its downtown (the gazetteer's point is sometimes its middle)."""
    latitude, longitude = area_table().centres.get(
        fold(f"{city.name}, {city.country_code}"), (city.latitude, city.longitude)
    )
    return Place(city.name, latitude, longitude, city.name, city.country_code)


def _city_located(centre: Place, confidence: float, note: str, timezone: str) -> Located:
    problems = ()
    if confidence < CONFIDENCE_THRESHOLD:
        problems = (f"not sure where {centre.name!r} is: please correct the place",)
    value = f"{centre.name}, {centre.country_code}" if centre.country_code else centre.name
    metros = metros_around(centre.latitude, centre.longitude)
    return Located("city", value, confidence, note, centre, timezone, metros, problems)


def _metro_located(metro: Metro, note: str, confidence: float) -> Located:
    return Located("metro", metro.name, confidence, note, None, metro.timezone, (metro,))


@lru_cache(maxsize=1024)
def clock_of(timezone: str) -> tuple[int, ...]:
    """The zone's UTC offsets in minutes in mid-January and mid-July of a fixed year."""
    try:
        zone = ZoneInfo(timezone)
    except (ValueError, ZoneInfoNotFoundError):
        return ()
    return tuple(
        int(datetime(2025, month, 15, 12, tzinfo=zone).utcoffset().total_seconds() // 60)
        for month in (1, 7)
    )


@cache
def _finder():
    from timezonefinder import TimezoneFinder  # loads its data on first use only

    return TimezoneFinder()


def timezone_at(latitude: float, longitude: float) -> str:
    return _finder().timezone_at(lat=latitude, lng=longitude) or ""
