"""What an invitation page shows its person, in their own timezone."""

from datetime import timedelta

from django.utils import timezone

from circles.models import CircleMember
from circles.services.invitation_answers import has_slack_seat
from circles.services.invitations import first_meeting_at
from circles.services.visibility import (
    person_timezone,
    shown_company,
    shown_name,
    shown_pronouns,
)

Status = CircleMember.Status


def others_in_circle(member: CircleMember) -> list[dict]:
    """The circle's other current members as this person may see them."""
    others = (
        member.circle.members.filter(status__in=CircleMember.CURRENT)
        .exclude(pk=member.pk)
        .select_related("signup__user__member")
        .order_by("signup__name", "pk")
    )
    return [
        {
            "name": shown_name(other, viewer=member),
            "company": shown_company(other),
            "pronouns": shown_pronouns(other),
            "accepted": other.status == Status.ACCEPTED,
        }
        for other in others
    ]


def invitation_page(member: CircleMember) -> dict:
    circle, now = member.circle, timezone.now()
    starts = first_meeting_at(circle)
    is_open = member.status == Status.INVITED and (member.respond_by or now) > now
    return {
        "member": member,
        "circle": circle,
        "round": circle.round,
        "timezone_name": person_timezone(member.signup),
        "first_meeting_at": starts,
        "first_meeting_ends_at": starts + timedelta(minutes=circle.round.meeting_minutes)
        if starts
        else None,
        "others": others_in_circle(member),
        "has_slack_seat": has_slack_seat(member),
        "is_open": is_open,
        "missed_deadline": member.status == Status.EXPIRED
        or (member.status == Status.INVITED and not is_open),
    }
