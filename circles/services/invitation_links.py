"""The signed link in an invitation email: bound to one person, readable for a while, never forged.

The link carries the member row's id and a digest of the address it was sent to, signed with the
site's secret (https://docs.djangoproject.com/en/5.2/topics/signing/). Changing any character, or
the sign-up's email, breaks it. It can be read for LINK_DAYS after it was made (to see the answer
given); decisions close earlier, at the invitation's deadline.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from circles.models import CircleMember, SignUp
from community.models import User

SALT = "circles.invitation"
LINK_DAYS = 90


@dataclass
class LinkRefused(Exception):
    """The link cannot be used, and why in words for the person who clicked it."""

    reason: str
    status: int


def _digest(signup: SignUp) -> str:
    return hashlib.sha256(f"{signup.pk}:{signup.email.casefold()}".encode()).hexdigest()[:20]


def invitation_token(member: CircleMember) -> str:
    return signing.dumps({"m": member.pk, "p": _digest(member.signup)}, salt=SALT)


def invitation_url(member: CircleMember) -> str:
    return settings.SITE_URL + reverse("circles:invitation", args=[invitation_token(member)])


def is_theirs(signup: SignUp, user: User) -> bool:
    """A signed-in visitor must be the person invited; signed out, the link itself is the proof."""
    if not user.is_authenticated:
        return True
    if signup.user_id:
        return signup.user_id == user.pk
    return bool(signup.email) and signup.email.casefold() == user.email.casefold()


def member_for_link(token: str, *, user: User) -> CircleMember:
    """The invitation this link opens for this visitor, or LinkRefused saying why not."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise LinkRefused("This invitation link has expired.", 410) from None
    except signing.BadSignature:
        raise LinkRefused(
            "This link is damaged: it does not match the one we sent. Copy it again from the "
            "email, all of it.",
            400,
        ) from None
    member = (
        CircleMember.objects.select_related("circle__round", "signup__user")
        .filter(pk=payload.get("m"))
        .first()
    )
    if member is None or _digest(member.signup) != payload.get("p"):
        raise LinkRefused("This invitation no longer exists.", 404)
    if not is_theirs(member.signup, user):
        raise LinkRefused(
            "This invitation is for someone else. Sign out if the invitation was sent to you "
            "under another address, then open the link again.",
            403,
        )
    return member
