"""Inviting a round's proposed circles: one email per person, a deadline, one reminder.

Sending is desired state first: the organizer's click moves the round and its proposed circles to
"inviting" and asks a task per circle to invite its members. Each member is claimed with a
conditional update (proposed → invited) before their email is queued under a key of its own, so
a task run twice, or a reconcile that runs after a lost task, never emails anyone twice. Every
email goes through the outbox, which survives a worker that dies.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from circles.models import Circle, CircleMember, CompositionRun, Round
from circles.schedule import proposed_first_meeting
from circles.services.invitation_links import invitation_url
from circles.services.review import record
from circles.services.visibility import person_timezone, person_user
from community.models import User
from community.queue import enqueue_on_commit
from community.services.emails import queue_rendered_email, render_email

INVITABLE_ROUNDS = (Round.Status.REVIEWED, Round.Status.INVITING)
# The reminder goes two days before the deadline, and never in the first half of the time given.
REMINDER_BEFORE = timedelta(days=2)
# A circle still has people to invite this long after it was sent: its task was lost.
RESUME_AFTER = timedelta(minutes=10)


def invitees(round: Round):
    """The people the next "Send invitations" emails: proposed members of proposed circles."""
    return CircleMember.objects.filter(
        circle__round=round,
        circle__status=Circle.Status.PROPOSED,
        status=CircleMember.Status.PROPOSED,
    )


def first_meeting_at(circle: Circle):
    """The time the invitation proposes: the one picked, else the earliest in the common window."""
    if circle.first_meeting_at:
        return circle.first_meeting_at
    round = circle.round
    return proposed_first_meeting(circle.window, round.first_meeting, round.meeting_minutes)


def invitation_context(member: CircleMember) -> dict:
    circle = member.circle
    return {
        "name": member.signup.name,
        "circle": circle,
        "round": circle.round,
        "member": member,
        "link": invitation_url(member),
        "first_meeting_at": first_meeting_at(circle),
        "timezone_name": person_timezone(member.signup),
    }


def queue_invitation_email(member: CircleMember, *, template: str, key: str) -> None:
    """The email carries a link that answers for its recipient: the outbox forgets it once sent."""
    subject, text, html = render_email(template, invitation_context(member))
    queue_rendered_email(
        to=member.signup.email,
        subject=subject,
        text=text,
        html=html,
        key=key,
        user=person_user(member.signup),
        sensitive=True,
    )


@transaction.atomic
def invite_member(member: CircleMember, *, by: User | None = None) -> CircleMember:
    """Invite one proposed member: a deadline, and one email (a second call sends nothing)."""
    _invite(member, by=by)
    return member


def _invite(member: CircleMember, *, by: User | None) -> bool:
    now = timezone.now()
    changes = {
        "status": CircleMember.Status.INVITED,
        "invited_at": now,
        "respond_by": now + timedelta(days=member.circle.round.answer_within_days),
        "reminded_at": None,
        "responded_at": None,
        "consented_at": None,
        "updated_at": now,
    }
    proposed = CircleMember.objects.filter(pk=member.pk, status=CircleMember.Status.PROPOSED)
    if not proposed.update(**changes):
        member.refresh_from_db()  # invited (or answered) meanwhile: what it is now
        return False
    for field, value in changes.items():
        setattr(member, field, value)
    queue_invitation_email(member, template="circle_invitation", key=f"circles-invite:{member.pk}")
    if by is not None:
        record(member.circle.round, actor=by, action="member.invited", signup=member.signup_id)
    return True


@transaction.atomic
def send_circle_invitations(circle: Circle, *, by: User | None = None) -> int:
    """Invite everyone still proposed in this circle; returns how many were invited now."""
    circle = Circle.objects.select_for_update().select_related("round").get(pk=circle.pk)
    if circle.status == Circle.Status.PROPOSED:
        circle.status, circle.invited_at = Circle.Status.INVITING, timezone.now()
        circle.save(update_fields=["status", "invited_at", "updated_at"])
    elif circle.status not in (Circle.Status.INVITING, Circle.Status.ACTIVE):
        raise ValidationError(
            f"{circle} is {circle.get_status_display().lower()}: nobody to invite."
        )
    members = circle.members.filter(status=CircleMember.Status.PROPOSED).select_related(
        "signup__user"
    )
    invited = 0
    for member in members:
        member.circle = circle
        invited += _invite(member, by=by)
    return invited


@transaction.atomic
def send_round_invitations(round: Round, *, by: User | None) -> int:
    """Send every proposed circle of the round; returns how many people will be emailed."""
    from circles import tasks

    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.status not in INVITABLE_ROUNDS:
        raise ValidationError(
            f"Invitations go out once the circles are reviewed; the round is {round.get_status_display().lower()}."
        )
    if round.composition_runs.filter(status__in=CompositionRun.IN_PROGRESS).exists():
        raise ValidationError("A composition is under way: wait for it before sending invitations.")
    people = invitees(round).count()
    circles = list(
        round.circles.filter(
            status=Circle.Status.PROPOSED, members__status=CircleMember.Status.PROPOSED
        ).distinct()
    )
    if not people:
        raise ValidationError("Nobody is waiting for an invitation in this round.")
    now = timezone.now()
    Circle.objects.filter(pk__in=[c.pk for c in circles], status=Circle.Status.PROPOSED).update(
        status=Circle.Status.INVITING, invited_at=now, updated_at=now
    )
    round.status = Round.Status.INVITING
    round.save(update_fields=["status", "updated_at"])
    record(
        round,
        actor=by,
        action="invitations.sent",
        circles=[c.number for c in circles],
        people=people,
    )
    for circle in circles:
        enqueue_on_commit(tasks.invite_circle, circle.pk)
    return people


def resume_invitations(now=None) -> int:
    """Invite the people of circles whose invitation task was lost (the broker was down, say)."""
    cutoff = (now or timezone.now()) - RESUME_AFTER
    stalled = Circle.objects.filter(
        status=Circle.Status.INVITING,
        invited_at__lt=cutoff,
        members__status=CircleMember.Status.PROPOSED,
    ).distinct()
    return sum(send_circle_invitations(circle) for circle in stalled)


def reminder_due(member: CircleMember, now) -> bool:
    halfway = member.invited_at + (member.respond_by - member.invited_at) / 2
    return now >= halfway and now >= member.respond_by - REMINDER_BEFORE


@transaction.atomic
def remind_member(member: CircleMember) -> bool:
    """The one reminder: claimed on the row, so it is never sent twice."""
    claimed = CircleMember.objects.filter(
        pk=member.pk, status=CircleMember.Status.INVITED, reminded_at__isnull=True
    ).update(reminded_at=timezone.now())
    if claimed:
        queue_invitation_email(
            member,
            template="circle_invitation_reminder",
            key=f"circles-invite-reminder:{member.pk}",
        )
    return bool(claimed)


def send_invitation_reminders(now=None) -> int:
    """Remind those who have not answered yet and whose deadline is near."""
    now = now or timezone.now()
    waiting = CircleMember.objects.filter(
        status=CircleMember.Status.INVITED,
        reminded_at__isnull=True,
        respond_by__gt=now,
        respond_by__lte=now + REMINDER_BEFORE,
    ).select_related("circle__round", "signup__user")
    return sum(remind_member(member) for member in waiting if reminder_due(member, now))
