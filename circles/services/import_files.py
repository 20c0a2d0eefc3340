"""Reading an uploaded file of sign-ups into rows in the JSON Lines shape of an import.

A JSON Lines file is in that shape already; a CSV file's columns are mapped to its fields, with a
guess from the header names. A file that cannot be read is refused whole, with the reason.
"""

import csv
import io
import json
from pathlib import PurePath

from django.core.exceptions import ValidationError

from circles.models import ImportBatch
from circles.services.availability_text import parse_availability

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# Our fields, in the JSON Lines shape, as the mapping step offers them.
FIELDS = {
    "id": "Id",
    "name": "Name",
    "email": "Email",
    "company": "Company",
    "title": "Job title",
    "role_kind": "Role (CTO, VP Eng, Director, Staff+, Eng Manager)",
    "company_size": "Company size",
    "org_size": "Size of the organization they lead",
    "city": "City",
    "meeting_area": "Meeting area",
    "timezone": "Timezone",
    "format_preference": "Format (in person, video, either)",
    "availability": "Availability (one or more columns)",
    "gender": "Gender (optional, private)",
    "pronouns": "Pronouns",
    "underrepresented": "Under-represented group (optional, private)",
    "topics": "Topics to discuss",
}
# How a header names our field: the first rule whose words appear in it wins.
HEADER_WORDS = [
    ("email", ("email", "e-mail", "mail address")),
    ("availability", ("availab", "when can you", "free slots", "times you")),
    ("company_size", ("company size", "size of company", "employees", "headcount")),
    ("org_size", ("org size", "team size", "organization size", "organisation size", "reports")),
    ("company", ("company", "employer", "organization", "organisation")),
    ("timezone", ("timezone", "time zone", "tz")),
    ("meeting_area", ("meeting area", "area", "neighbourhood", "neighborhood", "station")),
    ("city", ("city", "location", "based", "town")),
    ("format_preference", ("format", "in person", "in-person", "video", "remote")),
    ("underrepresented", ("underrepresented", "under-represented", "under represented")),
    ("gender", ("gender",)),
    ("pronouns", ("pronoun",)),
    ("topics", ("topic", "discuss", "interest")),
    ("role_kind", ("role",)),
    ("title", ("title", "position", "job")),
    ("name", ("name",)),
    ("id", ("id", "respondent", "response id", "record", "submission")),
]


def decode(content: bytes) -> str:
    if len(content) > MAX_BYTES:
        raise ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("The file is not text in UTF-8 (save it as CSV UTF-8 and try again).")


def file_format_of(file_name: str) -> str:
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".csv":
        return ImportBatch.FileFormat.CSV
    if suffix in (".jsonl", ".ndjson", ".json"):
        return ImportBatch.FileFormat.JSONL
    raise ValidationError("Upload a .csv file or a .jsonl (JSON Lines) file.")


def read_jsonl(text: str) -> list[dict]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValidationError(
                f"Line {number} is not valid JSON ({error.msg}, column {error.colno}); "
                "each line must be one sign-up as a JSON object."
            ) from None
        if not isinstance(row, dict):
            raise ValidationError(f"Line {number} is not a JSON object ({{…}}).")
        rows.append(row)
    return _checked_count(rows)


def read_csv(text: str) -> tuple[list[str], list[dict]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        table = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise ValidationError(f"The CSV file cannot be read: {error}.") from None
    if len(table) < 2:
        raise ValidationError("The CSV file needs a header row and at least one sign-up.")
    headers = [header.strip() for header in table[0]]
    named = [header for header in headers if header]
    if not named:
        raise ValidationError("The CSV file's first row has no column names.")
    if len(set(named)) != len(named):
        raise ValidationError("Two columns of the CSV file have the same name; rename one.")
    rows = [
        {header: cell.strip() for header, cell in zip(headers, row, strict=False) if header}
        for row in table[1:]
    ]
    return headers, _checked_count(rows)


def _checked_count(rows: list) -> list:
    if not rows:
        raise ValidationError("The file holds no sign-ups.")
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"The file holds more than {MAX_ROWS:,} sign-ups; split it.")
    return rows


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """{header: our field or ""}, from the words in each header; each field is guessed once,
    except availability, which may be spread over several columns (one per day)."""
    mapping, taken = {}, set()
    for header in headers:
        text = header.casefold().replace("_", " ")
        words = set(text.replace("?", " ").replace(":", " ").split())
        field = next(
            (
                field
                for field, needles in HEADER_WORDS
                if any(needle in text if len(needle) > 3 else needle in words for needle in needles)
            ),
            "",
        )
        if field in taken and field != "availability":
            field = ""
        mapping[header] = field
        taken.add(field)
    return mapping


# Mapping rows ------------------------------------------------------------------------------------


def mapped_rows(batch: ImportBatch) -> list[tuple[dict, list[str]]]:
    """Each row in our shape, with the problems found reading it."""
    if batch.file_format == ImportBatch.FileFormat.JSONL:
        return [(_jsonl_row(row), []) for row in batch.rows]
    return [_csv_row(row, batch.column_mapping) for row in batch.rows]


def _jsonl_row(row: dict) -> dict:
    row = dict(row)
    if row.get("id") is not None:
        row["id"] = str(row["id"]).strip()
    return row


def _csv_row(cells: dict, mapping: dict) -> tuple[dict, list[str]]:
    row: dict = {}
    problems: list[str] = []
    availability: list[dict] = []
    for header, field in mapping.items():
        value = cells.get(header, "")
        if not field:
            continue
        if field == "availability":
            found, unread = parse_availability(value, header=header)
            availability.extend(found)
            problems.extend(f"Availability not understood: “{text}”." for text in unread)
        elif field == "underrepresented":
            row[field] = value.casefold() in ("yes", "y", "true", "1", "x")
        else:
            row[field] = value
    if any(field == "availability" for field in mapping.values()):
        row["availability"] = availability
    return row, problems
