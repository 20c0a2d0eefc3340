"""Circles members propose themselves: open to join (or leave) in a round, and proposed once
they fill.

The round's rules apply to every join. While a circle is still forming, only the rules a later
join cannot fix are checked (time, place, format, timezones, company); its size, and the rule that
nobody is the lone member of a group, are checked on the join that fills it, since another joiner
could still make them right. A full circle becomes a proposed circle of its round like any other,
locked so composing again keeps it, and is invited the same way.
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.timezone import now

from circles import domain
from circles.composition import circle_violations
from circles.composition.validity import best_window, meeting_point
from circles.models import Circle, CircleMember, ReviewEvent, Round, SignUp
from circles.services.signups import find_member_signup
from community.models import User

SIZE_RULE, GROUP_RULE = "Size:", "Groups:"


def _locked_round(round: Round) -> Round:
    round = Round.objects.select_for_update().get(pk=round.pk)
    if not round.accepts_signups():
        raise ValidationError(
            "This round is closed: circles can be proposed and joined only while sign-ups are open."
        )
    return round


def _ready_signup(round: Round, user: User) -> SignUp:
    """Their active sign-up with availability, not yet in a circle of this round."""
    signup = find_member_signup(round, user)
    if signup is None or signup.status != SignUp.Status.ACTIVE or not signup.slots:
        raise ValidationError(
            "Sign up to this round first, with the times you could meet: a circle needs everyone's "
            "availability."
        )
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    placed = signup.circle_memberships.filter(status__in=CircleMember.CURRENT).first()
    if placed is not None:
        raise ValidationError(f"You are already in {placed.circle} of this round.")
    return signup


def check_joining(
    circle: Circle, members: list[domain.SignUp], joining: domain.SignUp, rules: domain.Rules
) -> list[str]:
    """The rules the circle would break with `joining` in it; [] when they may join.

    The messages are for the joiner, so they name nobody else: the others are "another member".
    """
    together = [
        *(dataclasses.replace(member, name="another member") for member in members),
        dataclasses.replace(joining, name="you"),
    ]
    fills = len(together) >= (circle.target_size or rules.min_size)
    problems = circle_violations(together, domain.Format(circle.format), rules)
    ignored = (SIZE_RULE,) if fills else (SIZE_RULE, GROUP_RULE)
    return [problem for problem in problems if not problem.startswith(ignored)]


def _check_proposal(round: Round, signup: SignUp, *, format: str, target_size: int) -> None:
    if format not in {f.value for f in round.formats()} or format == domain.Format.EITHER:
        raise ValidationError("Choose in person or video, among the formats this round offers.")
    if not round.min_size <= target_size <= round.max_size:
        raise ValidationError(
            f"A circle of this round has {round.min_size} to {round.max_size} people."
        )
    person = signup.to_domain()
    if format == domain.Format.IN_PERSON and (person.place is None or not person.accepts_in_person):
        raise ValidationError(
            "To propose an in-person circle, give a city and meeting area you can reach in your "
            "sign-up, and accept meeting in person."
        )
    if format == domain.Format.VIDEO and not person.accepts_video:
        raise ValidationError("Your sign-up says you meet only in person: propose that instead.")


@transaction.atomic
def propose_circle(
    round: Round, *, user: User, topic: str, format: str, timezone: str, target_size: int
) -> Circle:
    """A member opens a circle in the round for others to join; they are its first member."""
    round = _locked_round(round)
    signup = _ready_signup(round, user)
    _check_proposal(round, signup, format=format, target_size=target_size)
    circle = Circle(
        round=round,
        number=(round.circles.aggregate(last=Max("number"))["last"] or 0) + 1,
        status=Circle.Status.FORMING,
        format=format,
        proposed_by=user,
        topic=topic.strip(),
        target_size=target_size,
        timezone=timezone or signup.timezone,
        window=sorted(signup.slots),
    )
    if format == domain.Format.IN_PERSON:
        circle.set_place(signup.place)
    circle.save()
    CircleMember.objects.create(circle=circle, signup=signup)
    ReviewEvent.objects.create(
        round=round,
        actor=user,
        action="circle.proposed_by_member",
        details={"circle": circle.pk, "number": circle.number, "signup": signup.pk},
    )
    return circle


@transaction.atomic
def join_circle(circle: Circle, *, user: User) -> Circle:
    """Add the member to a forming circle if it keeps the round's rules; it becomes proposed,
    ready for invitations, when it reaches its size."""
    round = _locked_round(circle.round)
    circle = Circle.objects.select_for_update().get(pk=circle.pk)
    if circle.status != Circle.Status.FORMING:
        raise ValidationError(f"{circle} is full already: it is no longer open to join.")
    signup = _ready_signup(round, user)
    rules = round.rules()
    members = [m.signup.to_domain() for m in _current(circle)]
    problems = check_joining(circle, members, signup.to_domain(), rules)
    if problems:
        raise ValidationError(
            [f"You cannot join {circle}: it would break a rule of the round.", *problems]
        )
    CircleMember.objects.create(circle=circle, signup=signup)
    together = [*members, signup.to_domain()]
    _reshape(circle, together, rules)
    filled = len(together) >= circle.target_size
    if filled:
        circle.status, circle.locked = Circle.Status.PROPOSED, True
    circle.save()
    details = {"circle": circle.pk, "number": circle.number, "signup": signup.pk}
    ReviewEvent.objects.create(round=round, actor=user, action="circle.joined", details=details)
    if filled:
        ReviewEvent.objects.create(
            round=round,
            actor=None,
            action="circle.filled",
            details={**details, "size": len(together)},
        )
    return circle


@transaction.atomic
def leave_forming_circle(circle: Circle, *, user: User) -> Circle:
    """Leave a circle that has not filled yet. Nobody was invited, so the place is simply free
    again and the member stays on the round's waitlist, for composition and for backfills (a
    "left" row would keep them from both); a circle everyone left is dissolved."""
    Round.objects.select_for_update().get(pk=circle.round_id)
    circle = Circle.objects.select_for_update().select_related("round").get(pk=circle.pk)
    if circle.status != Circle.Status.FORMING:
        raise ValidationError(
            f"{circle} is full already: say no to its invitation, or leave it from its page."
        )
    signup = find_member_signup(circle.round, user)
    member = _current(circle).filter(signup=signup).first() if signup else None
    if member is None:
        raise ValidationError(f"You are not in {circle}.")
    member.delete()
    remaining = [m.signup.to_domain() for m in _current(circle)]
    if remaining:
        _reshape(circle, remaining, circle.round.rules())
    else:
        circle.status, circle.ended_at = Circle.Status.DISSOLVED, now()
        circle.end_reason = "Everyone who joined left before it filled."
    circle.save()
    details = {"circle": circle.pk, "number": circle.number, "signup": member.signup_id}
    ReviewEvent.objects.create(
        round=circle.round,
        actor=user,
        action="circle.left_forming",
        details={**details, "dissolved": not remaining},
    )
    return circle


def _current(circle: Circle) -> QuerySet:
    return circle.members.filter(status__in=CircleMember.CURRENT).select_related("signup")


def _reshape(circle: Circle, members: list[domain.SignUp], rules: domain.Rules) -> None:
    """The window everyone shares, and for in person the meeting point that suits them all."""
    relaxed = dataclasses.replace(rules, min_common_minutes=30)
    circle.window = sorted(best_window(members, relaxed))
    if circle.format == domain.Format.IN_PERSON:
        place, _ = meeting_point(members)
        circle.set_place(place)


def forming_circles(round: Round, *, signup: SignUp | None = None) -> list[Circle]:
    """The round's circles open to join, each with its size and whether `signup` is in it."""
    members = CircleMember.objects.filter(status__in=CircleMember.CURRENT)
    circles = list(
        round.circles.filter(status=Circle.Status.FORMING)
        .annotate(size=Count("members", filter=Q(members__status__in=CircleMember.CURRENT)))
        .prefetch_related(Prefetch("members", queryset=members, to_attr="current_members"))
        .order_by("number")
    )
    for circle in circles:
        circle.is_mine = signup is not None and any(
            member.signup_id == signup.pk for member in circle.current_members
        )
    return circles
