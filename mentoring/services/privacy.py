"""What mentoring holds about a person, for the privacy registry's export and erasure."""

from mentoring.models import ActionItem, Booking, BookingPause, CoachProfile, SessionNote
from mentoring.services.notifications import tell_other_side_of_closed_account


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


def _coach_profile(user) -> dict | None:
    profile = CoachProfile.objects.filter(user=user).prefetch_related("topics").first()
    if profile is None:
        return None
    return {
        "bio": profile.bio,
        "topics": [topic.name for topic in profile.topics.all()],
        "languages": profile.language_list,
        "session_lengths": profile.session_lengths,
        "intake_question": profile.intake_question,
        "mentorship_days": [
            {
                "day": day.day.isoformat(),
                "from": f"{day.starts_at:%H:%M}",
                "until": f"{day.ends_at:%H:%M}",
            }
            for day in profile.days.all()
        ],
    }


def export_mentoring(user) -> dict:
    bookings = Booking.objects.involving(user).select_related("coach__user", "member", "topic")
    notes = SessionNote.objects.filter(author=user).select_related("booking")
    items = ActionItem.objects.filter(booking__in=Booking.objects.involving(user))
    pause = BookingPause.objects.filter(member=user).first()
    return {
        "coach_profile": _coach_profile(user),
        "bookings": [_booking(booking) for booking in bookings],
        "your_private_notes": [
            {"session_starts_at": note.booking.starts_at.isoformat(), "text": note.text}
            for note in notes
        ],
        "action_items": [
            {"session": item.booking_id, "text": item.text, "added_at": item.created_at.isoformat()}
            for item in items
        ],
        "bookings_paused": {"since": pause.created_at.isoformat(), "reason": pause.reason}
        if pause
        else None,
    }


def erase_mentoring(user) -> None:
    """Their coach profile (with its mentorship days) and every session they booked or gave go
    with them (notes and action items too); the other side of each upcoming session is told it will not take place."""
    upcoming = Booking.objects.involving(user).upcoming().select_related("coach__user", "member")
    for booking in upcoming:
        tell_other_side_of_closed_account(booking, leaving=user)
    Booking.objects.involving(user).delete()
    CoachProfile.objects.filter(user=user).delete()
    BookingPause.objects.filter(member=user).delete()
