"""Cleaning of sign-ups: a table of messy inputs and what each must resolve to, and the sample rows."""

import json
from datetime import date
from pathlib import Path

from circles.cleaning import clean_signups
from circles.domain import Gender

WINTER = date(2027, 1, 12)  # a Tuesday, standard time in both hemispheres' north
SUMMER = date(2027, 7, 13)  # a Tuesday, daylight saving time in the US and Europe
SAMPLES = Path(__file__).parent / "data" / "circle-signups-200.jsonl"


def clean_one(first_meeting: date = WINTER, aliases=None, **fields):
    row = {"id": "p1", "availability": [{"day": "Tue", "start": "18:00", "end": "20:00"}], **fields}
    report = clean_signups([row], first_meeting=first_meeting, aliases=aliases)
    return report.signups[0], report.records[0]


def test_it_cleans_the_sample_sign_ups_without_crashing_and_resolves_most_places():
    rows = [json.loads(line) for line in SAMPLES.read_text().splitlines() if line.strip()]
    report = clean_signups(rows, first_meeting=WINTER)
    assert len(report.records) == len(rows)
    assert len(report.signups) == len(rows) - 3  # three people submitted twice
    placed = [s for s in report.signups if s.place]
    assert len(placed) >= 0.9 * len(report.signups)
    assert sum(1 for s in report.signups if s.timezone) >= 0.97 * len(report.signups)
    assert sum(1 for s in report.signups if s.slots) >= 0.97 * len(report.signups)
    assert {s.gender for s in report.signups} == {
        Gender.WOMAN,
        Gender.MAN,
        Gender.NON_BINARY,
        Gender.NOT_STATED,
    }
