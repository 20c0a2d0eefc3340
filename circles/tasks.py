"""Celery tasks of circles: thin wrappers that load a row by key and call one service."""

from celery import shared_task

from circles.models import Circle
from circles.services import (
    backfills,
    composition,
    composition_parts,
    digests,
    import_apply,
    invitation_answers,
    invitations,
    meetings,
    renewals,
    rounds,
    scheduling,
)


# acks_late: a worker lost mid-run leaves the message to be delivered again; the claim makes that
# second delivery harmless, and a run left "running" by a dead worker is given up after a while.
@shared_task(acks_late=True)
def compose_round(run_id: int) -> bool:
    return composition.run_composition(run_id)


@shared_task
def resume_stalled_compositions() -> int:
    return composition.resume_stalled_compositions()


# Meetings: the beat picks the time where voting closed, and sends each meeting's reminder once.


@shared_task
def pick_meeting_times() -> int:
    return scheduling.pick_times_where_voting_closed()


@shared_task
def send_meeting_reminders() -> int:
    due = meetings.due_reminders()
    for meeting_id in due:
        send_meeting_reminder.delay(meeting_id)
    return len(due)


@shared_task(acks_late=True)
def send_meeting_reminder(meeting_id: int) -> bool:
    return meetings.send_meeting_reminder(meeting_id)


# Places nobody on the waitlist fitted are looked at again: a later sign-up may fit them.
@shared_task
def retry_unfilled_backfills() -> int:
    return backfills.retry_unfilled_backfills()


@shared_task
def send_health_digest() -> int:
    return digests.send_health_digest()


@shared_task
def ask_due_renewals() -> int:
    return renewals.ask_due_renewals()


# acks_late: a worker lost mid-apply leaves the message to be delivered again; the claim and the
# rows already written make the second delivery resume where the first stopped.
@shared_task(acks_late=True)
def apply_import(batch_id: int) -> bool:
    return import_apply.run_apply(batch_id)


@shared_task
def resume_stalled_imports() -> int:
    return import_apply.resume_stalled_imports()


@shared_task(acks_late=True)
def compose_part(part_id: int) -> bool:
    return composition_parts.run_part(part_id)


@shared_task(acks_late=True)
def merge_composition_parts(run_id: int) -> bool:
    return composition_parts.run_merge(run_id)


@shared_task
def close_due_rounds() -> int:
    return len(rounds.close_due_rounds())


# Invitations. A circle's invitation task claims each member before emailing them, so a task run
# twice invites nobody twice; the beat resumes circles whose task was lost.
@shared_task(acks_late=True)
def invite_circle(circle_id: int) -> int:
    circle = Circle.objects.filter(pk=circle_id).first()
    return invitations.send_circle_invitations(circle) if circle else 0


@shared_task
def resume_invitations() -> int:
    return invitations.resume_invitations()


@shared_task
def send_invitation_reminders() -> int:
    return invitations.send_invitation_reminders()


@shared_task
def close_invitation_deadlines() -> dict[str, int]:
    return invitation_answers.close_invitation_deadlines()
