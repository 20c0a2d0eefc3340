"""Invitations to a circle (placeholder: only the row state the backfill needs)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from circles.models import CircleMember
from community.models import User


@transaction.atomic
def invite_member(member: CircleMember, *, by: User | None = None) -> CircleMember:
    """Invite one proposed member: status invited, invited_at and the deadline to answer by."""
    if member.status != CircleMember.Status.PROPOSED:
        return member
    now = timezone.now()
    member.status = CircleMember.Status.INVITED
    member.invited_at = now
    member.respond_by = now + timedelta(days=member.circle.round.answer_within_days)
    member.save(update_fields=["status", "invited_at", "respond_by", "updated_at"])
    return member
