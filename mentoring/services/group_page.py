"""What a mentoring group's page shows, to its coach, its members and organizers."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from community.meetings import came, rsvp_counts
from community.models import User
from mentoring.models import GroupMembership, GroupSession, MentoringGroup, SessionAttendance
from mentoring.services.group_sessions import joined_members, last_session, next_session
from mentoring.services.groups import accepted_count

LATER = 4
PAST_NOTES = 6


@dataclass(frozen=True)
class ShownMember:
    pk: int
    name: str
    company: str


@dataclass(frozen=True)
class Unconfirmed:
    """An accepted member who has not confirmed yet, as their coach sees them."""

    pk: int
    name: str
    days_waiting: int
    confirm_by: datetime
    may_release: bool


def _unconfirmed(group: MentoringGroup) -> list[Unconfirmed]:
    now = timezone.now()
    waiting = group.memberships.filter(
        status=GroupMembership.Status.ACCEPTED, consented_at__isnull=True
    ).select_related("user")
    return [
        Unconfirmed(
            pk=m.pk,
            name=str(m.user),
            days_waiting=(now - m.accepted_at).days,
            confirm_by=m.confirm_by,
            may_release=m.days_to_confirm(now) == 0,
        )
        for m in waiting.order_by("decided_at", "pk")
    ]


def _shown(membership: GroupMembership) -> ShownMember:
    directory = getattr(membership.user, "member", None)
    company = directory.company if directory and directory.show_company else ""
    return ShownMember(pk=membership.pk, name=str(membership.user), company=company)


def _of_members(session: GroupSession | None):
    """The session's answers from those still in the group: one who left counts no more."""
    if session is None:
        return None
    return session.attendance.filter(
        membership__status=GroupMembership.Status.ACCEPTED, membership__consented_at__isnull=False
    )


def _rsvps(session: GroupSession | None) -> dict[str, int]:
    return rsvp_counts(_of_members(session), SessionAttendance.Rsvp.values)


def _my_rsvp(session: GroupSession | None, membership: GroupMembership | None) -> str:
    if session is None or membership is None:
        return ""
    answer = session.attendance.filter(membership=membership).values_list("rsvp", flat=True)
    return answer.first() or ""


def _present(session: GroupSession | None) -> set[int]:
    return came(_of_members(session), who="membership_id")


def group_page(group: MentoringGroup, *, user: User, membership: GroupMembership | None) -> dict:
    is_coach = group.coach.user_id == user.pk
    joined = bool(membership and membership.has_joined)
    sees_all = is_coach or joined or user.is_organizer
    upcoming, last = next_session(group), last_session(group)
    members = joined_members(group).select_related("user__member") if sees_all else []
    context = {
        "group": group,
        "membership": membership,
        "is_coach": is_coach,
        "joined": joined,
        "sees_all": sees_all,
        "may_write": is_coach or joined,
        "members": [_shown(m) for m in members],
        "accepted": accepted_count(group),
        "next": upcoming,
        "later": _later(group, upcoming) if sees_all else [],
        "last_planned": _last_planned(group, upcoming) if sees_all else None,
        "rsvps": _rsvps(upcoming),
        "my_rsvp": _my_rsvp(upcoming, membership if joined else None),
        "last": last if sees_all else None,
        "present": _present(last),
        "past_notes": _past_notes(group, last) if sees_all else [],
        "unrecorded": _unrecorded(group, last) if is_coach else [],
    }
    if is_coach:
        context["requests"] = group.memberships.filter(
            status=GroupMembership.Status.REQUESTED
        ).select_related("user")
        context["unconfirmed"] = _unconfirmed(group)
    return context


def _planned_after(group: MentoringGroup, upcoming: GroupSession | None):
    """The planned sessions after the next one, in order (none when nothing is next)."""
    if upcoming is None:
        return group.sessions.none()
    later = group.sessions.filter(
        status=GroupSession.Status.PLANNED, starts_at__gt=upcoming.starts_at
    )
    return later.order_by("starts_at")


def _later(group: MentoringGroup, upcoming: GroupSession | None) -> list[GroupSession]:
    return list(_planned_after(group, upcoming)[:LATER])


def _last_planned(group: MentoringGroup, upcoming: GroupSession | None) -> GroupSession | None:
    """The series' last planned session, for the page to say how far it runs, when the sessions
    listed after the next one stop short of it."""
    planned = _planned_after(group, upcoming)
    return planned.last() if planned[LATER:].exists() else None


def _unrecorded(group: MentoringGroup, last: GroupSession | None) -> list[GroupSession]:
    """Sessions before the last one whose time has passed without the coach recording who came
    (the last session has its own form), oldest first."""
    if last is None:
        return []
    earlier = group.sessions.filter(
        status=GroupSession.Status.PLANNED, starts_at__lt=last.starts_at
    )
    return list(earlier.order_by("starts_at"))


def _past_notes(group: MentoringGroup, last: GroupSession | None) -> list[GroupSession]:
    """Earlier sessions' notes, newest first (the last session's note is the form above)."""
    earlier = group.sessions.exclude(note="").exclude(status=GroupSession.Status.CANCELLED)
    if last is not None:
        earlier = earlier.filter(starts_at__lt=last.starts_at)
    else:
        return []
    return list(earlier.order_by("-starts_at")[:PAST_NOTES])
