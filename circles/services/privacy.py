"""What circles holds about a person, for the privacy registry's export and erasure."""

from django.db.models import Q

from circles.models import Circle, ImportBatch, SignUp
from community.models import Email


def _signups_of(user):
    """Their own sign-ups, and imported ones made with their email address."""
    return SignUp.objects.filter(Q(user=user) | Q(user__isnull=True, email__iexact=user.email))


def export_circles(user) -> dict:
    signups = (
        _signups_of(user)
        .select_related("round")
        .prefetch_related(
            "circle_memberships__circle",
            "circle_memberships__votes__candidate",
            "circle_memberships__attendance__meeting",
        )
    )
    return {
        "sign_ups": [
            {
                "round": signup.round.name,
                "source": signup.source,
                "status": signup.status,
                "signed_up_at": signup.created_at.isoformat(),
                "answers": signup.raw,
                "topics": signup.topics,
                "cleaned": {
                    "format": signup.format,
                    "meeting_place": signup.place_name,
                    "city": signup.place_city,
                    "timezone": signup.timezone,
                    "available_utc_half_hours": signup.slots,
                    "company": signup.company_key,
                    "gender": signup.gender,
                    "underrepresented": signup.underrepresented,
                },
                "waitlist_reason": signup.waitlist_reason,
                "circles": [_membership(member) for member in signup.circle_memberships.all()],
            }
            for signup in signups
        ],
        "proposed_circles": [
            {"round": circle.round.name, "circle": str(circle), "topic": circle.topic}
            for circle in Circle.objects.filter(proposed_by=user).select_related("round")
        ],
    }


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def _membership(member) -> dict:
    """Their place in a circle, their votes on its meeting time and their answers for meetings.
    (Erasing their sign-ups removes these too; the shared notes they edited belong to the circle.)
    """
    return {
        "circle": str(member.circle),
        "status": member.status,
        "invited_at": _when(member.invited_at),
        "answer_by": _when(member.respond_by),
        "reminded_at": _when(member.reminded_at),
        "answered_at": _when(member.responded_at),
        "consented_to_share_name_and_join_channel_at": _when(member.consented_at),
        "left_at": _when(member.left_at),
        "took_the_place_of_someone": member.replaces_id is not None,
        "renewal": member.renewal,
        "meeting_time_votes": [
            {"time": vote.candidate.starts_at.isoformat(), "can_attend": vote.can_attend}
            for vote in member.votes.all()
        ],
        "meetings": [
            {
                "time": answer.meeting.starts_at.isoformat(),
                "rsvp": answer.rsvp,
                "attended": answer.attended,
            }
            for answer in member.attendance.all()
        ],
    }


def erase_circles(user) -> None:
    """Delete their sign-ups (their circle places go with them; circles keep the others), and
    their rows in imports not yet applied."""
    _signups_of(user).delete()
    # Invitations sent to an imported sign-up before the person had an account.
    Email.objects.filter(
        user__isnull=True, to__iexact=user.email, key__startswith="circle"
    ).delete()
    email = user.email.casefold()

    def theirs(row: dict) -> bool:
        return any(
            isinstance(value, str) and value.strip().casefold() == email for value in row.values()
        )

    for batch in ImportBatch.objects.select_for_update().filter(status=ImportBatch.Status.PENDING):
        rows = [row for row in batch.rows if not theirs(row)]
        if len(rows) != len(batch.rows):
            batch.rows, batch.row_count = rows, len(rows)
            batch.preview = [
                row for row in batch.preview if row.get("email", "").casefold() != email
            ]
            batch.save(update_fields=["rows", "row_count", "preview"])
