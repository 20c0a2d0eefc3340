"""What mentoring holds about a person, for the privacy registry's export and erasure."""

from community.services import slack_state
from mentoring.models import (
    ActionItem,
    Assessment,
    Booking,
    BookingPause,
    CoachProfile,
    GroupMembership,
    GroupSession,
    MentorAssignment,
    MentoringGroup,
    Review,
    SessionNote,
)
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
        "intake_question": booking.intake_question,
        "intake_answer": booking.intake_answer,
        "change_reason": booking.change_reason,
    }


def _assessment(assessment: Assessment) -> dict:
    review = getattr(assessment, "review", None)
    return {
        "started_at": assessment.created_at.isoformat(),
        "framework_version": assessment.version.number,
        "direction": assessment.direction.name,
        "status": assessment.status,
        "scores": [
            {"skill": s.skill.text, "score": s.score, "example": s.example}
            for s in assessment.scores.all()
        ],
        "review": _review(review) if review else None,
    }


def _review(review: Review) -> dict:
    return {
        "mentor": str(review.mentor) if review.mentor else None,
        "status": review.status,
        "agreed_at": review.agreed_at.isoformat() if review.agreed_at else None,
        "progress": str(review.agreed_progress) if review.agreed_progress is not None else None,
        "levels": review.agreed_levels,
        "adjustments": [
            {"skill": a.skill.text, "score": a.score, "comment": a.comment}
            for a in review.adjustments.all()
        ],
    }


def _career(user) -> dict:
    assessments = (
        Assessment.objects.filter(member=user)
        .select_related("version", "direction", "review__mentor")
        .prefetch_related("scores__skill", "review__adjustments__skill")
    )
    given = Review.objects.filter(mentor=user).select_related("assessment__member")
    return {
        "assessments": [_assessment(assessment) for assessment in assessments],
        "mentors_assigned": [
            str(a.coach) for a in user.mentor_assignments.select_related("coach__user")
        ],
        # As a mentor: whose assessments they reviewed, and the comments they wrote.
        "reviews_given": [
            {
                "member": str(review.assessment.member),
                "comments": [a.comment for a in review.adjustments.all()],
            }
            for review in given.prefetch_related("adjustments")
        ],
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
        "accepting_bookings": profile.accepting_bookings,
        "settings": {
            "buffer_before_minutes": profile.buffer_before_minutes,
            "buffer_after_minutes": profile.buffer_after_minutes,
            "notice_hours": profile.notice_hours,
            "horizon_days": profile.horizon_days,
            "max_per_day": profile.max_per_day,
            "max_per_week": profile.max_per_week,
        },
        # The availability they keep, in their own timezone's wall-clock time.
        "weekly_windows": [
            {
                "weekday": rule.get_weekday_display(),
                "from": f"{rule.starts_at:%H:%M}",
                "until": f"{rule.ends_at:%H:%M}",
            }
            for rule in profile.availability_rules.all()
        ],
        "dates": [
            {
                "day": exception.day.isoformat(),
                "kind": exception.get_kind_display(),
                "from": f"{exception.starts_at:%H:%M}" if exception.starts_at else None,
                "until": f"{exception.ends_at:%H:%M}" if exception.ends_at else None,
            }
            for exception in profile.availability_exceptions.all()
        ],
        "mentorship_days": [
            {
                "title": day.title,
                "day": day.day.isoformat(),
                "from": f"{day.starts_at:%H:%M}",
                "until": f"{day.ends_at:%H:%M}",
                "cancelled": day.is_cancelled,
            }
            for day in profile.days.all()
        ],
    }


def export_mentoring(user) -> dict:
    bookings = Booking.objects.involving(user).select_related("coach__user", "member", "topic")
    notes = SessionNote.objects.filter(author=user).select_related("booking")
    items = ActionItem.objects.filter(booking__in=Booking.objects.involving(user))
    items = items.select_related("booking")
    pause = BookingPause.objects.filter(member=user).first()
    return {
        "coach_profile": _coach_profile(user),
        "bookings": [_booking(booking) for booking in bookings],
        "your_private_notes": [
            {"session_starts_at": note.booking.starts_at.isoformat(), "text": note.text}
            for note in notes
        ],
        "action_items": [
            {
                "session": item.booking_id,
                "session_starts_at": item.booking.starts_at.isoformat(),
                "text": item.text,
                "added_at": item.created_at.isoformat(),
                "done_at": item.done_at.isoformat() if item.done_at else None,
            }
            for item in items
        ],
        "bookings_paused": {"since": pause.created_at.isoformat(), "reason": pause.reason}
        if pause
        else None,
        "career_framework": _career(user),
        **_groups(user),
    }


def erase_mentoring(user) -> None:
    """Their coach profile (with the groups they lead and its mentorship days), every session they
    booked or gave (notes and action items too), their place in groups (requests, notes to the
    coach, RSVPs, attendance), and their own assessments and reviews go with them. The other side of
    each upcoming session is told it will not take place. Shared group notes stay with the group;
    reviews they gave as a mentor stay in the member's record, without their name."""
    upcoming = Booking.objects.involving(user).upcoming().select_related("coach__user", "member")
    for booking in upcoming:
        tell_other_side_of_closed_account(booking, leaving=user)
    Assessment.objects.filter(member=user).delete()
    Review.objects.filter(mentor=user).update(mentor=None)
    MentorAssignment.objects.filter(member=user).delete()
    GroupMembership.objects.filter(user=user).delete()
    for group in MentoringGroup.objects.filter(coach__user=user, slack_channel__isnull=False):
        slack_state.request_archive(group.slack_channel)  # the group goes with its coach
    Booking.objects.involving(user).delete()
    CoachProfile.objects.filter(user=user).delete()
    BookingPause.objects.filter(member=user).delete()
