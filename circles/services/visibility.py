"""What members of a circle see of each other."""

from circles.models import CircleMember
from community.models.members import initials


def shown_name(member: CircleMember, *, viewer: CircleMember | None) -> str:
    """The full name once they consented to share it with the circle, else their initials."""
    name = member.signup.name
    return name if member.consented_at or member == viewer else initials(name)
