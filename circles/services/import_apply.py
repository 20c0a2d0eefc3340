"""Applying a confirmed import in a worker, in batches of rows, with progress; safe to run twice.

The organizer's "Apply" queues the batch (`start_apply`); the task claims it with a conditional
update (`run_apply`), cleans every row again (duplicates are found across the whole file) and
writes the rows BATCH_ROWS at a time: new sign-ups with one bulk insert, changed ones saved, and
the batch's `rows_done` and counts in the same transaction. A restarted or redelivered task
therefore resumes after the last batch written, and even a run from the first row adds nobody
twice, since each row finds its person again (by email, id, or name and company: `Matcher`).
A run whose worker stopped writing for STALE_AFTER may be claimed again; the older one, if it is
still alive, stops at its next batch because its claim (`attempt`) is no longer the current one.
"""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from circles.models import ImportBatch, ReviewEvent, Round, SignUp
from circles.services.cleaning import store_cleaning
from circles.services.import_files import mapped_rows
from circles.services.imports import (
    Matcher,
    clean_batch_rows,
    fill_signup,
    superseded_note,
    users_by_email,
)
from community.models import User
from community.queue import enqueue_on_commit

logger = logging.getLogger(__name__)
Status = ImportBatch.Status
BATCH_ROWS = 500
STALE_AFTER = timedelta(minutes=2)  # no batch written for this long: the worker is gone
LOST_AFTER = timedelta(minutes=2)  # still queued this long after it was asked for: the message


@transaction.atomic
def queue_apply(batch: ImportBatch, *, applied_by: User | None) -> ImportBatch:
    """Mark the import to be applied (no task is sent: `start_apply` sends it)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in (Status.PENDING, Status.FAILED):
        raise ValidationError(f"This import is already {batch.get_status_display().lower()}.")
    if batch.needs_mapping:
        raise ValidationError("Choose which column holds what before applying the import.")
    batch.status, batch.applied_by, batch.error = Status.QUEUED, applied_by, ""
    batch.rows_done = batch.created_count = batch.updated_count = batch.duplicate_count = 0
    batch.heartbeat_at = timezone.now()
    batch.save()
    return batch


@transaction.atomic
def start_apply(batch: ImportBatch, *, applied_by: User) -> ImportBatch:
    """Queue the import to be applied by a worker; the page follows its progress."""
    batch = queue_apply(batch, applied_by=applied_by)
    from circles.tasks import apply_import

    enqueue_on_commit(apply_import, batch.pk)
    return batch


def apply_import(batch: ImportBatch, *, applied_by: User | None) -> ImportBatch:
    """Apply the import here and now, for scripts and the demo (no worker needed)."""
    batch = queue_apply(batch, applied_by=applied_by)
    run_apply(batch.pk)
    batch.refresh_from_db()
    return batch


def _claim(batch_id: int) -> int | None:
    """Claim the batch for this run; its attempt number, or None when another run has it."""
    stale = Q(status=Status.APPLYING, heartbeat_at__lt=timezone.now() - STALE_AFTER)
    claimed = ImportBatch.objects.filter(Q(status=Status.QUEUED) | stale, pk=batch_id).update(
        status=Status.APPLYING, attempt=F("attempt") + 1, heartbeat_at=timezone.now()
    )
    if not claimed:
        return None
    return ImportBatch.objects.values_list("attempt", flat=True).get(pk=batch_id)


def run_apply(batch_id: int) -> bool:
    """The task's work: False when another run has the batch (or had it and finished)."""
    attempt = _claim(batch_id)
    if attempt is None:
        return False
    try:
        return _apply(batch_id, attempt)
    except Exception as exc:
        logger.exception("Applying import %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch_id, attempt=attempt, status=Status.APPLYING).update(
            status=Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return False


class _Writer:
    """Writes the cleaned rows a batch at a time, each batch with the count of rows done."""

    def __init__(self, batch: ImportBatch, attempt: int):
        self.batch, self.attempt = batch, attempt
        self.rows = mapped_rows(batch)
        self.report = clean_batch_rows(batch, self.rows)
        self.cleaned = {signup.id: signup for signup in self.report.signups}
        self.matcher = Matcher(batch.round)
        self.users = users_by_email(row for row, _ in self.rows)

    def _still_mine(self) -> bool:
        return (
            ImportBatch.objects.select_for_update()
            .filter(pk=self.batch.pk, attempt=self.attempt, status=Status.APPLYING)
            .exists()
        )

    @transaction.atomic
    def write(self, start: int, end: int) -> bool:
        if not self._still_mine():
            return False
        round = Round.objects.select_for_update().get(pk=self.batch.round_id)
        new: dict[int, SignUp] = {}
        changed: dict[int, SignUp] = {}
        created = updated = duplicates = 0
        pairs = zip(self.rows[start:end], self.report.records[start:end], strict=True)
        for (row, read_problems), record in pairs:
            if record.duplicate_of:
                duplicates += 1
                continue
            signup = self.matcher.find(row)
            if signup is not None and signup.raw == row:
                continue
            is_new = signup is None
            signup = signup or SignUp(round=round, source=SignUp.Source.IMPORT)
            fill_signup(
                signup,
                row=row,
                record=record,
                batch=self.batch,
                users=self.users,
                matcher=self.matcher,
            )
            store_cleaning(signup, record=record, cleaned=self.cleaned[record.id])
            signup.problems = read_problems + signup.problems
            signup.superseded_note = superseded_note(self.report.records, record.id)
            (changed if signup.pk else new)[id(signup)] = signup
            self.matcher.add(signup)
            created, updated = created + is_new, updated + (not is_new)
        SignUp.objects.bulk_create(new.values())
        for signup in changed.values():
            signup.save()
        ImportBatch.objects.filter(pk=self.batch.pk).update(
            rows_done=end,
            created_count=F("created_count") + created,
            updated_count=F("updated_count") + updated,
            duplicate_count=F("duplicate_count") + duplicates,
            heartbeat_at=timezone.now(),
        )
        return True

    @transaction.atomic
    def finish(self) -> bool:
        if not self._still_mine():
            return False
        batch = ImportBatch.objects.get(pk=self.batch.pk)
        batch.status, batch.applied_at = Status.APPLIED, timezone.now()
        batch.rows, batch.preview = [], []
        batch.save()
        details = {"import": batch.pk, "created": batch.created_count}
        details |= {"updated": batch.updated_count, "rows": len(self.rows)}
        ReviewEvent.objects.create(
            round_id=batch.round_id,
            actor=batch.applied_by,
            action="import.applied",
            details=details,
        )
        return True


def _apply(batch_id: int, attempt: int) -> bool:
    batch = ImportBatch.objects.select_related("round").get(pk=batch_id)
    writer = _Writer(batch, attempt)
    for start in range(batch.rows_done, len(writer.rows), BATCH_ROWS):
        if not writer.write(start, min(start + BATCH_ROWS, len(writer.rows))):
            return False  # claimed again by a newer run, which carries on
    return writer.finish()


def resume_stalled_imports() -> int:
    """The periodic sweep: enqueue again the imports whose message was lost or whose worker
    stopped; the claim makes an extra copy harmless. Returns how many it sent."""
    from circles.tasks import apply_import

    now = timezone.now()
    stalled = ImportBatch.objects.filter(
        Q(status=Status.QUEUED, heartbeat_at__lt=now - LOST_AFTER)
        | Q(status=Status.APPLYING, heartbeat_at__lt=now - STALE_AFTER)
    ).values_list("pk", flat=True)
    for batch_id in stalled:
        apply_import.delay(batch_id)
    return len(stalled)


def progress_payload(batch: ImportBatch) -> dict:
    """What the import page's progress bar polls."""
    if batch.status == Status.QUEUED:
        label = "Waiting for a worker…"
    elif batch.status == Status.APPLYING:
        label = f"Applied {batch.rows_done} of {batch.row_count} rows"
    else:
        label = batch.get_status_display()
    return {
        "status": batch.status,
        "progress": 100 if batch.status == Status.APPLIED else batch.progress,
        "finished": not batch.in_progress,
        "label": label,
    }
