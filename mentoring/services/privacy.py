"""What mentoring holds about a person, for the privacy registry's export and erasure."""

from community.services import slack_state
from mentoring.models import Booking, CoachProfile, GroupMembership, GroupSession, MentoringGroup


def _booking(booking: Booking) -> dict:
    return {
        "coach": str(booking.coach),
        "member": str(booking.member),
        "starts_at": booking.starts_at.isoformat(),
        "ends_at": booking.ends_at.isoformat(),
        "status": booking.status,
        "topic": booking.topic.name if booking.topic else None,
        "what_to_talk_about": booking.agenda,
        "intake_answer": booking.intake_answer,
        "change_reason": booking.change_reason,
    }


def _membership(membership: GroupMembership) -> dict:
    return {
        "group": membership.group.topic,
        "coach": str(membership.group.coach),
        "status": membership.status,
        "note_to_the_coach": membership.note,
        "requested_at": membership.requested_at.isoformat(),
        "consented_at": membership.consented_at.isoformat() if membership.consented_at else None,
        "decline_reason": membership.decline_reason,
        "sessions": [
            {
                "starts_at": a.session.starts_at.isoformat(),
                "rsvp": a.rsvp,
                "attended": a.attended,
            }
            for a in membership.attendance.all()
        ],
    }


def _groups(user) -> dict:
    memberships = GroupMembership.objects.filter(user=user).select_related("group__coach__user")
    led = MentoringGroup.objects.filter(coach__user=user)
    notes = GroupSession.objects.filter(note_updated_by=user).select_related("group")
    return {
        "group_memberships": [
            _membership(m) for m in memberships.prefetch_related("attendance__session")
        ],
        "groups_led": [
            {"topic": g.topic, "description": g.description, "opened": g.created_at.isoformat()}
            for g in led
        ],
        "group_notes_last_edited": [
            {"group": s.group.topic, "session": s.starts_at.isoformat(), "note": s.note}
            for s in notes
        ],
    }


def export_mentoring(user) -> dict:
    profile = CoachProfile.objects.filter(user=user).prefetch_related("topics").first()
    bookings = Booking.objects.involving(user).select_related("coach__user", "member", "topic")
    return {
        "coach_profile": {
            "bio": profile.bio,
            "topics": [topic.name for topic in profile.topics.all()],
            "languages": profile.language_list,
            "session_lengths": profile.session_lengths,
            "intake_question": profile.intake_question,
        }
        if profile
        else None,
        "bookings": [_booking(booking) for booking in bookings],
        **_groups(user),
    }


def erase_mentoring(user) -> None:
    """Their coach profile (with the groups they lead), every session they booked or gave, and
    their place in groups (requests, notes to the coach, RSVPs, attendance) go with them; shared
    session notes stay with the group, no longer naming them as the last editor."""
    GroupMembership.objects.filter(user=user).delete()
    for group in MentoringGroup.objects.filter(coach__user=user, slack_channel__isnull=False):
        slack_state.request_archive(group.slack_channel)  # the group goes with its coach
    Booking.objects.involving(user).delete()
    CoachProfile.objects.filter(user=user).delete()
