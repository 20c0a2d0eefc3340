"""What mentoring holds about a person, for the privacy registry's export and erasure."""

from mentoring.models import Booking, CoachProfile


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
    }


def erase_mentoring(user) -> None:
    """Their coach profile and every session they booked or gave go with them."""
    Booking.objects.involving(user).delete()
    CoachProfile.objects.filter(user=user).delete()
