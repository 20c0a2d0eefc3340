"""What the members' circle page shows: the vote or the next meeting, the members, the notes."""

from dataclasses import dataclass

from circles.models import Attendance, Circle, CircleMember, Meeting, MeetingVote
from circles.services import scheduling
from circles.services.attendance import last_meeting, next_meeting
from circles.services.circle_members import accepted_members, may_schedule
from circles.services.visibility import shown_name
from community.meetings import came, rsvp_counts
from community.models import User

UPCOMING = 4


@dataclass(frozen=True)
class ShownMember:
    pk: int
    name: str
    company: str
    pronouns: str
    facilitates: bool


def _shown(member: CircleMember, *, viewer: CircleMember | None, circle: Circle) -> ShownMember:
    directory = getattr(member.signup.user, "member", None) if member.signup.user else None
    hides_company = directory is not None and not directory.show_company
    return ShownMember(
        pk=member.pk,
        name=shown_name(member, viewer=viewer),
        company="" if hides_company else member.signup.company,
        pronouns=member.signup.pronouns or (directory.pronouns if directory else ""),
        facilitates=member.pk == circle.facilitator_id,
    )


def _rsvps(meeting: Meeting | None) -> dict[str, int]:
    return rsvp_counts(meeting and meeting.attendance.all(), Attendance.Rsvp.values)


def circle_page(circle: Circle, *, user: User, membership: CircleMember | None) -> dict:
    members = [_shown(m, viewer=membership, circle=circle) for m in accepted_members(circle)]
    upcoming, last = next_meeting(circle), last_meeting(circle)
    mine = {}
    if membership and upcoming:
        mine = {a.meeting_id: a.rsvp for a in membership.attendance.filter(meeting=upcoming)}
    return {
        "circle": circle,
        "membership": membership,
        "members": members,
        "may_schedule": may_schedule(circle, user),
        "deciding": circle.first_meeting_at is None and not circle.series_cancelled_at,
        "candidates": scheduling.tally(circle),
        "my_votes": _my_votes(circle, membership),
        "next": upcoming,
        "my_rsvp": mine.get(upcoming.pk, "") if upcoming else "",
        "rsvps": _rsvps(upcoming),
        "last": last,
        "present": _present(last),
        "later": _later(circle, upcoming),
    }


def _my_votes(circle: Circle, membership: CircleMember | None) -> set[int]:
    if membership is None:
        return set()
    votes = MeetingVote.objects.filter(member=membership, candidate__circle=circle, can_attend=True)
    return set(votes.values_list("candidate_id", flat=True))


def _present(meeting: Meeting | None) -> set[int]:
    return came(meeting and meeting.attendance.all(), who="member_id")


def _later(circle: Circle, upcoming: Meeting | None) -> list[Meeting]:
    if upcoming is None:
        return []
    later = circle.meetings.filter(status=Meeting.Status.PLANNED, starts_at__gt=upcoming.starts_at)
    return list(later.order_by("starts_at")[:UPCOMING])
