"""What cleaning tells the organizer: per row, each field's inferred value and how sure it is."""

from dataclasses import dataclass, field

from circles.domain import SignUp

CONFIDENCE_THRESHOLD = 0.7  # below this, cleaning refuses to guess and records a problem instead


@dataclass(frozen=True)
class Inference:
    raw: str  # what the person wrote (as text)
    value: str  # what cleaning made of it ("" when unknown)
    confidence: float  # 0..1; 1.0 for exact matches and organizers' corrections
    note: str = ""  # how it was inferred, in plain words


@dataclass
class Record:
    """What cleaning made of one input row.

    `fields` has "name", "email", "company", "place" (the city or metro), "meeting_area" (the
    meeting point), "timezone", "availability", "format", "gender", "role_kind" and "seniority".
    The correctable ones are named as alias kinds: a correction of a field is stored under
    `normalise(field, record.fields[field].raw)`. Self-identified gender is private: show it to
    organizers in aggregate only.
    """

    id: str
    fields: dict[str, Inference] = field(default_factory=dict)
    duplicate_of: str | None = None  # the id of the later submission that replaced this one
    problems: list[str] = field(default_factory=list)


@dataclass
class CleaningReport:
    signups: list[SignUp]  # deduplicated: the latest submission of each person
    records: list[Record]  # one per input row, in input order
