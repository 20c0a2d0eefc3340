"""A circle's series once its time is set: invitations, moved and cancelled meetings, reminders.

Every change reaches every member who accepted, by email through the outbox with the calendar
attached; each email is keyed by the change (its SEQUENCE) and the member, so it goes once.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from circles.models import Circle, CircleMember, Meeting
from circles.services import calendar
from circles.services.attendance import rsvp_links
from circles.services.circle_members import accepted_members, member_email, member_zone
from community.models import User
from community.services.emails import queue_email


def _write(
    member: CircleMember, *, template: str, key: str, context: dict, attachment=None
) -> None:
    """One email to one member, its times shown in their timezone."""
    with timezone.override(member_zone(member, fallback=member.circle.timezone)):
        queue_email(
            to=member_email(member),
            template=template,
            context={"member": member, "circle": member.circle, **context},
            key=key,
            user=member.signup.user,
            attachment=attachment,
        )


def send_series_invitation(circle: Circle, member: CircleMember) -> None:
    """The series' calendar invitation for one member (also for one who joins later)."""
    ics = calendar.series_calendar(circle, attendee=member_email(member))
    _write(
        member,
        template="circle_meeting_series",
        key=f"circle-series:{circle.pk}:{circle.ics_sequence}:{member.pk}",
        context={"first": circle.meetings.order_by("number").first()},
        attachment=calendar.attachment(ics, calendar.REQUEST),
    )


def send_series_invitations(circle: Circle) -> None:
    for member in accepted_members(circle):
        send_series_invitation(circle, member)


def _changed(circle: Circle) -> Circle:
    """Lock the circle and count one more change for calendars."""
    circle = Circle.objects.select_for_update().select_related("round").get(pk=circle.pk)
    circle.ics_sequence += 1
    circle.save(update_fields=["ics_sequence", "updated_at"])
    return circle


def _changeable(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.PLANNED or meeting.starts_at <= timezone.now():
        raise ValidationError("Only a planned meeting that has not started can change.")


@transaction.atomic
def move_meeting(meeting: Meeting, *, starts_at: datetime, by: User | None) -> Meeting:
    """One meeting at another time; the rest of the series stays where it was."""
    circle = _changed(meeting.circle)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _changeable(meeting)
    if starts_at <= timezone.now():
        raise ValidationError("A meeting can only move to a time in the future.")
    previous, meeting.starts_at = meeting.starts_at, starts_at
    meeting.save(update_fields=["starts_at", "updated_at"])
    for member in accepted_members(circle):
        ics = calendar.series_calendar(circle, attendee=member_email(member))
        _write(
            member,
            template="circle_meeting_moved",
            key=f"circle-meeting-moved:{meeting.pk}:{circle.ics_sequence}:{member.pk}",
            context={"meeting": meeting, "previous": previous},
            attachment=calendar.attachment(ics, calendar.REQUEST),
        )
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, by: User | None) -> Meeting:
    circle = _changed(meeting.circle)
    meeting = Meeting.objects.select_for_update().select_related("circle__round").get(pk=meeting.pk)
    _changeable(meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    meeting.circle = circle
    for member in accepted_members(circle):
        ics = calendar.cancellation_calendar(meeting, attendee=member_email(member))
        _write(
            member,
            template="circle_meeting_cancelled",
            key=f"circle-meeting-cancelled:{meeting.pk}:{member.pk}",
            context={"meeting": meeting},
            attachment=calendar.attachment(ics, calendar.CANCEL),
        )
    return meeting


@transaction.atomic
def cancel_series(circle: Circle, *, by: User | None) -> Circle:
    """Every meeting still to come is cancelled, and calendars drop the whole series."""
    circle = _changed(circle)
    if circle.series_cancelled_at:
        raise ValidationError("The circle's meetings are already cancelled.")
    if not circle.meetings.exists():
        raise ValidationError("The circle has no meetings yet: nothing to cancel.")
    to_come = circle.meetings.filter(status=Meeting.Status.PLANNED, starts_at__gt=timezone.now())
    to_come.update(status=Meeting.Status.CANCELLED, updated_at=timezone.now())
    circle.series_cancelled_at = timezone.now()
    circle.save(update_fields=["series_cancelled_at", "updated_at"])
    for member in accepted_members(circle):
        ics = calendar.series_cancellation_calendar(circle, attendee=member_email(member))
        _write(
            member,
            template="circle_series_cancelled",
            key=f"circle-series-cancelled:{circle.pk}:{member.pk}",
            context={},
            attachment=calendar.attachment(ics, calendar.CANCEL),
        )
    return circle


def due_reminders() -> list[int]:
    """Planned meetings starting within CIRCLES_REMINDER_HOURS whose reminder has not gone out."""
    now = timezone.now()
    return list(
        Meeting.objects.filter(
            status=Meeting.Status.PLANNED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=settings.CIRCLES_REMINDER_HOURS),
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def send_meeting_reminder(meeting_id: int) -> bool:
    """The reminder with RSVP links, once per meeting (claimed) and once per member (keyed)."""
    claimed = Meeting.objects.filter(pk=meeting_id, reminder_sent_at__isnull=True).update(
        reminder_sent_at=timezone.now()
    )
    if not claimed:
        return False
    meeting = Meeting.objects.select_related("circle__round").get(pk=meeting_id)
    for member in accepted_members(meeting.circle):
        _write(
            member,
            template="circle_meeting_reminder",
            key=f"circle-meeting-reminder:{meeting.pk}:{member.pk}",
            context={"meeting": meeting, "links": rsvp_links(meeting, member)},
        )
    return True
