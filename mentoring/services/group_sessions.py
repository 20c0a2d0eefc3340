"""A mentoring group's sessions: who is coming, the shared note, the coach's record of who came,
and cancelling one session."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from community import meetings
from community.models import User
from mentoring.models import GroupMembership, GroupSession, MentoringGroup, SessionAttendance
from mentoring.services import group_calendar

NOTE_MAX_LENGTH = 4000
Planned = GroupSession.Status.PLANNED


def joined_members(group: MentoringGroup) -> QuerySet[GroupMembership]:
    """Members who accepted and consented: they see each other, answer and take notes."""
    return group.memberships.filter(
        status=GroupMembership.Status.ACCEPTED, consented_at__isnull=False
    ).select_related("user")


def next_session(group: MentoringGroup) -> GroupSession | None:
    """The first planned session that has not started yet."""
    return meetings.next_planned(group.sessions.all())


def last_session(group: MentoringGroup) -> GroupSession | None:
    """The latest session that has started and was not cancelled."""
    return meetings.last_started(group.sessions.all())


def may_take_notes(group: MentoringGroup, user: User) -> bool:
    return group.coach.user_id == user.pk or joined_members(group).filter(user=user).exists()


@transaction.atomic
def record_rsvp(session: GroupSession, *, membership: GroupMembership, rsvp: str):
    """A member's yes or no for a session still to come; the latest answer counts."""
    if membership.group_id != session.group_id or not membership.has_joined:
        raise ValidationError("Only the group's members answer for its sessions.")
    if session.status != Planned or session.starts_at <= timezone.now():
        raise ValidationError("This session has started or was cancelled: no answer is needed.")
    if rsvp not in SessionAttendance.Rsvp.values:
        raise ValidationError("Answer yes or no.")
    attendance, _ = SessionAttendance.objects.update_or_create(
        session=session, membership=membership, defaults={"rsvp": rsvp}
    )
    return attendance


@transaction.atomic
def save_session_note(session: GroupSession, *, note: str, by: User) -> GroupSession:
    """The session's shared note, kept by the coach and the members together."""
    session = (
        GroupSession.objects.select_for_update().select_related("group__coach").get(pk=session.pk)
    )
    if not may_take_notes(session.group, by):
        raise ValidationError("Only the group's coach and members write its notes.")
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(f"Keep the note under {NOTE_MAX_LENGTH} characters.")
    if session.status == GroupSession.Status.CANCELLED:
        raise ValidationError("This session was cancelled.")
    session.note, session.note_updated_by, session.note_updated_at = note, by, timezone.now()
    session.save(update_fields=["note", "note_updated_by", "note_updated_at", "updated_at"])
    return session


@transaction.atomic
def record_attendance(session: GroupSession, *, present: set[int], by: User) -> GroupSession:
    """The coach's "who came" (membership ids in `present`): the session was held."""
    session = (
        GroupSession.objects.select_for_update().select_related("group__coach").get(pk=session.pk)
    )
    if session.group.coach.user_id != by.pk:
        raise ValidationError("Only the group's coach records who came.")
    if session.status == GroupSession.Status.CANCELLED or session.starts_at > timezone.now():
        raise ValidationError("Record who came once the session has started.")
    for membership in joined_members(session.group):
        SessionAttendance.objects.update_or_create(
            session=session,
            membership=membership,
            defaults={"attended": membership.pk in present},
        )
    session.status, session.attendance_taken_at = GroupSession.Status.HELD, timezone.now()
    session.save(update_fields=["status", "attendance_taken_at", "updated_at"])
    return session


@transaction.atomic
def cancel_session(session: GroupSession, *, by: User) -> GroupSession:
    """The coach calls one session off; everyone's calendar drops that occurrence."""
    group = MentoringGroup.objects.select_for_update().select_related("coach__user")
    group = group.get(pk=session.group_id)
    session = GroupSession.objects.select_for_update().get(pk=session.pk)
    if group.coach.user_id != by.pk:
        raise ValidationError("Only the group's coach cancels its sessions.")
    if session.status != Planned or session.starts_at <= timezone.now():
        raise ValidationError("Only a planned session that has not started can be cancelled.")
    group.ics_sequence += 1
    group.save(update_fields=["ics_sequence", "updated_at"])
    session.status = GroupSession.Status.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    group_calendar.send_session_cancellation(group, session)
    return session
