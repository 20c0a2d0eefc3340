"""Membership after approval: revoking and restoring it, each change recorded with its reason."""

from django.core.exceptions import ValidationError
from django.db import transaction

from community.models import Member, MembershipChange, User
from community.services import slack_state

ALREADY = {Member.Status.REVOKED: "revoked", Member.Status.ACTIVE: "active"}


@transaction.atomic
def revoke_membership(member: Member, *, by: User, reason: str) -> Member:
    """The member loses access to members' pages and leaves every Slack channel we manage."""
    member = _change_status(member, Member.Status.REVOKED, by=by, reason=reason)
    slack_state.record_offboarding(member.user)
    return member


@transaction.atomic
def restore_membership(member: Member, *, by: User, reason: str) -> Member:
    member = _change_status(member, Member.Status.ACTIVE, by=by, reason=reason)
    slack_state.record_new_member(member)
    return member


def _change_status(member: Member, status: str, *, by: User, reason: str) -> Member:
    reason = reason.strip()
    if not reason:
        raise ValidationError("Please give a reason for this change.")
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status == status:
        raise ValidationError(f"{member} is already {ALREADY[status]}.")
    MembershipChange.objects.create(
        member=member,
        from_status=member.status,
        to_status=status,
        reason=reason,
        changed_by=by,
        changed_by_name=str(by),
    )
    member.status = status
    member.save(update_fields=["status", "updated_at"])
    return member
