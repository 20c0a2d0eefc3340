"""Answering an invitation: accept with consent, decline, or stay silent past the deadline.

Each answer locks the circle, then the member, and is taken only while the invitation is open
(invited, before its deadline): a second click, or a second tab, finds the answer recorded and
changes nothing. Only an acceptance with consent adds the person to the circle's Slack channel and
lets the others who accepted see their full name.

A circle becomes active once nobody in it is still to answer and at least the round's smallest
circle size accepted, or, failing the first, at its invitation deadline with that many accepted
(the silent are expired then; replacements invited later join an active circle). A circle with
too few acceptances stays "inviting" until backfills fill it.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from circles.models import Circle, CircleMember, Round
from circles.services import meetings, scheduling
from circles.services.backfills import open_vacancy
from circles.services.visibility import directory_member, person_user
from community.services import slack_state

Status = CircleMember.Status
WAITING = (Status.PROPOSED, Status.INVITED)
CONSENT_NEEDED = (
    "Tick the box to agree to join the circle's channel and to share your name with the circle: "
    "we cannot add you without it."
)


class AlreadyAnswered(ValidationError):
    """The invitation was answered (or closed) before: nothing changes."""


def has_slack_seat(member: CircleMember) -> bool:
    """Only active members of the community get a seat in the circle's Slack channel."""
    profile = directory_member(member.signup)
    return profile is not None and profile.is_active


def channel_name(circle: Circle) -> str:
    return f"circle-{circle.round.slug}-{circle.number}"[:80]


def _locked(member: CircleMember) -> tuple[Circle, CircleMember]:
    circle = Circle.objects.select_for_update().select_related("round").get(pk=member.circle_id)
    member = (
        CircleMember.objects.select_for_update(of=("self",))
        .select_related("signup__user")
        .get(pk=member.pk)
    )
    member.circle = circle
    if member.status != Status.INVITED:
        raise AlreadyAnswered(
            f"This invitation was already answered: {member.get_status_display()}."
        )
    if member.respond_by and member.respond_by <= timezone.now():
        raise AlreadyAnswered("The deadline to answer this invitation has passed.")
    return circle, member


def _join_channel(circle: Circle, member: CircleMember) -> bool:
    if not has_slack_seat(member):
        return False
    if circle.slack_channel_id is None:
        circle.slack_channel = slack_state.circle_channel(channel_name(circle))
        circle.save(update_fields=["slack_channel", "updated_at"])
    slack_state.declare_membership(circle.slack_channel, person_user(member.signup))
    return True


@transaction.atomic
def accept_invitation(member: CircleMember, *, consent: bool) -> CircleMember:
    """They join: consent recorded, their channel seat declared, the circle active if it is ready."""
    if not consent:
        raise ValidationError(CONSENT_NEEDED)
    circle, member = _locked(member)
    now = timezone.now()
    member.status, member.responded_at, member.consented_at = Status.ACCEPTED, now, now
    member.save(update_fields=["status", "responded_at", "consented_at", "updated_at"])
    _join_channel(circle, member)
    if circle.first_meeting_at and not circle.series_cancelled_at:
        meetings.send_series_invitation(circle, member)  # joining a circle that already meets
    activate_if_ready(circle)
    return member


@transaction.atomic
def decline_invitation(member: CircleMember) -> CircleMember:
    """They will not join: their place is opened for a backfill."""
    circle, member = _locked(member)
    member.status, member.responded_at = Status.DECLINED, timezone.now()
    member.save(update_fields=["status", "responded_at", "updated_at"])
    open_vacancy(member)
    activate_if_ready(circle)
    return member


def activate_if_ready(circle: Circle, *, at_deadline: bool = False) -> bool:
    """Make the (locked) circle active when its answers allow it; True when it did."""
    if circle.status != Circle.Status.INVITING:
        return False
    statuses = list(circle.members.values_list("status", flat=True))
    if statuses.count(Status.ACCEPTED) < circle.round.min_size:
        return False
    if not at_deadline and any(status in WAITING for status in statuses):
        return False
    circle.status, circle.activated_at = Circle.Status.ACTIVE, timezone.now()
    if circle.facilitator_id is None:  # until an organizer names another, the first to join
        circle.facilitator = circle.members.filter(status=Status.ACCEPTED).first()
    circle.save(update_fields=["status", "activated_at", "facilitator", "updated_at"])
    _start_the_vote(circle)
    _run_round_when_all_active(circle.round)
    return True


def _start_the_vote(circle: Circle) -> None:
    """The members vote on the first meeting's time; a window with no room leaves it to an
    organizer (the circle page says so)."""
    try:
        scheduling.offer_candidate_times(circle)
    except ValidationError:
        pass


def _run_round_when_all_active(round: Round) -> None:
    waiting = round.circles.filter(status__in=[Circle.Status.PROPOSED, Circle.Status.INVITING])
    if round.status == Round.Status.INVITING and not waiting.exists():
        Round.objects.filter(pk=round.pk).update(status=Round.Status.RUNNING)


@transaction.atomic
def expire_invitation(member: CircleMember) -> bool:
    """No answer by the deadline: the invitation lapses and the place opens for a backfill."""
    circle = Circle.objects.select_for_update().select_related("round").get(pk=member.circle_id)
    expired = CircleMember.objects.filter(
        pk=member.pk, status=Status.INVITED, respond_by__lte=timezone.now()
    ).update(status=Status.EXPIRED, updated_at=timezone.now())
    if expired:
        member.refresh_from_db()
        open_vacancy(member)
        activate_if_ready(circle)
    return bool(expired)


@transaction.atomic
def activate_circle_at_deadline(circle: Circle) -> bool:
    circle = Circle.objects.select_for_update().select_related("round").get(pk=circle.pk)
    return activate_if_ready(circle, at_deadline=True)


def close_invitation_deadlines(now=None) -> dict[str, int]:
    """What the beat does: expire the silent, then activate circles whose deadline passed."""
    now = now or timezone.now()
    overdue = CircleMember.objects.filter(status=Status.INVITED, respond_by__lte=now)
    expired = sum(expire_invitation(member) for member in overdue)
    inviting = Circle.objects.filter(status=Circle.Status.INVITING).select_related("round")
    due = [
        circle
        for circle in inviting
        if circle.invited_at
        and circle.invited_at + timedelta(days=circle.round.answer_within_days) <= now
    ]
    activated = sum(activate_circle_at_deadline(circle) for circle in due)
    return {"expired": expired, "activated": activated}
