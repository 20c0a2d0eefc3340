"""Celery tasks of circles: thin wrappers that load a row by key and call one service."""

from celery import shared_task

from circles.models import Circle
from circles.services import composition, invitation_answers, invitations


# acks_late: a worker lost mid-run leaves the message to be delivered again; the claim makes that
# second delivery harmless, and a run left "running" by a dead worker is given up after a while.
@shared_task(acks_late=True)
def compose_round(run_id: int) -> bool:
    return composition.run_composition(run_id)


@shared_task
def resume_stalled_compositions() -> int:
    return composition.resume_stalled_compositions()


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
