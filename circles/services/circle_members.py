"""Who a circle's members are to write to: their address, their account and their timezone."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import QuerySet

from circles.models import Circle, CircleMember
from community.models import User


def accepted_members(circle: Circle) -> QuerySet[CircleMember]:
    """The members who said yes: they see the circle page and get its calendar."""
    return circle.members.filter(status=CircleMember.Status.ACCEPTED).select_related(
        "signup__user__member"
    )


def membership_of(circle: Circle, user: User) -> CircleMember | None:
    """The user's place in the circle, if they accepted it."""
    if not user.is_authenticated:
        return None
    return accepted_members(circle).filter(signup__user=user).first()


def member_email(member: CircleMember) -> str:
    user = member.signup.user
    return user.email if user else member.signup.email


def member_zone(member: CircleMember, *, fallback: str = "UTC") -> ZoneInfo:
    """Their account's timezone, else their sign-up's, else `fallback`."""
    user = member.signup.user
    for name in (user.timezone if user else "", member.signup.timezone, fallback):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def may_schedule(circle: Circle, user: User) -> bool:
    """Organizers and the circle's facilitator pick times, cancel meetings and record who came."""
    if user.is_organizer:
        return True
    facilitator = circle.facilitator
    return bool(facilitator and facilitator.signup.user_id == user.pk and facilitator.is_current)
