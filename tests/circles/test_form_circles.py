"""`manage.py form_circles`: sign-ups in a file become circles and reasons, with no database."""

import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from circles.batch import describe_window, form_circles, next_monday
from circles.cleaning import clean_signups
from circles.composition import circle_violations
from circles.domain import Format, Gender, Rules
from tests.fakes.circle_signups import generate_signups, true_slots

SAMPLE = Path(__file__).parent / "data" / "circle-signups-200.jsonl"
ROOT = Path(__file__).resolve().parents[2]
FIRST_MEETING = date(2027, 1, 11)


def read_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def sample_output(tmp_path_factory) -> dict:
    output = tmp_path_factory.mktemp("form_circles") / "circles.json"
    call_command(
        "form_circles",
        "--input", str(SAMPLE),
        "--output", str(output),
        "--first-meeting", FIRST_MEETING.isoformat(),
        "--time-limit", "2",
    )  # fmt: skip
    return json.loads(output.read_text(encoding="utf-8"))


def test_every_sample_sign_up_appears_exactly_once_in_the_output(sample_output):
    listed = [m for c in sample_output["circles"] for m in c["members"]]
    listed += [u["id"] for u in sample_output["unplaced"]]

    assert sorted(listed) == sorted(row["id"] for row in read_rows(SAMPLE))
    assert sample_output["circles"], "the sample is rich enough for at least one circle"
    assert all(u["reason"].strip() for u in sample_output["unplaced"])


def test_every_circle_of_the_sample_is_valid_on_the_cleaned_sign_ups(sample_output):
    cleaned = clean_signups(read_rows(SAMPLE), first_meeting=FIRST_MEETING)
    signups = {signup.id: signup for signup in cleaned.signups}

    for circle in sample_output["circles"]:
        members = [signups[m] for m in circle["members"]]
        assert circle_violations(members, Format(circle["format"]), Rules()) == []
        assert circle["format"] in ("in_person", "video")
        assert circle["window"]["slots"] and circle["window"]["utc"]
        assert (circle["place"] is None) == (circle["format"] == "video")


def test_a_superseded_duplicate_is_unplaced_naming_the_sign_up_that_was_kept():
    first = {"id": "a1", "name": "Ana Ruiz", "email": "ana@example.com", "city": "Berlin"}
    second = dict(first, id="a2", email="ANA@example.com")

    result = form_circles([first, second], first_meeting=FIRST_MEETING, time_limit=1)

    reasons = {u["id"]: u["reason"] for u in result["unplaced"]}
    assert set(reasons) == {"a1", "a2"}
    assert "a2" in reasons["a1"]


def test_a_malformed_line_is_refused_by_number_and_no_output_is_written(tmp_path):
    source = tmp_path / "signups.jsonl"
    source.write_text(SAMPLE.read_text(encoding="utf-8").splitlines()[0] + '\n{"id": "a2", \n')
    output = tmp_path / "circles.json"

    with pytest.raises(CommandError, match="Line 2"):
        call_command("form_circles", "--input", str(source), "--output", str(output))

    assert not output.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_a_line_without_an_id_fails_the_command_with_a_non_zero_exit_code(tmp_path):
    source = tmp_path / "signups.jsonl"
    source.write_text('{"id": "a1", "name": "Ana"}\n\n{"name": "No Id"}\n')
    output = tmp_path / "circles.json"

    finished = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "form_circles",
            "--input",
            str(source),
            "--output",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert finished.returncode != 0
    assert 'Line 3 has no "id"' in finished.stderr
    assert not output.exists()


def test_the_default_first_meeting_is_the_next_monday():
    assert next_monday(date(2026, 12, 1)) == date(2026, 12, 7)  # a Tuesday
    assert next_monday(date(2026, 12, 7)) == date(2026, 12, 14)  # a Monday: the one after
    assert next_monday(date(2026, 12, 13)) == date(2026, 12, 14)  # a Sunday


def test_a_window_is_described_in_utc_words():
    assert describe_window([34, 35, 36, 82, 83]) == ["Mon 17:00-18:30 UTC", "Tue 17:00-18:00 UTC"]
    assert describe_window([]) == []


def test_the_generator_is_reproducible_and_its_truth_is_consistent():
    generated = generate_signups(300, seed=3, first_meeting=FIRST_MEETING)
    again = generate_signups(300, seed=3, first_meeting=FIRST_MEETING)
    rows = {row["id"]: row for row in generated.rows}

    assert generated.rows == again.rows
    assert len(generated.rows) == len(rows) == 300
    assert set(generated.person_of_row) == set(rows)
    assert set(generated.person_of_row.values()) == set(generated.truth)
    assert generated.duplicates, "some people sign up twice"
    order = list(rows)
    for row_id, kept in generated.duplicates.items():
        old, new = rows[row_id], rows[kept]
        assert order.index(row_id) < order.index(kept), "the latest submission is the one kept"
        same_email = old["email"].casefold() == new["email"].casefold()
        assert same_email or old["name"].casefold() == new["name"].casefold()
    for kept, truth in generated.truth.items():
        row = rows[kept]
        assert truth.id == kept
        assert truth.slots == true_slots(row["availability"], truth.timezone, FIRST_MEETING)
        assert (
            truth.place is not None or truth.format != Format.IN_PERSON or row["city"] is not None
        )
    genders = Counter(truth.gender for truth in generated.truth.values())
    assert 0.04 < genders[Gender.WOMAN] / len(generated.truth) < 0.2


def test_the_generator_converts_local_availability_at_the_first_meeting_date():
    block = [{"day": "Mon", "start": "18:00", "end": "19:00"}]

    assert true_slots(block, "America/Los_Angeles", date(2027, 1, 11)) == {
        4 + 48,
        5 + 48,
    }  # Tue 02:00 UTC
    assert true_slots(block, "America/Los_Angeles", date(2027, 7, 12)) == {2 + 48, 3 + 48}  # PDT
    assert true_slots(block, "Australia/Sydney", date(2027, 1, 11)) == {
        (18 - 11) * 2,
        (18 - 11) * 2 + 1,
    }
