"""A mentoring group's calendar invitations and the emails that carry them.

The calendar is built by `community.calendars`: the series recurs in the group's timezone (the
coach's when they opened it), keeps one UID, and its SEQUENCE grows with every change. Every
change reaches the coach and each member who accepted and consented, by email through the
outbox; each email is keyed by the change (its SEQUENCE) and the recipient, so it goes once.
"""

from dataclasses import replace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from community import calendars, meetings
from community.models import User
from community.services.emails import queue_email
from mentoring.models import GroupMembership, GroupSession, MentoringGroup

PRODID = "-//Roundtable//Mentoring groups//EN"
FILE_NAME = "mentoring-group.ics"


def _occurrence(session: GroupSession) -> calendars.Occurrence:
    return calendars.Occurrence(
        original_starts_at=session.original_starts_at,
        starts_at=session.starts_at,
        cancelled=session.status == GroupSession.Status.CANCELLED,
    )


def group_series(group: MentoringGroup) -> calendars.Series:
    sessions = list(group.sessions.order_by("number"))
    video = group.format == MentoringGroup.Format.VIDEO
    return calendars.Series(
        uid=group.ics_uid,
        sequence=group.ics_sequence,
        prodid=PRODID,
        summary=f"Mentoring group: {group.topic} with {group.coach}",
        location=group.place or ("Video call" if video else ""),
        url=settings.SITE_URL + reverse("mentoring:group_detail", args=[group.pk]),
        timezone=group.timezone,
        minutes=group.session_minutes,
        every_weeks=group.every_weeks,
        occurrences=[_occurrence(session) for session in sessions],
        cancelled=group.ended_at is not None,
    )


def recipients(group: MentoringGroup) -> list[tuple[str, User]]:
    """Who gets the group's calendar: its coach, and each member who accepted and consented."""
    joined = group.memberships.filter(
        status=GroupMembership.Status.ACCEPTED, consented_at__isnull=False
    ).select_related("user")
    return [("coach", group.coach.user)] + [(f"m{m.pk}", m.user) for m in joined]


def write(user: User, *, template: str, key: str, context: dict, attachment=None) -> None:
    """One email to one person, its times shown in their timezone."""
    with timezone.override(ZoneInfo(user.timezone or "UTC")):
        queue_email(
            to=user.email,
            template=template,
            context={"recipient": user, **context},
            key=key,
            user=user,
            attachment=attachment,
        )


def _first_for_them(group: MentoringGroup) -> GroupSession | None:
    """The first session still to come (for someone who joins after the group started), or
    the group's first one when none is left."""
    return meetings.next_planned(group.sessions.all()) or group.sessions.order_by("number").first()


def send_series_invitation(group: MentoringGroup, *, who: str, user: User) -> None:
    """The whole series as a REQUEST: for the coach on opening, for a member on consenting, and
    for everyone again when the series changes."""
    ics = calendars.series_calendar(group_series(group), attendee=user.email)
    write(
        user,
        template="mentoring_group_series",
        key=f"mentoring-group-series:{group.pk}:{group.ics_sequence}:{who}",
        context={"group": group, "first": _first_for_them(group)},
        attachment=calendars.attachment(ics, calendars.REQUEST, name=FILE_NAME),
    )


def send_session_cancellation(group: MentoringGroup, session: GroupSession) -> None:
    series = group_series(group)
    for who, user in recipients(group):
        ics = calendars.occurrence_cancellation(series, _occurrence(session), attendee=user.email)
        write(
            user,
            template="mentoring_group_session_cancelled",
            key=f"mentoring-group-session-cancelled:{session.pk}:{who}",
            context={"group": group, "session": session},
            attachment=calendars.attachment(ics, calendars.CANCEL, name=FILE_NAME),
        )


def send_series_cancellation(group: MentoringGroup, *, to: list[tuple[str, User]]) -> None:
    """METHOD:CANCEL for the whole series: the group ended, or a member left it."""
    series = replace(group_series(group), cancelled=True)
    for who, user in to:
        ics = calendars.series_cancellation(series, attendee=user.email)
        write(
            user,
            template="mentoring_group_series_cancelled",
            key=f"mentoring-group-series-cancelled:{group.pk}:{group.ics_sequence}:{who}",
            context={"group": group, "ended": group.ended_at is not None},
            attachment=calendars.attachment(ics, calendars.CANCEL, name=FILE_NAME),
        )


def published_calendar(group: MentoringGroup, *, attendee: str | None) -> str:
    """The series for the page's download link (METHOD:PUBLISH: a copy, not an invitation)."""
    return calendars.series_calendar(
        group_series(group), attendee=attendee, method=calendars.PUBLISH
    )
