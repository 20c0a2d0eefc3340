"""Messy learning-circle sign-ups with known truth, for tests and bench/circles.py.

`generate_signups(size, seed=..., first_meeting=...)` returns `size` JSON Lines rows written the way
people fill in forms (place spellings, metros instead of meeting points, meeting areas, timezone
abbreviations, offsets or nothing, company suffixes and spellings, gender and format spellings,
people who sign up twice, weekly availability in local time across timezones, about 1 in 10 women),
together with the `SignUp` a perfect cleaner would produce for each person. The truth is computed
here independently of `circles.cleaning` (its own coordinates and zoneinfo conversion).
"""

import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from circles.domain import (
    DAYS,
    SLOT_MINUTES,
    SLOTS_PER_WEEK,
    Format,
    Gender,
    Place,
    SignUp,
)

# Where people are ------------------------------------------------------------------------------

# Metros, their cities and meeting areas, with coordinates and the ways people write them. A metro
# spelling ("Bay Area") names no meeting point; a city without an area means its centre.
PLACES_FILE = Path(__file__).with_name("circle_places.json")
CENTRE_SPELLINGS = ("downtown", "Downtown", "city centre", "")


def _load_metros() -> dict:
    """metro: (weight, metro spellings, [(weight, city)]); city: (name, country, zone, lat, lon,
    spellings, [area]); area: (name, lat, lon, spellings)."""
    metros = {}
    for name, metro in json.loads(PLACES_FILE.read_text(encoding="utf-8")).items():
        cities = [
            (
                city["weight"],
                (
                    city["name"],
                    city["country"],
                    city["timezone"],
                    city["latitude"],
                    city["longitude"],
                    tuple(city["spellings"]),
                    [
                        (a["name"], a["latitude"], a["longitude"], tuple(a["spellings"]))
                        for a in city["areas"]
                    ],
                ),
            )
            for city in metro["cities"]
        ]
        metros[name] = (metro["weight"], tuple(metro["metro_spellings"]), cities)
    return metros


METROS = _load_metros()
REMOTE_SPELLINGS = ("Remote", "remote", "Anywhere", "N/A", "")
REMOTE_ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "America/Chicago",
    "Europe/London",
    "Europe/Berlin",
)
REMOTE_WEIGHT = 5

# fmt: off
# How people write their timezone ---------------------------------------------------------------

ZONE_NAMES = {
    "America/Los_Angeles": ("PT", "Pacific", "Pacific Time"),
    "America/Vancouver": ("PT", "Pacific"),
    "America/New_York": ("ET", "Eastern", "Eastern Time"),
    "America/Toronto": ("ET", "Eastern"),
    "America/Chicago": ("CT", "Central Time"),
    "America/Denver": ("MT", "Mountain"),
    "Europe/Berlin": ("CET", "Central European", "MEZ"),
    "Europe/Vienna": ("CET", "MEZ"),
    "Europe/Paris": ("CET", "Central European"),
    "Europe/Amsterdam": ("CET",),
    "Europe/Stockholm": ("CET",),
    "Europe/Warsaw": ("CET",),
    "Europe/London": ("UK time", "GMT"),
    "Asia/Kolkata": ("IST",),
}
# Abbreviations whose meaning depends on the date (PST in winter): used only when they are right.
SEASONAL_ABBREVIATIONS = {"America/Los_Angeles": "PST", "America/New_York": "EST"}

# Companies ---------------------------------------------------------------------------------------

BIG_COMPANIES = (
    ("Google", ("Google", "google", "Google LLC", "Alphabet (Google)", "Google Inc.")),
    ("Microsoft", ("Microsoft", "Microsoft Corp.", "microsoft", "Microsoft Corporation")),
    ("Amazon", ("Amazon", "amazon", "Amazon.com, Inc.", "Amazon Inc")),
    ("Meta", ("Meta", "meta", "Meta Platforms", "Meta Platforms, Inc.")),
    ("Apple", ("Apple", "Apple Inc.", "apple")),
    ("Netflix", ("Netflix", "Netflix, Inc.", "netflix")),
    ("Uber", ("Uber", "Uber Technologies", "uber", "Uber Technologies Inc")),
    ("Airbnb", ("Airbnb", "airbnb", "Airbnb, Inc.", "AirBnB")),
    ("Stripe", ("Stripe", "stripe", "Stripe Inc", "Stripe, Inc.")),
    ("Shopify", ("Shopify", "Shopify Inc")),
    ("Spotify", ("Spotify", "Spotify AB")),
    ("SAP", ("SAP", "SAP SE")),
    ("Revolut", ("Revolut", "Revolut Ltd")),
    ("Snowflake", ("Snowflake", "Snowflake Inc.")),
    ("Twilio", ("Twilio", "Twilio Inc")),
    ("DoorDash", ("DoorDash", "Doordash", "DoorDash, Inc.")),
    ("Instacart", ("Instacart", "instacart")),
    ("Figma", ("Figma", "Figma, Inc.")),
    ("Datadog", ("Datadog", "Datadog Inc.", "DataDog")),
    ("Salesforce", ("Salesforce", "Salesforce, Inc.", "salesforce")),
    ("Zalando", ("Zalando", "Zalando SE")),
    ("Delivery Hero", ("Delivery Hero", "Delivery Hero SE")),
    ("HashiCorp", ("HashiCorp", "Hashicorp")),
    ("Atlassian", ("Atlassian", "Atlassian Pty Ltd")),
    ("Adyen", ("Adyen", "Adyen N.V.")),
)
# Startups are a prefix and a core ("SwiftGrid"), each stem one company, sometimes with a descriptor.
PREFIXES = (
    "Swift", "Blue", "Clear", "Iron", "Kind", "Amber", "Rapid", "Deep", "Bright", "Silver",
    "Polar", "Bold", "Green", "North", "True", "Open", "Quiet", "Lucid", "Nimble", "Solid",
    "Brave", "Cobalt", "Crimson", "Golden", "Hyper", "Neon", "Nova", "Prime", "Quantum", "Sharp",
    "Stellar", "Terra", "Ultra", "Vivid", "Wild", "Zephyr", "Copper", "Maple", "Onyx", "Pine",
)
CORES = (
    "Grid", "Forge", "Metrics", "Stack", "Loop", "Vault", "Signal", "Freight", "Works", "Ledger",
    "Cloud", "Mesh", "Scale", "Wave", "Beam", "Bridge", "Craft", "Field", "Flow", "Frame",
    "Harbor", "Hive", "Kite", "Lens", "Orbit", "Pilot", "Pulse", "Quill", "Rail", "Root",
    "Sail", "Shift", "Spark", "Tide", "Trail", "Yard", "Byte", "Anchor", "Compass", "Ember",
)
DESCRIPTORS = ("", "", "", " AI", " Labs", " Health", " Robotics", " Bio")
LEGAL_SUFFIXES = {"US": (" Inc.", " Inc", ", Inc.", " LLC"), "GB": (" Ltd",), "DE": (" GmbH",), "": (" Inc.",)}

# People ------------------------------------------------------------------------------------------

WOMEN = ("Aisha", "Maria", "Priya", "Sofia", "Mei", "Fatima", "Elena", "Hannah", "Chloe", "Yuki",
         "Amara", "Ingrid", "Lucia", "Nadia", "Olivia", "Zara")
MEN = ("James", "Tomás", "Wei", "Brian", "Ivan", "Anton", "Michael", "Kenji", "Omar", "Lukas", "Rahul",
       "Daniel", "Pierre", "Mateo", "Ahmed", "Jonas", "Sven", "David", "Arjun", "Chen", "Marco",
       "Felix", "Noah", "Samuel")
NEUTRAL = ("Alex", "Sam", "Robin", "Kai", "River", "Jordan")
SURNAMES = (
    "Sato", "Haddad", "Gupta", "Smith", "Park", "Moreau", "Fischer", "Okafor", "Kim", "Nguyen",
    "Garcia", "Müller", "Rossi", "Cohen", "Silva", "Novak", "Ivanova", "Larsen", "Khan", "Tanaka",
    "Dubois", "Schmidt", "Brown", "Wilson", "Chen", "Singh", "Patel", "Costa", "Jansen", "Kowalski",
    "Andersson", "Murphy", "O'Brien", "Yamamoto", "Hernández", "Lopez", "Weber", "Becker", "Ali",
    "Ahmed", "Levi", "Mendes", "Virtanen", "Horvat", "Popescu", "Eriksen", "Walsh", "Lee", "Wang",
    "Zhang",
)
GENDER_SPELLINGS = {
    Gender.WOMAN: ("W", "F", "woman ", "Female", "female", "Woman", "woman"),
    Gender.MAN: ("M", "male", "Man", "Man ", "man", "Male"),
    Gender.NON_BINARY: ("non binary", "nonbinary", "NB", "non-binary"),
    Gender.NOT_STATED: (None, ""),
}
PRONOUNS = {
    Gender.WOMAN: ("she/her", "She/Her", "she/they"),
    Gender.MAN: ("he/him", "He/Him", "he/they"),
    Gender.NON_BINARY: ("they/them", "ze/zir"),
}
FORMAT_SPELLINGS = {
    Format.IN_PERSON: ("In-person only", "in-person", "In person", "in person"),
    Format.VIDEO: ("Video", "video", "Remote / video", "Video only"),
    Format.EITHER: ("Either", "either is fine", "No preference", "either"),
}
ROLES = (  # role kind, titles, weight
    ("CTO", ("CTO", "CTO / Co-founder", "Co-founder & CTO"), 23),
    ("VP Eng", ("VP Engineering", "VP of Engineering", "VP Eng"), 15),
    ("Director", ("Director of Engineering", "Senior Director of Engineering", "Engineering Director"), 18),
    ("Staff+", ("Staff Engineer", "Principal Engineer", "Senior Staff Engineer"), 28),
    ("Eng Manager", ("Engineering Manager", "Sr. EM", "Senior Engineering Manager"), 12),
    ("", ("Head of Engineering", "Tech Lead"), 4),
)
COMPANY_SIZES = ("1-50", "51-500", "501-5000", "5000+")
# Blocks people tick on the weekly grid (local time), and how often.
BLOCKS = (
    (("07:30", "09:00"), 14), (("12:00", "13:30"), 14), (("18:00", "20:00"), 14),
    (("10:00", "11:30"), 8), (("16:00", "17:30"), 6), (("14:00", "15:30"), 5),
    (("07:00", "09:00"), 3), (("11:30", "13:30"), 3),
    (("20:00", "21:30"), 2), (("10:00", "12:00"), 2), (("17:30", "20:00"), 2),
)
DAY_WEIGHTS = (10, 20, 19, 19, 8, 1, 0)  # as in real sign-ups: mid-week, rarely Saturday
FLEXIBLE_SHARE = 0.11  # people who tick whole working days, Monday to Friday
# fmt: on


@dataclass
class GeneratedSignUps:
    rows: list[dict]  # the messy JSON Lines rows, in file order
    truth: dict[str, SignUp]  # per person, keyed by the id of their latest row
    person_of_row: dict[str, str]  # every row id -> the id its person is kept under
    company_of: dict[str, str] = field(default_factory=dict)  # kept id -> true company ("" unknown)

    @property
    def duplicates(self) -> dict[str, str]:
        """Superseded row id -> the kept id."""
        return {row: kept for row, kept in self.person_of_row.items() if row != kept}


def generate_signups(size: int, *, seed: int = 1, first_meeting: date) -> GeneratedSignUps:
    """`size` messy rows (duplicates included) and the truth behind them, reproducible by seed."""
    rng = random.Random(seed)
    companies = _company_pool(rng, size)
    people: list[dict] = []
    taken: set[tuple[str, str]] = set()
    rows_needed = size
    while rows_needed > 0:
        person = _person(rng, companies, taken, first_meeting)
        submissions = 1
        if rows_needed >= 2 and rng.random() < 0.05:
            submissions = 3 if rows_needed >= 3 and rng.random() < 0.15 else 2
        person["submissions"] = [_row(rng, person, first_meeting)]
        for _ in range(submissions - 1):
            person["submissions"].append(_resubmission(rng, person, first_meeting))
        people.append(person)
        rows_needed -= submissions
    return _in_file_order(rng, people, first_meeting)


def _in_file_order(rng: random.Random, people: list[dict], first_meeting: date) -> GeneratedSignUps:
    order: list[tuple[float, dict, int]] = []
    for person in people:
        moment = rng.random()
        for index, _ in enumerate(person["submissions"]):
            order.append((moment, person, index))
            moment += rng.random() * (1 - moment)  # a later submission comes later in the file
    order.sort(key=lambda item: item[0])
    rows, latest = [], {}
    for number, (_, person, index) in enumerate(order, start=1):
        row = dict(person["submissions"][index], id=f"a{number:05d}")
        rows.append(row)
        latest.setdefault(id(person), []).append(row["id"])
    truth, person_of_row, company_of = {}, {}, {}
    for person in people:
        ids = latest[id(person)]
        kept = ids[-1]
        truth[kept] = _truth(person, kept, first_meeting)
        company_of[kept] = person["company"]
        for row_id in ids:
            person_of_row[row_id] = kept
    return GeneratedSignUps(
        rows=rows, truth=truth, person_of_row=person_of_row, company_of=company_of
    )


def _company_pool(rng: random.Random, size: int) -> list[tuple[str, tuple[str, ...]]]:
    stems = [p + c for p in PREFIXES for c in CORES]
    rng.shuffle(stems)
    count = min(len(stems), max(20, size * 2 // 3))
    return [(stem + rng.choice(DESCRIPTORS), ()) for stem in stems[:count]]


def _pick_company(rng: random.Random, startups) -> tuple[str, tuple[str, ...]]:
    if rng.random() < 0.03:
        return "", ("", None)
    if rng.random() < 0.35:
        return rng.choice(BIG_COMPANIES)
    index = rng.randrange(len(startups))
    return startups[index]


def _person(rng, startups, taken, first_meeting: date) -> dict:
    city, area, place, zone, city_raw, area_raw = _where(rng)
    gender = rng.choices(
        (Gender.WOMAN, Gender.MAN, Gender.NON_BINARY, Gender.NOT_STATED), (10, 74, 1, 15)
    )[0]
    first_names = {Gender.WOMAN: WOMEN, Gender.MAN: MEN, Gender.NON_BINARY: NEUTRAL}.get(
        gender, WOMEN + MEN + NEUTRAL
    )
    while True:
        company, spellings = _pick_company(rng, startups)
        name = f"{rng.choice(first_names)} {rng.choice(SURNAMES)}"
        if (name, company) not in taken:
            taken.add((name, company))
            break
    if place is None:
        formats = (Format.VIDEO, Format.EITHER, Format.IN_PERSON), (75, 22, 3)
    else:
        formats = (Format.IN_PERSON, Format.VIDEO, Format.EITHER), (35, 22, 43)
    role = rng.choices(ROLES, [weight for *_, weight in ROLES])[0]
    size = "5000+" if company in dict(BIG_COMPANIES) else rng.choice(COMPANY_SIZES[:3])
    return {
        "name": name,
        "company": company,
        "company_spellings": spellings or _startup_spellings(company, city),
        "email": _email(rng, name, company, len(taken)),
        "city": city,
        "place": place,
        "zone": zone,
        "city_raw": city_raw,
        "area_raw": area_raw,
        "gender": gender,
        "underrepresented": rng.random() < 0.05,
        "format": rng.choices(*formats)[0],
        "role_kind": role[0],
        "title": rng.choice(role[1]),
        "company_size": size,
        "org_size": rng.choice((3, 5, 8, 12, 20, 30, 45, 60, 120, 300)),
        "availability": _availability(rng),
    }


def _where(rng):
    """(city, area, true place, zone, raw city, raw meeting area) for one person."""
    metros = list(METROS.items())
    weights = [weight for _, (weight, _, _) in metros] + [REMOTE_WEIGHT]
    choice = rng.choices(range(len(metros) + 1), weights)[0]
    if choice == len(metros):
        return None, None, None, rng.choice(REMOTE_ZONES), rng.choice(REMOTE_SPELLINGS), ""
    _, (_, metro_spellings, cities) = metros[choice]
    city = rng.choices([c for _, c in cities], [w for w, _ in cities])[0]
    name, country, zone, latitude, longitude, spellings, areas = city
    city_place = Place(
        name=name, latitude=latitude, longitude=longitude, city=name, country_code=country
    )
    if metro_spellings and rng.random() < 0.15:  # "Bay Area": a metro, not a meeting point
        if areas and rng.random() < 0.6:
            area = rng.choice(areas)
            return (
                city,
                area,
                _area_place(city, area),
                zone,
                rng.choice(metro_spellings),
                rng.choice(area[3]),
            )
        return city, None, None, zone, rng.choice(metro_spellings), ""
    if areas and rng.random() < 0.65:
        area = rng.choice(areas)
        return city, area, _area_place(city, area), zone, rng.choice(spellings), rng.choice(area[3])
    centre = rng.choice(CENTRE_SPELLINGS)
    downtown = [area for area in areas if area[0] == f"Downtown {name}"]
    if centre and downtown:  # "Brooklyn / downtown" is Downtown Brooklyn
        return (
            city,
            downtown[0],
            _area_place(city, downtown[0]),
            zone,
            rng.choice(spellings),
            centre,
        )
    return city, None, city_place, zone, rng.choice(spellings), centre


def _area_place(city, area) -> Place:
    name, latitude, longitude, _ = area
    return Place(
        name=f"{city[0]}: {name}",
        latitude=latitude,
        longitude=longitude,
        city=city[0],
        country_code=city[1],
    )


def _startup_spellings(company: str, city) -> tuple[str, ...]:
    country = city[1] if city else ""
    suffixes = LEGAL_SUFFIXES.get(country, LEGAL_SUFFIXES[""])
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", company)  # "Swift Grid" for "SwiftGrid"
    return (company, company, company, company.lower(), spaced, company + suffixes[0])


def _email(rng, name: str, company: str, serial: int) -> str:
    local = name.lower().replace(" ", ".").replace("'", "")
    if not company or rng.random() < 0.15:
        return f"{local}{serial}@gmail.com"
    domain = company.lower().replace(" ", "").replace(".", "")
    return f"{local}@{domain}.com"


def _availability(rng) -> list[dict]:
    if rng.random() < FLEXIBLE_SHARE:
        return [{"day": day, "start": "08:00", "end": "18:00"} for day in DAYS[:5]]
    count = rng.choices(range(1, 9), (12, 6, 8, 11, 20, 13, 8, 7))[0]
    blocks = set()
    for _ in range(count):
        day = rng.choices(DAYS, DAY_WEIGHTS)[0]
        start, end = rng.choices([b for b, _ in BLOCKS], [w for _, w in BLOCKS])[0]
        blocks.add((DAYS.index(day), start, end))
    return [{"day": DAYS[d], "start": s, "end": e} for d, s, e in sorted(blocks)]


def _row(rng, person: dict, first_meeting: date) -> dict:
    gender_raw = rng.choice(GENDER_SPELLINGS[person["gender"]])
    row = {
        "name": person["name"],
        "email": person["email"],
        "company": _maybe_misspelt(rng, rng.choice(person["company_spellings"]), 0.03),
        "title": person["title"],
        "role_kind": person["role_kind"] or None,
        "company_size": person["company_size"] if rng.random() < 0.85 else None,
        "org_size": person["org_size"] if rng.random() < 0.7 else None,
        "city": _maybe_misspelt(rng, person["city_raw"], 0.04),
        "meeting_area": person["area_raw"],
        "timezone": _zone_raw(rng, person, first_meeting),
        "format_preference": rng.choice(FORMAT_SPELLINGS[person["format"]]),
        "availability": person["availability"],
        "gender": gender_raw,
        "pronouns": rng.choice(PRONOUNS[person["gender"]])
        if person["gender"] in PRONOUNS and rng.random() < 0.5
        else None,
    }
    if person["underrepresented"]:
        row["underrepresented"] = True
    elif rng.random() < 0.3:
        row["underrepresented"] = False
    return row


def _resubmission(rng, person: dict, first_meeting: date) -> dict:
    """A second sign-up of the same person: new answers replace the old ones (latest wins)."""
    if rng.random() < 0.5:
        person["availability"] = _availability(rng)
    if rng.random() < 0.2:
        person["format"] = rng.choice(list(FORMAT_SPELLINGS))
    row = _row(rng, person, first_meeting)
    how = rng.random()
    if how < 0.4:
        row["email"] = person["email"].upper() if rng.random() < 0.5 else person["email"].title()
    elif how < 0.7 and person["company"]:
        local = person["name"].lower().replace(" ", "").replace("'", "")
        row["email"] = f"{local}.{rng.randrange(100, 999)}@outlook.com"
        if rng.random() < 0.3:
            row["name"] = person["name"].lower()
    return row


def _maybe_misspelt(rng, text: str | None, chance: float) -> str | None:
    """Now and then a slip of the keyboard in the first word: a letter dropped, doubled or swapped."""
    word, _, rest = (text or "").partition(" ")
    if len(word) < 6 or not word.isalpha() or rng.random() >= chance:
        return text
    i = rng.randrange(1, len(word) - 1)
    word = rng.choice(
        (
            word[:i] + word[i + 1 :],
            word[:i] + word[i] + word[i:],
            word[:i] + word[i + 1] + word[i] + word[i + 2 :],
        )
    )
    return f"{word} {rest}" if rest else word


def _zone_raw(rng, person: dict, first_meeting: date) -> str | None:
    zone = person["zone"]
    if person["place"] is not None or person["city"] is not None:
        if rng.random() < 0.12:
            return rng.choice((None, ""))
    options = [zone] * 6
    options += list(ZONE_NAMES.get(zone, ()))
    seasonal = SEASONAL_ABBREVIATIONS.get(zone)
    if seasonal and _tz_name(zone, first_meeting) == seasonal:
        options.append(seasonal)
    options += _offset_spellings(_offset_minutes(zone, first_meeting))
    return rng.choice(options)


def _offset_spellings(minutes: int) -> list[str]:
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    if rest:
        return [f"UTC{sign}{hours:02d}:{rest:02d}"]
    return [f"UTC{sign}{hours}", f"GMT{sign}{hours}", f"UTC{sign}{hours:02d}:00"]


# The truth ---------------------------------------------------------------------------------------


def _local_noon(zone: str, first_meeting: date) -> datetime:
    return datetime.combine(first_meeting, time(12), ZoneInfo(zone))


def _offset_minutes(zone: str, first_meeting: date) -> int:
    return int(_local_noon(zone, first_meeting).utcoffset().total_seconds() // 60)


def _tz_name(zone: str, first_meeting: date) -> str:
    return _local_noon(zone, first_meeting).tzname()


def true_slots(availability: list[dict], zone: str, first_meeting: date) -> frozenset[int]:
    """Local weekly blocks as UTC-week slots, converted in the week of the first meeting."""
    monday = first_meeting - timedelta(days=first_meeting.weekday())
    week_start = datetime.combine(monday, time(0), ZoneInfo("UTC"))
    slots = set()
    for block in availability:
        day = monday + timedelta(days=DAYS.index(block["day"]))
        start = _at(day, block["start"], zone)
        end = _at(day, block["end"], zone)
        minutes = int((start - week_start).total_seconds() // 60)
        for step in range(int((end - start).total_seconds() // 60) // SLOT_MINUTES):
            slots.add((minutes // SLOT_MINUTES + step) % SLOTS_PER_WEEK)
    return frozenset(slots)


def _at(day: date, clock: str, zone: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return (
        datetime.combine(day, time(0), ZoneInfo(zone)) + timedelta(hours=hours, minutes=minutes)
    ).astimezone(ZoneInfo("UTC"))


def _seniority(role_kind: str, company_size: str) -> int:
    big = company_size in ("501-5000", "5000+")
    return {
        "CTO": 3 if big else 2,
        "VP Eng": 3 if big else 2,
        "Director": 2,
        "Staff+": 2 if big else 1,
        "Eng Manager": 1,
    }.get(role_kind, 0)


def _truth(person: dict, kept: str, first_meeting: date) -> SignUp:
    zone = person["zone"]
    return SignUp(
        id=kept,
        name=person["name"],
        company_key=person["company"].casefold(),
        format=person["format"],
        place=person["place"],
        timezone=zone,
        utc_offset_minutes=_offset_minutes(zone, first_meeting),
        slots=true_slots(person["availability"], zone, first_meeting),
        gender=person["gender"],
        underrepresented=person["underrepresented"],
        role_kind=person["role_kind"],
        company_size=person["company_size"],
        seniority=_seniority(person["role_kind"], person["company_size"]),
    )
