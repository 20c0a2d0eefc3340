"""Mentoring groups: a coach opens one, members ask to join, the coach accepts or declines, and
accepted members consent before they get the calendar and the group's Slack channel; the coach
may release the place of one who has not confirmed in time.

Accepting locks the group's row before it counts the members, so two accepts at once are decided
one after the other and a group never holds more than its capacity.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from community.models import User
from community.recurrence import recurring_starts
from community.services import slack_state
from mentoring.models import CoachProfile, GroupMembership, GroupSession, MentoringGroup
from mentoring.services import group_calendar

Status = GroupMembership.Status
DEFAULT_SESSIONS = 12


def _locked(group: MentoringGroup) -> MentoringGroup:
    return MentoringGroup.objects.select_for_update().select_related("coach__user").get(pk=group.pk)


def accepted_count(group: MentoringGroup) -> int:
    return group.memberships.filter(status=Status.ACCEPTED).count()


def membership_of(group: MentoringGroup, user: User) -> GroupMembership | None:
    """The user's current row in the group (asked to join, or accepted), if any."""
    if not user.is_authenticated:
        return None
    current = group.memberships.filter(user=user, status__in=GroupMembership.CURRENT)
    return current.first()


@transaction.atomic
def open_group(
    coach: CoachProfile,
    *,
    topic: str,
    description: str,
    format: str,
    place: str,
    first_session_at: datetime,
    every_weeks: int,
    session_minutes: int,
    sessions: int = DEFAULT_SESSIONS,
    capacity: int,
) -> MentoringGroup:
    """A group with its series of sessions at the first one's wall-clock time in the coach's
    timezone; the coach gets the series in their calendar at once."""
    if first_session_at <= timezone.now():
        raise ValidationError("The first session has to be in the future.")
    CoachProfile.objects.select_for_update().filter(pk=coach.pk).first()
    same = MentoringGroup.objects.running().filter(
        coach=coach, topic=topic, first_session_at=first_session_at
    )
    if (existing := same.first()) is not None:  # the same form sent twice: one group
        return existing
    group = MentoringGroup.objects.create(
        coach=coach,
        topic=topic,
        description=description,
        format=format,
        place=place,
        capacity=capacity,
        timezone=coach.timezone,
        first_session_at=first_session_at,
        every_weeks=every_weeks,
        session_minutes=session_minutes,
    )
    starts = recurring_starts(
        first_session_at, ZoneInfo(group.timezone), every_weeks=every_weeks, count=sessions
    )
    GroupSession.objects.bulk_create(
        GroupSession(group=group, number=number, original_starts_at=when, starts_at=when)
        for number, when in enumerate(starts)
    )
    group_calendar.send_series_invitation(group, who="coach", user=coach.user)
    return group


@transaction.atomic
def request_to_join(group: MentoringGroup, *, member: User, note: str) -> GroupMembership:
    """A member asks to join with a short note; the coach is told by email."""
    group = _locked(group)
    if not MentoringGroup.objects.open_to_join().filter(pk=group.pk).exists():
        raise ValidationError("This group is not taking requests to join.")
    if group.coach.user_id == member.pk:
        raise ValidationError("You lead this group.")
    if not member.is_member:
        raise ValidationError("Mentoring groups are for members of the community.")
    if membership_of(group, member):
        raise ValidationError("You have already asked to join this group.")
    if accepted_count(group) >= group.capacity:
        raise ValidationError("This group is full.")
    if not note.strip():
        raise ValidationError("Tell the coach in a few words why you would like to join.")
    membership = GroupMembership.objects.create(group=group, user=member, note=note.strip())
    group_calendar.write(
        group.coach.user,
        template="mentoring_group_requested",
        key=f"mentoring-group-requested:{membership.pk}",
        context={"group": group, "membership": membership},
    )
    return membership


def _decidable(membership: GroupMembership, *, by: User) -> tuple[MentoringGroup, GroupMembership]:
    group = _locked(membership.group)
    membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    if group.coach.user_id != by.pk:
        raise ValidationError("Only the group's coach decides who joins.")
    if membership.group_id != group.pk or membership.status != Status.REQUESTED:
        raise ValidationError("This request has already been answered.")
    return group, membership


@transaction.atomic
def accept_request(membership: GroupMembership, *, by: User) -> GroupMembership:
    """The coach says yes, while the group has room; the member is asked to consent next."""
    group, membership = _decidable(membership, by=by)
    if group.ended_at:
        raise ValidationError("This group has ended.")
    if accepted_count(group) >= group.capacity:
        raise ValidationError(f"The group is full: it holds {group.capacity} members.")
    membership.status, membership.decided_at = Status.ACCEPTED, timezone.now()
    membership.save(update_fields=["status", "decided_at", "updated_at"])
    group_calendar.write(
        membership.user,
        template="mentoring_group_accepted",
        key=f"mentoring-group-accepted:{membership.pk}",
        context={"group": group, "membership": membership},
    )
    return membership


@transaction.atomic
def decline_request(membership: GroupMembership, *, by: User, reason: str = "") -> GroupMembership:
    group, membership = _decidable(membership, by=by)
    membership.status, membership.decided_at = Status.DECLINED, timezone.now()
    membership.decline_reason = reason.strip()
    membership.save(update_fields=["status", "decided_at", "decline_reason", "updated_at"])
    group_calendar.write(
        membership.user,
        template="mentoring_group_declined",
        key=f"mentoring-group-declined:{membership.pk}",
        context={"group": group, "membership": membership},
    )
    return membership


def _channel(group: MentoringGroup):
    """The group's private channel, declared on the first consent (with the coach in it)."""
    if group.slack_channel_id:
        return group.slack_channel
    channel = slack_state.group_channel(group.channel_name)
    group.slack_channel = channel
    group.save(update_fields=["slack_channel", "updated_at"])
    try:
        slack_state.declare_membership(channel, group.coach.user)
    except ValidationError:
        pass  # a coach who is not an active member runs the group without the channel
    return channel


@transaction.atomic
def consent_to_group(membership: GroupMembership, *, by: User) -> GroupMembership:
    """The accepted member agrees to join the group's channel and to share their name with the
    group: only then are they added to the channel and sent the series."""
    group = _locked(membership.group)
    membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id != by.pk or membership.status != Status.ACCEPTED:
        raise ValidationError("Only an accepted member of the group can consent.")
    if group.ended_at:
        raise ValidationError("This group has ended.")
    if membership.consented_at:
        return membership
    membership.consented_at = timezone.now()
    membership.save(update_fields=["consented_at", "updated_at"])
    slack_state.declare_membership(_channel(group), membership.user)
    group_calendar.send_series_invitation(group, who=f"m{membership.pk}", user=membership.user)
    group_calendar.write(
        group.coach.user,
        template="mentoring_group_confirmed",
        key=f"mentoring-group-confirmed:{membership.pk}",
        context={"group": group, "membership": membership},
    )
    return membership


def _changed(group: MentoringGroup) -> MentoringGroup:
    """Lock the group and count one more change for calendars."""
    group = _locked(group)
    group.ics_sequence += 1
    group.save(update_fields=["ics_sequence", "updated_at"])
    return group


@transaction.atomic
def leave_group(membership: GroupMembership, *, by: User) -> GroupMembership:
    """A member leaves (or withdraws their request): out of the channel and out of the series."""
    group = _changed(membership.group)
    membership = (
        GroupMembership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    )
    if membership.user_id != by.pk or membership.status not in GroupMembership.CURRENT:
        raise ValidationError("You are not in this group.")
    accepted, joined = membership.is_accepted, membership.has_joined
    membership.status, membership.left_at = Status.LEFT, timezone.now()
    membership.save(update_fields=["status", "left_at", "updated_at"])
    if accepted:  # a request withdrawn before the coach answered needs no word
        group_calendar.write(
            group.coach.user,
            template="mentoring_group_left",
            key=f"mentoring-group-left:{membership.pk}",
            context={"group": group, "membership": membership, "joined": joined},
        )
    if joined:
        if group.slack_channel_id:
            slack_state.withdraw_membership(group.slack_channel, membership.user)
        who = f"m{membership.pk}"
        group_calendar.send_series_cancellation(group, to=[(who, membership.user)])
    return membership


@transaction.atomic
def release_place(membership: GroupMembership, *, by: User) -> GroupMembership:
    """The coach frees the place of an accepted member who let the time to confirm pass; the
    member is told, once, and may ask again. Nothing else to undo: before confirming they had
    neither the calendar nor the channel."""
    group = _locked(membership.group)
    membership = (
        GroupMembership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    )
    if group.coach.user_id != by.pk:
        raise ValidationError("Only the group's coach can release a place in it.")
    _check_releasable(group, membership)
    membership.status, membership.left_at = Status.RELEASED, timezone.now()
    membership.save(update_fields=["status", "left_at", "updated_at"])
    group_calendar.write(
        membership.user,
        template="mentoring_group_released",
        key=f"mentoring-group-released:{membership.pk}",
        context={
            "group": group,
            "membership": membership,
            "open": MentoringGroup.objects.open_to_join().filter(pk=group.pk).exists(),
        },
    )
    return membership


def _check_releasable(group: MentoringGroup, membership: GroupMembership) -> None:
    if membership.status == Status.RELEASED:
        raise ValidationError("This place has already been released.")
    if membership.status == Status.LEFT:
        raise ValidationError(f"{membership.user} has already left the group.")
    if membership.status != Status.ACCEPTED:
        raise ValidationError("Only an accepted member's place can be released.")
    if membership.consented_at:
        raise ValidationError(
            f"{membership.user} has confirmed they are joining: their place is theirs."
        )
    if group.ended_at:
        raise ValidationError("This group has ended.")
    if (days := membership.days_to_confirm()) > 0:
        raise ValidationError(
            f"{membership.user} still has {days} day{'s' if days != 1 else ''} to confirm; "
            "their place can be released after that."
        )


def _close_waiting(group: MentoringGroup, *, now) -> None:
    """Those who asked, or were accepted but never confirmed, hear that the group ended; their
    requests are closed so they may ask to join another group."""
    waiting = group.memberships.filter(
        Q(status=Status.REQUESTED) | Q(status=Status.ACCEPTED, consented_at__isnull=True)
    ).select_related("user")
    for membership in waiting:
        group_calendar.write(
            membership.user,
            template="mentoring_group_closed",
            key=f"mentoring-group-closed:{membership.pk}",
            context={"group": group, "membership": membership},
        )
    group.memberships.filter(status=Status.REQUESTED).update(
        status=Status.DECLINED,
        decided_at=now,
        decline_reason="The group has ended.",
        updated_at=now,
    )


@transaction.atomic
def end_group(group: MentoringGroup, *, by: User) -> MentoringGroup:
    """The coach (or an organizer) ends the group: sessions still to come are cancelled,
    calendars drop the series and the channel is archived."""
    group = _changed(group)
    if group.coach.user_id != by.pk and not by.is_organizer:
        raise ValidationError("Only the group's coach or an organizer can end it.")
    if group.ended_at:
        raise ValidationError("This group has already ended.")
    now = timezone.now()
    to_come = group.sessions.filter(status=GroupSession.Status.PLANNED, starts_at__gt=now)
    to_come.update(status=GroupSession.Status.CANCELLED, updated_at=now)
    group.ended_at, group.accepting_requests = now, False
    group.save(update_fields=["ended_at", "accepting_requests", "updated_at"])
    group_calendar.send_series_cancellation(group, to=group_calendar.recipients(group))
    _close_waiting(group, now=now)
    if group.slack_channel_id:
        slack_state.request_archive(group.slack_channel)
    return group
