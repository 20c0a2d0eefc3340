import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from circles.models import Alias, ImportBatch, ReviewEvent, SignUp
from circles.services.import_files import guess_mapping
from tests.circles.factories import make_round

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "signups-12.jsonl"
BASE = "/organize/circles/spring"
CSV = (
    "Timestamp,Email Address,Full name,Company,Job title,Which city?,Meeting area,Time zone,"
    "Preferred format,Availability [Monday],Availability [Tuesday],Gender (optional)\n"
    "2026-11-02 10:00,Ada@Example.com,Ada Lovelace,Analytical Engines Ltd,CTO,London,"
    'Kings Cross,Europe/London,In person,"18:00-19:30",7:30-9am,F\n'
    "2026-11-02 11:00,grace@example.com,Grace Hopper,Navy,VP Eng,London,,Europe/London,"
    "Either,,6pm-8pm; evenings,woman\n"
)


@pytest.fixture
def round():
    return make_round()


@pytest.fixture
def organizing(client, organizer, django_capture_on_commit_callbacks):
    """An organizer's client; what a request enqueues runs as its commit would (in-process)."""
    client.force_login(organizer)
    post = client.post

    def post_and_run(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_run
    return client


def upload(client, name: str, content: bytes | str):
    content = content.encode() if isinstance(content, str) else content
    return client.post(f"{BASE}/import/", {"file": SimpleUploadedFile(name, content)})


def sample_lines() -> list[str]:
    return SAMPLE.read_text().splitlines()


def latest_batch() -> ImportBatch:
    return ImportBatch.objects.latest("created_at")


def test_a_json_lines_file_is_previewed_row_by_row_and_imports_nothing_yet(organizing, round):
    response = upload(organizing, "signups.jsonl", SAMPLE.read_bytes())
    batch = latest_batch()
    assert response["Location"] == f"{BASE}/import/{batch.pk}/"
    page = organizing.get(response["Location"]).content.decode()
    assert "12 rows" in page and "James Sato" in page and "dmitri.adeyemi@deeploop.com" in page
    assert [row["action"] for row in batch.preview] == ["new"] * 12
    assert not SignUp.objects.exists()


def test_applying_an_import_creates_one_sign_up_per_person_with_what_cleaning_found(
    organizing, round
):
    upload(organizing, "signups.jsonl", SAMPLE.read_bytes())
    batch = latest_batch()
    organizing.post(f"{BASE}/import/{batch.pk}/apply/")
    assert round.signups.count() == 12
    james = round.signups.get(external_id="a00001")
    assert (james.email, james.source, james.name) == (
        "james.sato@linear.com",
        "import",
        "James Sato",
    )
    assert james.raw["meeting_area"] == "Kreuzberg" and "place" in james.inferences
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.rows) == ("applied", 12, [])
    assert ReviewEvent.objects.filter(round=round, action="import.applied").exists()


def test_importing_the_same_file_twice_never_duplicates_a_person(organizing, round):
    for _ in range(2):
        upload(organizing, "signups.jsonl", SAMPLE.read_bytes())
        batch = latest_batch()
        page = organizing.get(f"{BASE}/import/{batch.pk}/").content.decode()
        organizing.post(f"{BASE}/import/{batch.pk}/apply/")
    assert "already imported" in page
    assert round.signups.count() == 12
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count) == (0, 0)


def test_a_newer_file_updates_the_same_person_found_by_email_in_any_case(organizing, round):
    upload(organizing, "first.jsonl", SAMPLE.read_bytes())
    organizing.post(f"{BASE}/import/{latest_batch().pk}/apply/")
    james = json.loads(sample_lines()[0])
    moved = {**james, "id": "form-2-17", "email": james["email"].upper(), "city": "London"}
    upload(organizing, "second.jsonl", json.dumps(moved))
    batch = latest_batch()
    assert [row["action"] for row in batch.preview] == ["update"]
    organizing.post(f"{BASE}/import/{batch.pk}/apply/")
    assert round.signups.count() == 12
    signup = round.signups.get(email="james.sato@linear.com")
    assert signup.raw["city"] == "London" and signup.import_batch == batch


def test_two_submissions_of_one_person_in_a_file_make_one_sign_up_the_latest_winning(
    organizing, round
):
    first, second = (json.loads(line) for line in sample_lines()[:2])
    again = {**first, "id": "a00099", "email": first["email"].title(), "city": "Stockholm"}
    lines = [json.dumps(row) for row in (first, second, again)]
    upload(organizing, "signups.jsonl", "\n".join(lines))
    batch = latest_batch()
    assert [row["action"] for row in batch.preview].count("duplicate") == 1
    organizing.post(f"{BASE}/import/{batch.pk}/apply/")
    assert round.signups.count() == 2
    signup = round.signups.get(email="james.sato@linear.com")
    assert signup.raw["city"] == "Stockholm" and "latest submission" in signup.superseded_note


def test_cancelling_an_import_changes_nothing(organizing, round):
    upload(organizing, "signups.jsonl", SAMPLE.read_bytes())
    batch = latest_batch()
    response = organizing.post(f"{BASE}/import/{batch.pk}/cancel/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.rows, batch.preview) == ("cancelled", [], [])
    assert not SignUp.objects.exists()
    organizing.post(f"{BASE}/import/{batch.pk}/apply/")
    assert not SignUp.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bad.jsonl", '{"id": "a1"}\n{"id": "a2", oops}\n', "Line 2 is not valid JSON"),
        ("list.jsonl", '{"id": "a1"}\n["a2"]\n', "Line 2 is not a JSON object"),
        ("empty.csv", "Email,Name\n", "at least one sign-up"),
        ("signups.xlsx", "PK\x03\x04", "Upload a .csv file or a .jsonl"),
        ("same.csv", "Email,Email\na@example.com,b@example.com\n", "same name"),
    ],
)
def test_a_malformed_file_is_refused_with_a_clear_error_and_nothing_is_kept(
    organizing, round, name, content, message
):
    response = upload(organizing, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists() and not SignUp.objects.exists()


def test_the_columns_of_a_csv_file_are_guessed_from_their_names():
    headers = CSV.splitlines()[0].split(",")
    assert guess_mapping(headers) == {
        "Timestamp": "",
        "Email Address": "email",
        "Full name": "name",
        "Company": "company",
        "Job title": "title",
        "Which city?": "city",
        "Meeting area": "meeting_area",
        "Time zone": "timezone",
        "Preferred format": "format_preference",
        "Availability [Monday]": "availability",
        "Availability [Tuesday]": "availability",
        "Gender (optional)": "gender",
    }


def test_a_csv_file_is_imported_through_its_column_mapping(organizing, round):
    response = upload(organizing, "typeform.csv", CSV)
    batch = latest_batch()
    assert response["Location"] == f"{BASE}/import/{batch.pk}/columns/"
    page = organizing.get(response["Location"]).content.decode()
    assert "Email Address" in page and 'value="email" selected' in page
    mapping = {
        f"column_{n}": field for n, field in enumerate(guess_mapping(batch.headers).values())
    }
    response = organizing.post(f"{BASE}/import/{batch.pk}/columns/", mapping)
    assert response["Location"] == f"{BASE}/import/{batch.pk}/"
    batch.refresh_from_db()
    grace = batch.preview[1]
    assert grace["problems"][0] == "Availability not understood: “evenings”."
    organizing.post(f"{BASE}/import/{batch.pk}/apply/")
    ada = round.signups.get(email="ada@example.com")
    assert ada.raw["availability"] == [
        {"day": "Mon", "start": "18:00", "end": "19:30"},
        {"day": "Tue", "start": "07:30", "end": "09:00"},
    ]
    assert ada.raw["gender"] == "F" and round.signups.count() == 2


def test_a_mapping_without_a_way_to_tell_people_apart_is_refused(organizing, round):
    upload(organizing, "typeform.csv", CSV)
    batch = latest_batch()
    response = organizing.post(f"{BASE}/import/{batch.pk}/columns/", {"column_5": "city"})
    assert "Map at least one of email, id or name" in response.content.decode()
    batch.refresh_from_db()
    assert batch.column_mapping == {} and not batch.preview


def test_gender_answers_are_previewed_only_as_counts_never_beside_a_name(organizing, round):
    upload(organizing, "signups.jsonl", SAMPLE.read_bytes())
    page = organizing.get(f"{BASE}/import/{latest_batch().pk}/").content.decode()
    rows = page.split("<h2>Every row</h2>")[1]
    assert "gender:" not in rows
    summary = page.split("<h2>Every row</h2>")[0]
    assert "Gender" in summary


def test_a_correction_in_the_preview_is_remembered_for_the_next_import(organizing, round):
    row = {**json.loads(sample_lines()[0]), "city": "Gotham", "meeting_area": "", "timezone": ""}
    upload(organizing, "signups.jsonl", json.dumps(row))
    batch = latest_batch()
    assert batch.preview[0]["inferences"]["place"]["value"] == ""
    assert "Gotham" in organizing.get(f"{BASE}/import/{batch.pk}/").content.decode()
    organizing.post(
        f"{BASE}/import/{batch.pk}/correct/", {"kind": "place", "raw": "Gotham", "value": "Berlin"}
    )
    assert Alias.objects.get(kind="place").value == "Berlin"
    batch.refresh_from_db()
    corrected = batch.preview[0]["inferences"]
    assert (corrected["place"]["confidence"], corrected["timezone"]["value"]) == (
        1.0,
        "Europe/Berlin",
    )
    organizing.post(f"{BASE}/import/{batch.pk}/cancel/")
    upload(organizing, "again.jsonl", json.dumps({**row, "id": "a77", "email": "x@example.com"}))
    organizing.post(f"{BASE}/import/{latest_batch().pk}/apply/")
    signup = round.signups.get()
    assert (signup.place_city, signup.timezone) == ("Berlin", "Europe/Berlin")


def test_a_wrong_correction_is_refused_and_nothing_is_remembered(organizing, round):
    upload(organizing, "signups.jsonl", SAMPLE.read_bytes())
    batch = latest_batch()
    response = organizing.post(
        f"{BASE}/import/{batch.pk}/correct/",
        {"kind": "timezone", "raw": "Central European", "value": "Mars/Olympus"},
        follow=True,
    )
    assert "is not a timezone name" in response.content.decode()
    assert not Alias.objects.exists()


def test_an_organizer_corrects_a_sign_up_and_it_is_cleaned_again(organizing, round):
    upload(
        organizing, "signups.jsonl", json.dumps({**json.loads(sample_lines()[0]), "company": "Lnr"})
    )
    organizing.post(f"{BASE}/import/{latest_batch().pk}/apply/")
    signup = round.signups.get()
    page = organizing.get(f"{BASE}/sign-ups/{signup.pk}/").content.decode()
    assert "Lnr" in page and "gender" not in page.split("What cleaning inferred")[1]
    organizing.post(
        f"{BASE}/sign-ups/{signup.pk}/correct/",
        {"kind": "company", "raw": "Lnr", "value": "linear"},
    )
    signup.refresh_from_db()
    assert signup.company_key == "linear"
    assert Alias.objects.get(kind="company").value == "linear"


def test_self_identification_cannot_be_corrected_from_a_sign_up(organizing, round):
    upload(organizing, "signups.jsonl", sample_lines()[0])
    organizing.post(f"{BASE}/import/{latest_batch().pk}/apply/")
    signup = round.signups.get()
    organizing.post(
        f"{BASE}/sign-ups/{signup.pk}/correct/", {"kind": "gender", "raw": "man", "value": "woman"}
    )
    assert not Alias.objects.exists()


def test_only_organizers_may_import(client, member, round):
    client.force_login(member)
    response = upload(client, "signups.jsonl", SAMPLE.read_bytes())
    assert response.status_code == 403 and not ImportBatch.objects.exists()


def test_rows_with_odd_values_are_imported_with_their_problems_not_refused(organizing, round):
    rows = [
        {"id": 17, "name": "N" * 400, "email": ["not", "an", "email"], "availability": "Mon 7-9"},
        {"name": "No Id", "email": "noid@example.com", "company": {"odd": True}},
    ]
    upload(organizing, "odd.jsonl", "\n".join(json.dumps(row) for row in rows))
    batch = latest_batch()
    assert all(row["problems"] for row in batch.preview)
    organizing.post(f"{BASE}/import/{batch.pk}/apply/")
    first, second = round.signups.order_by("pk")
    assert (first.external_id, len(first.name), first.email) == ("17", 150, "")
    assert (second.external_id, second.email, second.company) == ("", "noid@example.com", "")
