"""Compose circles from a JSON Lines file of sign-ups, without touching the database."""

import argparse
import json
import os
import tempfile
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from circles.batch import (
    SignUpFileError,
    describe_result,
    next_monday,
    read_signup_rows,
    run_batch,
)


class Command(BaseCommand):
    help = (
        "Clean and compose the sign-ups in a JSON Lines file with the default rules and write "
        "the circles and the unplaced (with reasons) as JSON. No database rows are needed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, type=Path, help="sign-ups, one JSON a line")
        parser.add_argument("--output", required=True, type=Path, help="where to write the JSON")
        parser.add_argument(
            "--first-meeting",
            type=_parse_date,
            default=None,
            help="YYYY-MM-DD; availability is converted for this date (default: next Monday)",
        )
        parser.add_argument(
            "--time-limit", type=float, default=30.0, help="seconds the solver may use (default 30)"
        )

    def handle(self, *args, input: Path, output: Path, first_meeting, time_limit, **options):
        if time_limit <= 0:
            raise CommandError("--time-limit must be a positive number of seconds.")
        first_meeting = first_meeting or next_monday(timezone.localdate())
        try:
            with input.open(encoding="utf-8") as lines:
                rows = read_signup_rows(lines)
        except OSError as error:
            raise CommandError(f"Cannot read {input}: {error.strerror}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{input} is not UTF-8 text.") from None
        except SignUpFileError as error:
            raise CommandError(f"{input}: {error}") from None
        batch = run_batch(rows, first_meeting=first_meeting, time_limit=time_limit)
        result = describe_result(batch)
        _write_atomically(output, result)
        self.stdout.write(_summary(result, batch.composition, first_meeting, output))


def _summary(result: dict, composition, first_meeting: date, output: Path) -> str:
    placed = sum(len(circle["members"]) for circle in result["circles"])
    total = placed + len(result["unplaced"])
    bound = ""
    if composition.upper_bound is not None:
        proven = "proven optimal" if composition.optimal else "not proven optimal"
        bound = f"; at most {composition.upper_bound} could be placed ({proven})"
    circles = len(result["circles"])
    return (
        f"{placed} of {total} sign-ups placed in {circles} circle{'' if circles == 1 else 's'}{bound}; "
        f"first meeting {first_meeting}; wrote {output}."
    )


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-02") from None


def _write_atomically(path: Path, data: dict) -> None:
    """Write the whole file or nothing, so a failed run never leaves half an output behind."""
    directory = path.resolve().parent
    if not directory.is_dir():
        raise CommandError(f"Cannot write {path}: {directory} is not a directory.")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False, indent=1)
            file.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
