"""Applying an import in a worker: progress on the page, batches of rows, restarts that add nobody twice."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from circles import tasks
from circles.models import ImportBatch
from circles.services import import_apply
from tests.circles.factories import make_round

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "signups-12.jsonl"
BASE = "/organize/circles/spring"


class WorkerLost(BaseException):
    """What a killed worker looks like from inside: nothing after it runs, no handler catches it."""


@pytest.fixture
def batch(client, organizer):
    make_round()
    client.force_login(organizer)
    client.post(f"{BASE}/import/", {"file": SimpleUploadedFile("s.jsonl", SAMPLE.read_bytes())})
    return ImportBatch.objects.latest("created_at")


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(import_apply, "BATCH_ROWS", 5)


def emails(batch) -> list[str]:
    return list(batch.round.signups.values_list("email", flat=True))


def test_applying_queues_the_import_and_the_page_follows_its_progress(client, batch):
    client.post(f"{BASE}/import/{batch.pk}/apply/")  # the task waits for the commit: not run here

    batch.refresh_from_db()
    page = client.get(f"{BASE}/import/{batch.pk}/").content.decode()
    progress = client.get(f"{BASE}/import/{batch.pk}/progress/").json()
    assert batch.status == ImportBatch.Status.QUEUED and not batch.round.signups.exists()
    assert '<progress id="import-progress" max="100" value="0"' in page
    assert "composition_progress.js" in page and ">Refresh</a>" in page
    assert progress == {
        "status": "queued",
        "progress": 0,
        "finished": False,
        "label": "Waiting for a worker…",
    }

    assert tasks.apply_import(batch.pk)

    done = client.get(f"{BASE}/import/{batch.pk}/progress/").json()
    assert done["finished"] and done["progress"] == 100 and done["status"] == "applied"
    assert len(emails(batch)) == 12
    assert "12 new sign-ups" in client.get(f"{BASE}/import/{batch.pk}/").content.decode()


def test_rows_are_written_in_batches_with_the_rows_done_counted(batch, organizer, small_batches):
    import_apply.queue_apply(batch, applied_by=organizer)
    seen = []
    write = import_apply._Writer.write

    def counting(self, start, end):
        written = write(self, start, end)
        seen.append(ImportBatch.objects.get(pk=batch.pk).rows_done)
        return written

    with CaptureQueriesContext(connection) as queries:
        import_apply._Writer.write = counting
        try:
            import_apply.run_apply(batch.pk)
        finally:
            import_apply._Writer.write = write

    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "circles_signup"')]
    assert len(inserts) == 3  # 12 rows, 5 at a time: one insert per batch of rows
    assert seen == [5, 10, 12]


def test_a_worker_lost_mid_import_is_resumed_without_duplicating_anyone(
    batch, organizer, small_batches, monkeypatch
):
    import_apply.queue_apply(batch, applied_by=organizer)
    write = import_apply._Writer.write
    calls = []

    def dies_on_the_second_batch(self, start, end):
        calls.append(start)
        if len(calls) == 2:
            raise WorkerLost
        return write(self, start, end)

    monkeypatch.setattr(import_apply._Writer, "write", dies_on_the_second_batch)
    with pytest.raises(WorkerLost):
        tasks.apply_import(batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.rows_done, len(emails(batch))) == ("applying", 5, 5)

    assert not tasks.apply_import(batch.pk)  # redelivered at once: the first claim still holds
    monkeypatch.setattr(import_apply._Writer, "write", write)
    with time_machine.travel(timezone.now() + import_apply.STALE_AFTER + timedelta(seconds=1)):
        assert import_apply.resume_stalled_imports() == 1  # tasks run eagerly in tests

    batch.refresh_from_db()
    assert (batch.status, batch.attempt, batch.created_count) == ("applied", 2, 12)
    assert sorted(emails(batch)) == sorted(set(emails(batch))) and len(emails(batch)) == 12
    assert not tasks.apply_import(batch.pk)  # once applied, a late copy does nothing


def test_a_run_that_restarts_from_the_first_row_adds_nobody_twice(batch, organizer, small_batches):
    import_apply.apply_import(batch, applied_by=organizer)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.QUEUED, rows_done=0, rows=batch.rows
    )

    assert import_apply.run_apply(batch.pk)

    batch.refresh_from_db()
    assert len(emails(batch)) == 12 and batch.created_count == 12


def test_an_older_run_stops_once_a_newer_one_has_claimed_the_import(
    batch, organizer, small_batches
):
    import_apply.queue_apply(batch, applied_by=organizer)
    attempt = import_apply._claim(batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.QUEUED)
    assert import_apply._claim(batch.pk) == attempt + 1

    assert not import_apply._apply(batch.pk, attempt)
    assert not batch.round.signups.exists()


def test_a_failed_import_says_why_and_can_be_applied_again(client, batch, monkeypatch):
    def broken(self, start, end):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(import_apply._Writer, "write", broken)
    import_apply.apply_import(batch, applied_by=None)
    page = client.get(f"{BASE}/import/{batch.pk}/").content.decode()
    assert "failed" in page and "the database went away" in page and "Apply again" in page

    monkeypatch.undo()
    client.post(f"{BASE}/import/{batch.pk}/apply/")
    assert tasks.apply_import(batch.pk)
    assert len(emails(batch)) == 12
