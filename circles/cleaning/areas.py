"""Meeting points: a station or neighbourhood within the person's metro, else their city's centre.

Organizers extend the built-in table (meeting_areas.json) with "meeting_area" aliases. The key is
`normalise("meeting_area", "<city as written>: <area as written>")`, or the area alone to apply in
every city. The value is one of:
- "City: Area" naming an entry of the table, e.g. "San Francisco: Financial District";
- "Name @ latitude,longitude" for a new point, e.g. "Boulder: Pearl Street @ 40.0176,-105.2797";
- a city the gazetteer knows ("Oakland"), meaning its centre;
- "" to ignore the area text (the city centre is used when the person gave a city).
"""

from collections.abc import Mapping
from functools import lru_cache

from rapidfuzz import fuzz, process

from circles.cleaning.gazetteer import cities_named, distance_km
from circles.cleaning.places import (
    Located,
    MeetingPoint,
    area_table,
    infer_city,
    locate,
    metros_around,
    parse_point,
    timezone_at,
)
from circles.cleaning.records import CONFIDENCE_THRESHOLD
from circles.cleaning.text import as_text, fold, normalise
from circles.domain import Place

CENTRE_CONFIDENCE = 0.75  # a city centre is a fair meeting point, less sure than a named area
METRO_NOTE = "a metro area is not a meeting point"


def meeting_raw(city: object, area: object) -> str:
    """The raw text of the meeting-area field, as its alias key is made from it."""
    city_text, area_text = as_text(city), as_text(area)
    return f"{city_text}: {area_text}" if city_text and area_text else area_text


def where(
    city: object,
    area: object,
    aliases: Mapping[str, Mapping[str, str]],
    clock: tuple[int, ...] = (),
) -> tuple[Located, MeetingPoint]:
    """The person's city (or metro) and their meeting point, each with how sure cleaning is of it."""
    located = locate(city, aliases.get("place", {}), clock)
    if not as_text(area) and (located.kind == "unknown" or 0 < located.confidence < 0.9):
        # "Shoreditch" or "SoMa" written as the city: a meeting area is likelier than a namesake town
        as_area = meeting_point(Located("unknown"), "", city, aliases.get("meeting_area", {}))
        if as_area.place and as_area.confidence >= CONFIDENCE_THRESHOLD:
            return _located_at(as_area.place), as_area
    point = meeting_point(located, city, area, aliases.get("meeting_area", {}))
    if (
        located.confidence < CONFIDENCE_THRESHOLD
        and point.place
        and point.confidence >= CONFIDENCE_THRESHOLD
    ):
        return _located_at(point.place), point  # the area settles which namesake it is
    return located, point


def _located_at(place: Place) -> Located:
    metros = metros_around(place.latitude, place.longitude)
    timezone = metros[0].timezone if metros else timezone_at(place.latitude, place.longitude)
    value = f"{place.city}, {place.country_code}" if place.country_code else place.city
    return Located(
        "city", value, 0.85, f"the city of the meeting area {place.name}", None, timezone, metros
    )


def meeting_point(
    located: Located, city: object, area: object, aliases: Mapping[str, str]
) -> MeetingPoint:
    area_text = as_text(area)
    for key in (
        normalise("meeting_area", meeting_raw(city, area)),
        normalise("meeting_area", area_text),
    ):
        if area_text and key in aliases:
            return _from_alias(located, area_text, aliases[key])
    return _infer(located, area_text)


def _infer(located: Located, area_text: str) -> MeetingPoint:
    key = normalise("meeting_area", area_text)
    if located.kind == "remote":
        return MeetingPoint(None, note="no place to meet in person (remote)")
    if not key:
        return _centre_or_nothing(located, "only a city was given: its centre is the meeting point")
    found = _named_area(located, key)
    if found:
        return found
    if key in area_table().generic:
        note = f"{area_text!r} read as the centre of the city"
        return _centre_or_nothing(located, note, said_downtown=True)
    town = _area_is_a_town(located, key)
    if town:
        return town
    fuzzy = _fuzzy_area(located, key)
    if fuzzy:
        return fuzzy
    problem = f"meeting area {area_text!r} is not one we know"
    if located.kind == "city":
        return MeetingPoint(located.centre, _value(located.centre), min(located.confidence, 0.7),
                            f"{problem}: the centre of {located.centre.city} is used", (problem,))  # fmt: skip
    return MeetingPoint(None, note=problem, problems=(problem,))


def _centre_or_nothing(located: Located, note: str, *, said_downtown: bool = False) -> MeetingPoint:
    if located.kind == "city":
        downtown = _candidates(located).get(f"downtown {fold(located.centre.city)}")
        if downtown and said_downtown:  # "Brooklyn / downtown" is Downtown Brooklyn
            place = _pick(located, downtown)
            return _accepted(place, min(located.confidence, 0.8), f"{note}: {place.name}")
        confidence = min(located.confidence, CENTRE_CONFIDENCE)
        return _accepted(located.centre, confidence, note)
    if located.kind == "metro":
        return MeetingPoint(None, note=METRO_NOTE, problems=(METRO_NOTE,))
    return MeetingPoint(None, note="no place given")


def _accepted(place: Place, confidence: float, note: str) -> MeetingPoint:
    if confidence < CONFIDENCE_THRESHOLD:
        problem = f"not sure the meeting point is {place.name}: please correct it"
        return MeetingPoint(None, _value(place), confidence, note, (problem,))
    return MeetingPoint(place, _value(place), confidence, note)


def _value(place: Place | None) -> str:
    return place.name if place else ""


def _candidates(located: Located) -> dict[str, tuple[Place, ...]]:
    """The areas that can apply: those of the person's metros, or of every metro if none is known."""
    return _areas_of(tuple(m.key for m in located.metros))


@lru_cache(maxsize=256)
def _areas_of(metro_keys: tuple[str, ...]) -> dict[str, tuple[Place, ...]]:
    table = area_table()
    keys = metro_keys or tuple(table.areas)
    merged: dict[str, list[Place]] = {}
    for key in keys:
        for name, places in table.areas[key].items():
            merged.setdefault(name, []).extend(places)
    return {name: tuple(places) for name, places in merged.items()}


def _pick(located: Located, places: tuple[Place, ...]) -> Place | None:
    """The area nearest the person's city; None when several far-apart areas share the name."""
    if located.centre:
        centre = located.centre
        return min(
            places,
            key=lambda p: distance_km(p.latitude, p.longitude, centre.latitude, centre.longitude),
        )
    first = places[0]
    if all(
        distance_km(p.latitude, p.longitude, first.latitude, first.longitude) < 5 for p in places
    ):
        return first
    return None


def _named_area(located: Located, key: str) -> MeetingPoint | None:
    places = _candidates(located).get(key)
    if not places:
        return None
    place = _pick(located, places)
    if place is None:
        cities = sorted({p.city for p in places})
        problem = f"{key!r} is a meeting area in several cities ({', '.join(cities)}): which one?"
        return MeetingPoint(None, note=problem, problems=(problem,))
    confidence = 0.95 if located.kind in ("city", "metro") else 0.85
    return _accepted(
        place, min(confidence, max(located.confidence, 0.85)), f"a known meeting area: {place.name}"
    )


def _area_is_a_town(located: Located, key: str) -> MeetingPoint | None:
    """ "Palo Alto" or "Downtown Bellevue" as a meeting area: that town's centre, if it is nearby."""
    generic = area_table().generic
    stripped = " ".join(w for w in key.split() if w not in generic)
    for rest in dict.fromkeys((key, stripped)):
        found = _town_near(located, rest) if rest else None
        if found:
            return found
    return None


def _town_near(located: Located, rest: str) -> MeetingPoint | None:
    if not (located.centre or located.metros):
        town = infer_city(rest)
        if town.kind == "city" and town.confidence >= 0.9:
            return _accepted(town.centre, 0.8, f"the centre of {town.centre.city}")
        return None
    nearby = [
        city for _, city in cities_named(rest) if _is_near(located, city.latitude, city.longitude)
    ]
    if not nearby:
        return None
    town = max(nearby, key=lambda c: c.population)
    place = Place(town.name, town.latitude, town.longitude, town.name, town.country_code)
    return _accepted(place, 0.8, f"the centre of {town.name}")


def _is_near(located: Located, latitude: float, longitude: float) -> bool:
    if located.centre:
        return (
            distance_km(latitude, longitude, located.centre.latitude, located.centre.longitude)
            <= 60
        )
    return any(
        distance_km(latitude, longitude, m.latitude, m.longitude) <= m.radius_km
        for m in located.metros
    )


def _fuzzy_area(located: Located, key: str) -> MeetingPoint | None:
    if not located.metros or len(key) < 4:
        return None  # a close spelling is only trusted within the person's own metro
    candidates = _candidates(located)
    found = process.extractOne(key, list(candidates), scorer=fuzz.ratio, score_cutoff=85)
    if not found:
        return None
    place = _pick(located, candidates[found[0]])
    if place is None:
        return None
    return _accepted(place, 0.8, f"read {key!r} as {place.name} (a close spelling)")


def _from_alias(located: Located, area_text: str, value: str) -> MeetingPoint:
    note = f"corrected by an organizer: {area_text!r} is {value or 'to be ignored'}"
    if not value.strip():
        point = _centre_or_nothing(located, note)
        return MeetingPoint(
            point.place, point.value, 1.0 if point.place else 0.0, note, point.problems
        )
    place = parse_point(value) or _table_entry(value) or _town(value)
    if place is None:
        problem = f"the alias {value!r} for {area_text!r} is not a meeting area we know"
        point = _infer(located, area_text)
        return MeetingPoint(
            point.place, point.value, point.confidence, point.note, (*point.problems, problem)
        )
    return MeetingPoint(place, place.name, 1.0, note)


def _table_entry(value: str) -> Place | None:
    city, _, area = value.rpartition(":")
    wanted_city, wanted_area = fold(city), fold(area)
    for places in area_table().areas.values():
        for place in places.get(wanted_area, ()):
            if not wanted_city or fold(place.city) == wanted_city:
                return place
    return None


def _town(value: str) -> Place | None:
    town = infer_city(value)
    return town.centre if town.kind == "city" and town.confidence >= CONFIDENCE_THRESHOLD else None
