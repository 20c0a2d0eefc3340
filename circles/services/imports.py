"""Importing sign-ups collected elsewhere: upload, map the columns, preview, apply or cancel.

A person is found again by email (in any case), else by the import's id, else by name and
company, so importing the same file twice changes nothing and a newer file updates the people
it names (the latest wins). Applying runs in a worker: `import_apply.py`.
"""

import hashlib
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction

from circles.models import ImportBatch, ReviewEvent, Round, SignUp
from circles.services.cleaning import clean_rows, record_json
from circles.services.import_files import (
    FIELDS,
    decode,
    file_format_of,
    mapped_rows,
    read_csv,
    read_jsonl,
)
from community.models import User

PRIVATE_INFERENCES = {"gender", "underrepresented"}
UNSURE = 0.8  # inferences below this are flagged for the organizer's attention


@transaction.atomic
def start_import(round: Round, *, file_name: str, content: bytes, uploaded_by: User) -> ImportBatch:
    """Read an uploaded file into a pending import; a malformed file is refused whole."""
    file_format = file_format_of(file_name)
    text = decode(content)
    batch = ImportBatch(
        round=round,
        uploaded_by=uploaded_by,
        file_name=PurePath(file_name).name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        file_format=file_format,
    )
    if file_format == ImportBatch.FileFormat.CSV:
        batch.headers, batch.rows = read_csv(text)
    else:
        batch.rows = read_jsonl(text)
    batch.row_count = len(batch.rows)
    batch.save()
    if file_format == ImportBatch.FileFormat.JSONL:
        refresh_preview(batch)
    return batch


@transaction.atomic
def map_columns(batch: ImportBatch, *, mapping: dict[str, str]) -> ImportBatch:
    batch = _pending(batch)
    unknown = sorted(set(mapping.values()) - set(FIELDS) - {""})
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(unknown)}.")
    chosen = [field for field in mapping.values() if field and field != "availability"]
    if twice := sorted({field for field in chosen if chosen.count(field) > 1}):
        names = ", ".join(FIELDS[field] for field in twice)
        raise ValidationError(f"Each field can come from one column only: {names}.")
    if not {"email", "id", "name"} & set(chosen):
        raise ValidationError("Map at least one of email, id or name, so people can be told apart.")
    batch.column_mapping = {header: mapping.get(header, "") for header in batch.headers if header}
    batch.save(update_fields=["column_mapping"])
    return refresh_preview(batch)


def _pending(batch: ImportBatch) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not batch.is_pending:
        raise ValidationError(f"This import is already {batch.get_status_display().lower()}.")
    return batch


class Matcher:
    """Finds a round's existing sign-up for a row: by email, else id, else name and company."""

    def __init__(self, round: Round):
        self.by_email, self.by_id, self.by_name = {}, {}, {}
        for signup in SignUp.objects.filter(round=round):
            self.add(signup)

    @staticmethod
    def _name_key(name, company) -> tuple[str, str] | None:
        name, company = str(name or "").strip().casefold(), str(company or "").strip().casefold()
        return (name, company) if name and company else None

    def add(self, signup: SignUp) -> None:
        if signup.email:
            self.by_email[signup.email.casefold()] = signup
        if signup.external_id:
            self.by_id[signup.external_id] = signup
        if key := self._name_key(signup.name, signup.company):
            self.by_name.setdefault(key, signup)

    def find(self, row: dict) -> SignUp | None:
        email = str(row.get("email") or "").strip().casefold()
        external_id = str(row.get("id") or "").strip()
        return (
            (self.by_email.get(email) if email else None)
            or (self.by_id.get(external_id) if external_id else None)
            or self.by_name.get(self._name_key(row.get("name"), row.get("company")))
        )


def clean_batch_rows(batch: ImportBatch, rows: list[tuple[dict, list[str]]]):
    """Clean with positional ids, so repeated or missing ids in the file cannot mix rows up."""
    keyed = [{**row, "id": f"row-{number}"} for number, (row, _) in enumerate(rows, start=1)]
    return clean_rows(keyed, round=batch.round)


@transaction.atomic
def refresh_preview(batch: ImportBatch) -> ImportBatch:
    """Clean every row again (with the aliases saved so far) and say what applying would do."""
    rows = mapped_rows(batch)
    report = clean_batch_rows(batch, rows)
    matcher = Matcher(batch.round)
    preview = []
    for number, ((row, read_problems), record) in enumerate(
        zip(rows, report.records, strict=True), start=1
    ):
        found = record_json(record)
        existing = matcher.find(row)
        if found["duplicate_of"]:
            action = "duplicate"
        elif existing is None:
            action = "new"
        else:
            action = "unchanged" if existing.raw == row else "update"
        preview.append(
            {
                "row": number,
                "id": str(row.get("id") or ""),
                "name": str(row.get("name") or ""),
                "email": str(row.get("email") or ""),
                "city": str(row.get("city") or ""),
                "action": action,
                "duplicate_of": int(found["duplicate_of"][4:]) if found["duplicate_of"] else None,
                "problems": read_problems + found["problems"],
                "inferences": found["inferences"],
            }
        )
    batch.preview = preview
    batch.problem_count = sum(1 for row in preview if row["problems"])
    batch.duplicate_count = sum(1 for row in preview if row["action"] == "duplicate")
    batch.save(update_fields=["preview", "problem_count", "duplicate_count"])
    return batch


def preview_counts(batch: ImportBatch) -> dict[str, int]:
    counts = {"new": 0, "update": 0, "unchanged": 0, "duplicate": 0}
    for row in batch.preview:
        counts[row["action"]] += 1
    return counts


# What the preview shows: per kind of inference, in this order, and beside each row.
SUMMARY_KINDS = {
    "place": "Places",
    "meeting_area": "Meeting areas",
    "timezone": "Timezones",
    "company": "Companies",
    "format": "Formats",
    "gender": "Gender (private: shown only as counts)",
}
ROW_KINDS = {
    "place": "place",
    "meeting_area": "meeting area",
    "timezone": "timezone",
    "company": "company",
    "format": "format",
    "role_kind": "role",
    "availability": "availability (half-hours)",
}


def preview_rows(batch: ImportBatch) -> list[dict]:
    """The preview's rows, each with the inferences shown beside a person (never gender)."""
    return [
        {
            **row,
            "shown": [
                (label, row["inferences"][kind])
                for kind, label in ROW_KINDS.items()
                if kind in row["inferences"]
            ],
        }
        for row in batch.preview
    ]


def inference_summary(batch: ImportBatch) -> list[dict]:
    """What cleaning inferred, per kind and raw text, with how many rows said it, least sure first.

    Gender is shown only this way, as counts of answers, never beside a person's name.
    """
    summary: dict[str, dict[str, dict]] = {kind: {} for kind in SUMMARY_KINDS}
    for row in batch.preview:
        for kind, inference in row["inferences"].items():
            if kind not in summary or not str(inference["raw"]).strip():
                continue
            entry = summary[kind].setdefault(inference["raw"], {**inference, "count": 0})
            entry["count"] += 1
    return [
        {
            "kind": kind,
            "label": SUMMARY_KINDS[kind],
            "entries": sorted(entries.values(), key=lambda e: (e["confidence"], -e["count"])),
            "unsure": sum(1 for entry in entries.values() if entry["confidence"] < UNSURE),
        }
        for kind, entries in summary.items()
        if entries
    ]


def users_by_email(rows) -> dict[str, User]:
    emails = {str(row.get("email") or "").strip().casefold() for row in rows} - {""}
    return {user.email.casefold(): user for user in User.objects.filter(email__in=emails)}


def _text(row: dict, field: str, length: int) -> str:
    value = row.get(field)
    return str(value).strip()[:length] if isinstance(value, str | int | float) else ""


def fill_signup(
    signup: SignUp, *, row: dict, record, batch: ImportBatch, users: dict, matcher: Matcher
) -> None:
    email = record.fields["email"].value.strip().lower() if "email" in record.fields else ""
    email = email if "@" in email and len(email) <= 254 else ""
    external_id = _text(row, "id", 100)
    if external_id and matcher.by_id.get(external_id, signup) is signup:
        signup.external_id = external_id
    if email and matcher.by_email.get(email, signup) is signup:
        signup.email = email
    signup.name, signup.company = _text(row, "name", 150), _text(row, "company", 150)
    signup.title, signup.pronouns = _text(row, "title", 150), _text(row, "pronouns", 40)
    signup.topics = _text(row, "topics", 5000)
    signup.raw, signup.import_batch = row, batch
    if signup.user_id is None and (user := users.get(email)):
        taken = SignUp.objects.filter(round=signup.round_id, user=user).exclude(pk=signup.pk)
        if not taken.exists():
            signup.user = user


def superseded_note(records, winner_id: str) -> str:
    folded = [record.id[4:] for record in records if record.duplicate_of == winner_id]
    if not folded:
        return ""
    rows = f"row {folded[0]}" if len(folded) == 1 else f"rows {', '.join(folded)}"
    return f"Also submitted in {rows} of the import; the latest submission is kept."[:200]


@transaction.atomic
def cancel_import(batch: ImportBatch, *, cancelled_by: User) -> ImportBatch:
    """Drop the import: no sign-up is created or changed, and the file's rows are let go."""
    batch = _pending(batch)
    batch.status, batch.rows, batch.preview = ImportBatch.Status.CANCELLED, [], []
    batch.save(update_fields=["status", "rows", "preview"])
    ReviewEvent.objects.create(
        round=batch.round,
        actor=cancelled_by,
        action="import.cancelled",
        details={"import": batch.pk},
    )
    return batch


def earlier_imports_of_the_same_file(batch: ImportBatch):
    return ImportBatch.objects.filter(
        round=batch.round_id, sha256=batch.sha256, status=ImportBatch.Status.APPLIED
    ).exclude(pk=batch.pk)
