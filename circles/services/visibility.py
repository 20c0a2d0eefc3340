"""What members of a circle see of each other, and the person behind a sign-up.

Before someone consents, the others in their circle see only their initials, company (unless they
hid it in the directory) and pronouns. Their full name is shown once they have accepted and
consented to share it, and only to members who have accepted too: an invitation discloses nothing
beyond initials, company and pronouns.
"""

from circles.models import CircleMember, SignUp
from community.models import Member, User
from community.models.members import initials

DEFAULT_TIMEZONE = "UTC"


def person_user(signup: SignUp) -> User | None:
    """The account of the person who signed up: theirs, or the one with an imported sign-up's email."""
    if signup.user_id:
        return signup.user
    if not signup.email:
        return None
    return User.objects.filter(email__iexact=signup.email).select_related("member").first()


def directory_member(signup: SignUp) -> Member | None:
    user = person_user(signup)
    return getattr(user, "member", None) if user is not None else None


def person_timezone(signup: SignUp) -> str:
    """Where their times are shown: their account's timezone, else the one they signed up with."""
    user = signup.user if signup.user_id else None
    return (user.timezone if user else "") or signup.timezone or DEFAULT_TIMEZONE


def sees_full_names(viewer: CircleMember | None, member: CircleMember) -> bool:
    """Whether `viewer` is someone who may read the names shared in this member's circle."""
    if viewer is None or viewer.circle_id != member.circle_id:
        return False
    return viewer.status == CircleMember.Status.ACCEPTED


def shown_name(member: CircleMember, *, viewer: CircleMember | None) -> str:
    """Their full name once they consented (to members who accepted), else their initials."""
    if viewer is not None and viewer.pk == member.pk:
        return member.signup.name
    if member.consented_at and sees_full_names(viewer, member):
        return member.signup.name
    return initials(member.signup.name)


def shown_company(member: CircleMember) -> str:
    """Their company, unless they chose to hide it in the member directory."""
    profile = directory_member(member.signup)
    if profile is not None and not profile.show_company:
        return ""
    return member.signup.company or (profile.company if profile else "")


def shown_pronouns(member: CircleMember) -> str:
    profile = directory_member(member.signup)
    return member.signup.pronouns or (profile.pronouns if profile else "")
