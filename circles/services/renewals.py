"""Asking a circle's members, about six months in, whether to carry on.

Each accepted member gets one email with two signed links (yes, no). A link names its member and
answer, expires, and records the answer once: a second click shows the recorded answer.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from circles.models import Circle, CircleMember, ReviewEvent
from community.models import User
from community.services.emails import queue_email

RENEWAL_AFTER = timedelta(days=182)
LINK_VALID_FOR = timedelta(days=30)
SALT = "circles.renewal"
Renewal = CircleMember.Renewal


def renewal_token(member: CircleMember, answer: str) -> str:
    return signing.dumps({"member": member.pk, "answer": answer}, salt=SALT, compress=True)


def renewal_url(member: CircleMember, answer: str) -> str:
    path = reverse("circles:renewal_answer", args=[renewal_token(member, answer)])
    return f"{settings.SITE_URL}{path}"


def _accepted(circle: Circle):
    return circle.members.filter(status=CircleMember.Status.ACCEPTED).select_related("signup__user")


@transaction.atomic
def ask_renewal(circle: Circle, *, by: User | None, now: datetime | None = None) -> int:
    """Email each accepted member the question, once per circle; returns how many were asked."""
    now = now or timezone.now()
    claimed = Circle.objects.filter(
        pk=circle.pk, status=Circle.Status.ACTIVE, renewal_asked_at__isnull=True
    ).update(renewal_asked_at=now)
    if not claimed:
        circle.refresh_from_db(fields=["status", "renewal_asked_at"])
        if circle.renewal_asked_at:
            raise ValidationError(
                f"{circle}'s members were already asked on {circle.renewal_asked_at:%d %b %Y}."
            )
        raise ValidationError(f"{circle} is not meeting, so there is nothing to renew.")
    members = list(_accepted(circle))
    for member in members:
        _email(circle, member, answer_by=now + LINK_VALID_FOR)
    ReviewEvent.objects.create(
        round_id=circle.round_id,
        actor=by,
        action="circle.renewal_asked",
        details={"circle": circle.pk, "number": circle.number, "asked": len(members)},
    )
    return len(members)


def _email(circle: Circle, member: CircleMember, *, answer_by: datetime) -> None:
    signup = member.signup
    queue_email(
        to=signup.email,
        template="circle_renewal",
        context={
            "name": signup.name,
            "circle": circle,
            "yes_url": renewal_url(member, Renewal.YES),
            "no_url": renewal_url(member, Renewal.NO),
            "answer_by": answer_by,
        },
        key=f"circles-renewal:{circle.pk}:{member.pk}",
        user=signup.user,
    )


def circles_due_for_renewal(*, now: datetime | None = None):
    """Active circles six months past their first meeting whose members were not asked yet."""
    now = now or timezone.now()
    started = Coalesce("first_meeting_at", "activated_at")
    return (
        Circle.objects.filter(status=Circle.Status.ACTIVE, renewal_asked_at__isnull=True)
        .alias(started=started)
        .filter(started__lte=now - RENEWAL_AFTER)
        .order_by("pk")
    )


def ask_due_renewals(*, now: datetime | None = None) -> int:
    """Ask every circle that is due (the beat runs this); returns how many circles were asked."""
    asked = 0
    for circle in circles_due_for_renewal(now=now):
        try:
            ask_renewal(circle, by=None, now=now)
        except ValidationError:
            continue  # asked meanwhile by an organizer, or ended
        asked += 1
    return asked


def read_renewal_token(token: str) -> tuple[CircleMember, str]:
    """The member and answer a link stands for; a ValidationError saying why it cannot be used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_VALID_FOR)
    except signing.SignatureExpired as error:
        raise ValidationError(
            "This link has expired. Ask your circle's organizer if you still want to answer."
        ) from error
    except signing.BadSignature as error:
        raise ValidationError("This link is not valid: it may have been cut or changed.") from error
    answer = data.get("answer")
    member = (
        CircleMember.objects.select_related("circle", "signup")
        .filter(pk=data.get("member"))
        .first()
    )
    if member is None or answer not in Renewal.values:
        raise ValidationError("This link is not valid any more.")
    if member.status != CircleMember.Status.ACCEPTED or member.circle.renewal_asked_at is None:
        raise ValidationError(f"You are no longer a member of {member.circle}.")
    return member, answer


@transaction.atomic
def record_renewal(member: CircleMember, *, answer: str) -> bool:
    """Record the member's answer; False (and nothing changed) when they had answered already."""
    recorded = CircleMember.objects.filter(pk=member.pk, renewal="").update(
        renewal=answer, updated_at=timezone.now()
    )
    member.refresh_from_db(fields=["renewal"])
    if recorded:
        ReviewEvent.objects.create(
            round_id=member.circle.round_id,
            actor=member.signup.user,
            action="circle.renewal_answered",
            details={"circle": member.circle_id, "member": member.pk, "answer": answer},
        )
    return bool(recorded)


@dataclass
class RenewalAnswers:
    asked_at: datetime | None
    yes: list[CircleMember] = field(default_factory=list)
    no: list[CircleMember] = field(default_factory=list)
    waiting: list[CircleMember] = field(default_factory=list)


def renewal_answers(circle: Circle) -> RenewalAnswers:
    """What the accepted members answered, for the organizer (one query)."""
    answers = RenewalAnswers(asked_at=circle.renewal_asked_at)
    members = circle.members.filter(
        Q(status=CircleMember.Status.ACCEPTED) | ~Q(renewal="")
    ).select_related("signup")
    for member in members.order_by("signup__name", "pk"):
        {Renewal.YES: answers.yes, Renewal.NO: answers.no}.get(
            member.renewal, answers.waiting
        ).append(member)
    return answers
