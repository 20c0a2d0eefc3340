"""Membership after approval: revoking and restoring it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from community.models import Member, User
from community.services import slack_state


@transaction.atomic
def revoke_membership(member: Member, *, by: User) -> Member:
    """The member loses access to members' pages and leaves every Slack channel we manage."""
    member = _set_status(member, Member.Status.REVOKED, already="revoked")
    slack_state.record_offboarding(member.user)
    return member


@transaction.atomic
def restore_membership(member: Member, *, by: User) -> Member:
    member = _set_status(member, Member.Status.ACTIVE, already="active")
    slack_state.record_new_member(member)
    return member


def _set_status(member: Member, status: str, *, already: str) -> Member:
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status == status:
        raise ValidationError(f"{member} is already {already}.")
    member.status = status
    member.save(update_fields=["status", "updated_at"])
    return member
