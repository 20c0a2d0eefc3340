"""The plain data that cleaning, composition and the site pass between them (no Django imports).

Cleaning (`circles.cleaning`) turns raw sign-ups into `SignUp`s; composition (`circles.composition`)
turns `SignUp`s and `Rules` into a `Composition`; the Django layer stores both and shows them.

Weekly availability is kept as half-hour slots of a UTC week: slot 0 is Monday 00:00-00:30 UTC and
slot 335 is Sunday 23:30-24:00 UTC. Each person's local wall-clock times are converted with zoneinfo
at the round's first-meeting date, so daylight saving is right for the weeks the circle starts in.
"""

from dataclasses import dataclass, field
from enum import StrEnum

SLOT_MINUTES = 30
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Format(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    EITHER = "either"  # a person's preference only; a circle is in person or video


class Gender(StrEnum):
    WOMAN = "woman"
    MAN = "man"
    NON_BINARY = "non_binary"
    NOT_STATED = ""


@dataclass(frozen=True)
class Place:
    """A point people can meet near (a city centre, a neighbourhood, a station)."""

    name: str  # as shown to organizers, e.g. "San Francisco: Financial District"
    latitude: float
    longitude: float
    city: str  # the city it belongs to, e.g. "San Francisco"
    country_code: str = ""  # ISO 3166-1 alpha-2, e.g. "US"


@dataclass(frozen=True)
class SignUp:
    """One person's cleaned sign-up, ready to compose."""

    id: str
    name: str
    company_key: str  # one identity per company ("google" for "Google LLC"); "" if unknown
    format: Format  # what they accept
    place: Place | None  # where they can meet in person; None if unknown or not a meeting point
    timezone: str  # IANA name; "" if unknown
    utc_offset_minutes: int  # at the round's first-meeting date
    slots: frozenset[int]  # available half-hours of the UTC week (see the module docstring)
    gender: Gender = Gender.NOT_STATED
    underrepresented: bool = False  # self-identified as under-represented (optional, private)
    role_kind: str = ""  # "CTO", "VP Eng", "Director", "Staff+", "Eng Manager" or ""
    company_size: str = ""  # "1-50", "51-500", "501-5000", "5000+" or ""
    seniority: int = (
        0  # 0 (unknown) to 3 (CTOs, founders, leaders of large groups in big companies)
    )

    @property
    def accepts_in_person(self) -> bool:
        return self.format in (Format.IN_PERSON, Format.EITHER)

    @property
    def accepts_video(self) -> bool:
        return self.format in (Format.VIDEO, Format.EITHER)


@dataclass(frozen=True)
class Rules:
    """What makes a circle valid; the defaults are the community's, editable per round."""

    min_size: int = 6
    max_size: int = 10
    target_min_size: int = 8
    target_max_size: int = 9
    min_common_minutes: int = 60  # contiguous minutes every member marked available
    max_distance_km: float = 10.0  # in person: some member's place is this close to everyone's
    max_offset_span_hours: float = 5.0  # video: the spread of the members' UTC offsets
    min_group_size: int = 2  # of an under-represented group in a circle: 0 or at least this many


@dataclass
class Circle:
    members: list[str]  # SignUp ids
    format: Format  # IN_PERSON or VIDEO
    window: list[int] = field(default_factory=list)  # the common slots, in the UTC week
    place: Place | None = None  # the meeting point of an in-person circle
    locked: bool = False  # kept exactly as it is when composing again
    ref: str = ""  # the caller's name for it (its database row), kept through composition
    explanation: list[str] = field(default_factory=list)  # why it works, in plain words


@dataclass
class Composition:
    circles: list[Circle]
    unplaced: dict[str, str]  # SignUp id -> why they could not be placed, in plain words
    upper_bound: int | None = None  # most people the solver proved could be placed, if known
    optimal: bool = False  # the solver proved no composition places more people
