"""Who is coming and who came: RSVPs (also from signed links), shared notes, the facilitator's
record of a meeting."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from circles.models import Attendance, Circle, CircleMember, Meeting
from circles.services.circle_members import accepted_members
from community import meetings
from community.models import User

RSVP_SALT = "circles.rsvp"
NOTE_MAX_LENGTH = 4000
INVALID_LINK = "This link is not valid: it may have been cut short or altered."


def next_meeting(circle: Circle) -> Meeting | None:
    """The first planned meeting that has not started yet."""
    return meetings.next_planned(circle.meetings.all())


def last_meeting(circle: Circle) -> Meeting | None:
    """The latest meeting that has started and was not cancelled."""
    return meetings.last_started(circle.meetings.all())


def rsvp_token(meeting: Meeting, member: CircleMember, answer: str) -> str:
    """Bound to the meeting, the member and the answer: changing any of them breaks it."""
    return signing.dumps([meeting.pk, member.pk, answer], salt=RSVP_SALT)


def read_rsvp_token(token: str) -> tuple[Meeting, CircleMember, str]:
    """What a link says, or ValidationError when it was altered or names nothing we have."""
    try:
        meeting_id, member_id, answer = signing.loads(token, salt=RSVP_SALT)
        meeting = Meeting.objects.select_related("circle__round").get(pk=meeting_id)
        member = CircleMember.objects.select_related("signup").get(
            pk=member_id, circle=meeting.circle
        )
    except (
        signing.BadSignature,
        ValueError,
        TypeError,
        Meeting.DoesNotExist,
        CircleMember.DoesNotExist,
    ) as error:
        raise ValidationError(INVALID_LINK) from error
    if answer not in Attendance.Rsvp.values:
        raise ValidationError(INVALID_LINK)
    return meeting, member, answer


def rsvp_links(meeting: Meeting, member: CircleMember) -> dict[str, str]:
    return {
        answer: settings.SITE_URL
        + reverse("circles:rsvp_link", args=[rsvp_token(meeting, member, answer)])
        for answer in Attendance.Rsvp.values
    }


@transaction.atomic
def record_rsvp(meeting: Meeting, *, member: CircleMember, rsvp: str) -> Attendance:
    """A member's yes or no for a meeting still to come; the latest answer counts."""
    if member.circle_id != meeting.circle_id or member.status != CircleMember.Status.ACCEPTED:
        raise ValidationError("Only the circle's members answer for its meetings.")
    if meeting.status != Meeting.Status.PLANNED or meeting.starts_at <= timezone.now():
        raise ValidationError("This meeting has started or was cancelled: no answer is needed.")
    if rsvp not in Attendance.Rsvp.values:
        raise ValidationError("Answer yes or no.")
    attendance, _ = Attendance.objects.update_or_create(
        meeting=meeting, member=member, defaults={"rsvp": rsvp}
    )
    return attendance


@transaction.atomic
def save_meeting_note(meeting: Meeting, *, note: str, by: User) -> Meeting:
    """The circle's shared note: what was discussed and what to come back to."""
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(f"Keep the note under {NOTE_MAX_LENGTH} characters.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.note, meeting.note_updated_by, meeting.note_updated_at = note, by, timezone.now()
    meeting.save(update_fields=["note", "note_updated_by", "note_updated_at", "updated_at"])
    return meeting


@transaction.atomic
def record_attendance(meeting: Meeting, *, present: set[int], by: User | None) -> Meeting:
    """The facilitator's "who came": the meeting was held, and each member came or not."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED or meeting.starts_at > timezone.now():
        raise ValidationError("Record who came once the meeting has started.")
    for member in accepted_members(meeting.circle):
        Attendance.objects.update_or_create(
            meeting=meeting, member=member, defaults={"attended": member.pk in present}
        )
    meeting.status, meeting.attendance_taken_at = Meeting.Status.HELD, timezone.now()
    meeting.save(update_fields=["status", "attendance_taken_at", "updated_at"])
    return meeting
