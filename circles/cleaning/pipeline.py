"""clean_signups: raw sign-up rows in, deduplicated SignUps and a per-row account of what was inferred."""

from collections.abc import Iterable, Mapping
from datetime import date

from circles.cleaning.areas import meeting_raw, where
from circles.cleaning.availability import read_availability
from circles.cleaning.companies import company_keys
from circles.cleaning.people import (
    read_company_size,
    read_email,
    read_format,
    read_gender,
    read_name,
    read_org_size,
    read_role_kind,
    read_underrepresented,
    seniority,
)
from circles.cleaning.places import clock_of, timezone_at
from circles.cleaning.records import CONFIDENCE_THRESHOLD, CleaningReport, Inference, Record
from circles.cleaning.text import KINDS, as_text, fold, normalise
from circles.cleaning.timezones import resolve_zone, stated_zone, utc_offset_minutes
from circles.domain import Format, SignUp


def clean_signups(
    rows: Iterable[dict],
    *,
    first_meeting: date,
    aliases: Mapping[str, Mapping[str, str]] | None = None,
) -> CleaningReport:
    """Clean every row (never raising on bad data), then keep the latest submission of each person."""
    rows = list(rows)
    known = _aliases(aliases)
    companies = company_keys([_get(row, "company") for row in rows], known["company"])
    cleaner = _RowCleaner(first_meeting, known)
    records, signups = [], []
    for number, (row, company) in enumerate(zip(rows, companies, strict=True), start=1):
        record, signup = cleaner.clean(row, number, company)
        records.append(record)
        signups.append(signup)
    winners = _deduplicate(records, signups)
    return CleaningReport(signups=[signups[i] for i in winners], records=records)


def _aliases(aliases: Mapping[str, Mapping[str, str]] | None) -> dict[str, dict[str, str]]:
    """Organizers' corrections, keyed as `normalise` makes keys (so a hand-typed key works too)."""
    out: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
    for kind, mapping in (aliases or {}).items():
        if kind in out and isinstance(mapping, Mapping):
            for raw, value in mapping.items():
                if isinstance(raw, str) and isinstance(value, str):
                    out[kind][normalise(kind, raw)] = value.strip()
    return out


def _get(row: object, key: str) -> object:
    return row.get(key) if isinstance(row, dict) else None


class _RowCleaner:
    """Cleans one row at a time, remembering what it worked out for each distinct raw text."""

    def __init__(self, first_meeting: date, aliases: dict[str, dict[str, str]]):
        self.first_meeting = first_meeting
        self.aliases = aliases
        self.points: dict[tuple, tuple] = {}

    def clean(self, row: object, number: int, company) -> tuple[Record, SignUp]:
        problems: list[str] = []
        if not isinstance(row, dict):
            row, problems = {}, ["this row is not a sign-up (not a JSON object)"]
        row_id = as_text(row.get("id")) or f"row-{number}"
        if not as_text(row.get("id")):
            problems.append(f"no id: called {row_id}")
        fields: dict[str, Inference] = {}
        name, found = read_name(row.get("name"))
        problems += found
        email, found = read_email(row.get("email"))
        problems += found
        fields["name"] = Inference(as_text(row.get("name")), name, 1.0 if name else 0.0)
        fields["email"] = Inference(as_text(row.get("email")), email, 1.0 if email else 0.0)
        fields["company"] = Inference(
            as_text(row.get("company")), company.value, company.confidence, company.note
        )
        if row.get("company") is not None and not isinstance(row.get("company"), str):
            problems.append("company is not text")
        place, timezone = self._where_and_when(row, fields, problems)
        offset = utc_offset_minutes(timezone, self.first_meeting)
        slots, found = read_availability(row.get("availability"), timezone, self.first_meeting)
        problems += found
        entries = row.get("availability") if isinstance(row.get("availability"), list) else []
        fields["availability"] = Inference(f"{len(entries)} entries", str(len(slots)), 1.0 if slots else 0.0,
                                           f"{len(slots)} half-hours a week")  # fmt: skip
        signup = self._signup(
            row, row_id, name, company.value, place, timezone, offset, slots, fields, problems
        )
        if signup.format == Format.IN_PERSON and place is None:
            problems.append("wants to meet in person but has no meeting point")
        return Record(row_id, fields, None, list(dict.fromkeys(problems))), signup

    def _where_and_when(self, row: dict, fields: dict, problems: list[str]):
        city, area, tz_raw = row.get("city"), row.get("meeting_area"), row.get("timezone")
        clock = clock_of(stated_zone(tz_raw, self.aliases["timezone"]))
        key = (as_text(city), as_text(area), clock)
        if key not in self.points:
            self.points[key] = where(city, area, self.aliases, clock)
        located, point = self.points[key]
        fields["place"] = Inference(as_text(city), located.value, located.confidence, located.note)
        fields["meeting_area"] = Inference(
            meeting_raw(city, area), point.value, point.confidence, point.note
        )
        problems += [*located.problems, *point.problems]
        place = point.place if point.place and point.confidence >= CONFIDENCE_THRESHOLD else None
        place_zone = located.timezone or (
            timezone_at(place.latitude, place.longitude) if place else ""
        )
        zone = resolve_zone(
            tz_raw, self.aliases["timezone"], place_zone=place_zone, place_name=located.value
        )
        fields["timezone"] = Inference(as_text(tz_raw), zone.value, zone.confidence, zone.note)
        problems += zone.problems
        if zone.value and place_zone and as_text(tz_raw):
            if utc_offset_minutes(zone.value, self.first_meeting) != utc_offset_minutes(
                place_zone, self.first_meeting
            ):
                problems.append(
                    f"timezone {zone.value} does not match the place ({located.value}, {place_zone})"
                )
        return place, zone.value

    def _signup(
        self, row, row_id, name, company_key, place, timezone, offset, slots, fields, problems
    ) -> SignUp:
        format_, fields["format"], found = read_format(
            row.get("format_preference"), self.aliases["format"]
        )
        problems += found
        gender, fields["gender"], found = read_gender(row.get("gender"), self.aliases["gender"])
        problems += found
        underrepresented, found = read_underrepresented(row.get("underrepresented"))
        problems += found
        role = read_role_kind(row.get("role_kind"), row.get("title"))
        fields["role_kind"] = role
        company_size, found = read_company_size(row.get("company_size"))
        problems += found
        org_size, found = read_org_size(row.get("org_size"))
        problems += found
        level = seniority(role.value, row.get("title"), company_size, org_size)
        fields["seniority"] = Inference(as_text(row.get("title")), str(level), 1.0 if level else 0.0,
                                        "0 unknown to 3 (CTOs, founders, leaders of large groups)")  # fmt: skip
        return SignUp(
            id=row_id, name=name, company_key=company_key, format=format_, place=place, timezone=timezone,
            utc_offset_minutes=offset, slots=slots, gender=gender, underrepresented=underrepresented,
            role_kind=role.value, company_size=company_size, seniority=level,
        )  # fmt: skip


def _deduplicate(records: list[Record], signups: list[SignUp]) -> list[int]:
    """Rows of one person (same id, same email in any case, or same name and company) are merged:
    the latest row wins and the earlier ones point to it. Returns the winners' indexes, in order."""
    parent = list(range(len(records)))  # each group's root is its latest row

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, str], int] = {}
    for i, (record, signup) in enumerate(zip(records, signups, strict=True)):
        name = fold(signup.name)
        keys = [("id", record.id), ("email", record.fields["email"].value)]
        if name and signup.company_key:
            keys.append(("name", f"{name}|{signup.company_key}"))
        for key in keys:
            if key[1] and key in seen:
                earlier, latest = root(seen[key]), root(i)
                parent[min(earlier, latest)] = max(earlier, latest)
            seen[key] = i
    for i, record in enumerate(records):
        winner = root(i)
        if winner != i:
            record.duplicate_of = records[winner].id
            record.problems.append(
                f"replaced by a later submission of the same person ({records[winner].id})"
            )
    return [i for i in range(len(records)) if root(i) == i]
