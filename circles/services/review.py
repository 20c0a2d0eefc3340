"""The organizer's adjustments to a round's proposed circles, each recorded as a ReviewEvent.

Moves, locks and the waitlist carried over to the next round. Nothing here sends anything to
anyone: invitations are a later, separate step. While a composition is under way every change is
refused, so its result never overwrites one.

Locking a person keeps them where they are when the round is composed again: on the waitlist, or in
their circle (same number), whose other seats composition fills anew around the locked people with
every rule intact. Locking a whole circle keeps it exactly as it is, and stops changes by hand until
it is unlocked. A person moved by hand is locked where they were put, so the next re-run does not
undo the move.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from circles import domain
from circles.models import Circle, CircleMember, CompositionRun, ReviewEvent, Round, SignUp
from community.models import User

MOVED_TO_WAITLIST = "Moved to the waitlist by an organizer."


def record(round: Round, *, actor: User | None, action: str, **details) -> ReviewEvent:
    return ReviewEvent.objects.create(round=round, actor=actor, action=action, details=details)


def current_members() -> QuerySet:
    return CircleMember.objects.filter(status__in=CircleMember.CURRENT)


def _has_locked_member():
    return Exists(current_members().filter(circle=OuterRef("pk"), locked=True))


def kept_circles(round: Round) -> QuerySet:
    """Circles a re-run keeps exactly: locked, or past the proposal."""
    return round.circles.filter(Q(locked=True) | ~Q(status=Circle.Status.PROPOSED)).exclude(
        status__in=[Circle.Status.ENDED, Circle.Status.DISSOLVED]
    )


def pinning_circles(round: Round) -> QuerySet:
    """Proposed circles, not locked whole, holding locked people: a re-run refills the rest."""
    return round.circles.filter(status=Circle.Status.PROPOSED, locked=False).filter(
        _has_locked_member()
    )


def replaceable_circles(round: Round) -> QuerySet:
    return round.circles.filter(status=Circle.Status.PROPOSED, locked=False).exclude(
        _has_locked_member()
    )


def locked_circles(round: Round) -> list[domain.Circle]:
    circles = []
    for circle in kept_circles(round).prefetch_related("members"):
        members = [str(m.signup_id) for m in circle.members.all() if m.is_current]
        if members:
            kept = circle.to_domain(members)
            kept.locked = True
            circles.append(kept)
    return circles


def pinned_circles(round: Round) -> list[domain.Circle]:
    """The pinning circles as composition takes them: only their locked people, and their row."""
    circles = []
    for circle in pinning_circles(round).prefetch_related("members"):
        members = [str(m.signup_id) for m in circle.members.all() if m.is_current and m.locked]
        pinned = circle.to_domain(members)
        pinned.ref = str(circle.pk)
        circles.append(pinned)
    return circles


def held_back_ids(round: Round) -> list[str]:
    """People the organizer locked on the waitlist: composition leaves them unplaced."""
    waiting = round.signups.on_waitlist().filter(locked_on_waitlist=True)
    return [str(pk) for pk in waiting.values_list("pk", flat=True)]


def _refuse_while_composing(round: Round) -> None:
    if round.composition_runs.filter(status__in=CompositionRun.IN_PROGRESS).exists():
        raise ValidationError(
            "A composition of this round is under way: wait for it to finish, or cancel it, "
            "before changing circles by hand."
        )


def _locked_round(round: Round) -> Round:
    round = Round.objects.select_for_update().get(pk=round.pk)
    _refuse_while_composing(round)
    return round


def _membership(signup: SignUp) -> CircleMember | None:
    return current_members().filter(signup=signup).select_related("circle").first()


def _check_signup(round: Round, signup: SignUp) -> None:
    if signup.round_id != round.pk or signup.status != SignUp.Status.ACTIVE:
        raise ValidationError("This person has no sign-up to this round.")


def _check_editable(round: Round, circle: Circle) -> None:
    if circle.round_id != round.pk:
        raise ValidationError("This circle belongs to another round.")
    if circle.status != Circle.Status.PROPOSED:
        raise ValidationError(f"{circle} is no longer a proposal and cannot be changed here.")
    if circle.locked:
        raise ValidationError(f"{circle} is locked: unlock it first to change its people.")


@transaction.atomic
def move_person(round: Round, *, signup: SignUp, to: Circle | None, by: User) -> None:
    """Move a person into `to`, or to the waitlist when `to` is None; they are locked there."""
    round = _locked_round(round)
    _check_signup(round, signup)
    membership = _membership(signup)
    origin = membership.circle if membership else None
    if to is not None:
        _check_editable(round, to)
    if origin is not None:
        _check_editable(round, origin)
    if origin == to:
        raise ValidationError(
            f"{signup} is already {'in ' + str(to) if to else 'on the waitlist'}."
        )
    if to is not None and _size(to) >= round.max_size:
        raise ValidationError(f"{to} already has {round.max_size} people, the most a circle may.")
    if membership is not None:
        membership.delete()  # a proposal only; the event below keeps the history
    if to is None:
        SignUp.objects.filter(pk=signup.pk).update(
            waitlist_reason=MOVED_TO_WAITLIST, locked_on_waitlist=True
        )
    else:
        CircleMember.objects.create(circle=to, signup=signup, locked=True)
        SignUp.objects.filter(pk=signup.pk).update(waitlist_reason="", locked_on_waitlist=False)
    for circle in filter(None, (origin, to)):
        refresh_circle(circle, rules=round.rules())
    record(
        round,
        actor=by,
        action="member.moved",
        signup=signup.pk,
        from_circle=origin.pk if origin else None,
        from_number=origin.number if origin else None,
        to_circle=to.pk if to else None,
        to_number=to.number if to else None,
    )


def _size(circle: Circle) -> int:
    return current_members().filter(circle=circle).count()


@transaction.atomic
def set_person_lock(round: Round, *, signup: SignUp, locked: bool, by: User) -> None:
    """Keep a person where they are (their circle, or the waitlist) when composing again."""
    round = _locked_round(round)
    _check_signup(round, signup)
    membership = _membership(signup)
    if membership is not None:
        _check_editable(round, membership.circle)
        CircleMember.objects.filter(pk=membership.pk).update(locked=locked)
    else:
        SignUp.objects.filter(pk=signup.pk).update(locked_on_waitlist=locked)
    record(
        round,
        actor=by,
        action="member.locked" if locked else "member.unlocked",
        signup=signup.pk,
        circle=membership.circle_id if membership else None,
    )


@transaction.atomic
def set_circle_lock(round: Round, *, circle: Circle, locked: bool, by: User) -> None:
    """Keep a whole circle exactly as it is, through re-runs and against changes by hand."""
    round = _locked_round(round)
    if circle.round_id != round.pk or circle.status != Circle.Status.PROPOSED:
        raise ValidationError("Only a proposed circle of this round can be locked or unlocked.")
    if circle.locked == locked:
        raise ValidationError(f"{circle} is already {'locked' if locked else 'unlocked'}.")
    Circle.objects.filter(pk=circle.pk).update(locked=locked)
    action = "circle.locked" if locked else "circle.unlocked"
    record(round, actor=by, action=action, circle=circle.pk, number=circle.number)


def refresh_circle(circle: Circle, *, rules: domain.Rules) -> None:
    """After a change by hand: the common window and the explanation follow the new members."""
    from circles.composition import describe_circle

    members = [
        m.signup.to_domain()
        for m in current_members().filter(circle=circle).select_related("signup")
    ]
    window = set.intersection(*(set(m.slots) for m in members)) if members else set()
    circle.window = sorted(window)
    shape = circle.to_domain([m.id for m in members])
    try:
        circle.explanation = list(describe_circle(members, shape)) if members else []
    except Exception:  # an invalid circle may not be describable; its violations say why
        circle.explanation = []
    circle.save(update_fields=["window", "explanation", "updated_at"])


def circle_problems(members: list[domain.SignUp], circle: Circle, rules: domain.Rules) -> list[str]:
    """What makes a circle invalid, in plain words ([] when it is valid)."""
    from circles.composition import circle_violations

    return list(circle_violations(members, domain.Format(circle.format), rules))


COPIED_FIELDS = [
    field.name
    for field in SignUp._meta.concrete_fields
    if field.name
    not in {
        "id",
        "round",
        "status",
        "import_batch",
        "duplicate_of",
        "superseded_note",
        "waitlist_reason",
        "locked_on_waitlist",
        "carried_over_from",
        "created_at",
        "updated_at",
        "withdrawn_at",
    }
]


def _convert_times(signup: SignUp, *, first_meeting) -> None:
    """Weekly availability is wall-clock time: convert it again at the new round's first meeting,
    so a carry-over across a daylight-saving change keeps the person's own hours."""
    availability = (signup.raw or {}).get("availability")
    if not signup.timezone or not isinstance(availability, list):
        return
    from circles.cleaning import availability_slots
    from circles.services.review_page import utc_offset_minutes

    try:
        slots = availability_slots(availability, signup.timezone, first_meeting)
    except (ValueError, KeyError, TypeError):
        slots = frozenset()
    if not slots:  # answers cleaning cannot read again keep the slots they had
        return
    signup.slots = sorted(slots)
    signup.utc_offset_minutes = utc_offset_minutes(signup.timezone, first_meeting)


@transaction.atomic
def carry_over_waitlist(round: Round, *, to: Round, by: User | None) -> list[SignUp]:
    """Sign the round's waitlist up to the next round, each row pointing back at where it came from.

    People already signed up to the next round (same person, email or earlier carry-over) are left
    as they are, so carrying over twice adds nobody twice.
    """
    if to.pk == round.pk:
        raise ValidationError("Choose another round to carry the waitlist over to.")
    created = copy_signups(round.signups.on_waitlist(), to=to)
    record(round, actor=by, action="waitlist.carried_over", to_round=to.pk, people=len(created))
    record(to, actor=by, action="waitlist.received", from_round=round.pk, people=len(created))
    return created


def copy_signups(signups: QuerySet, *, to: Round) -> list[SignUp]:
    """Sign these people up to `to` (locked here), each pointing back at the sign-up it continues.

    People already signed up to `to` (same person, email or earlier carry-over) are left as they
    are, so carrying over twice adds nobody twice.
    """
    to = Round.objects.select_for_update().get(pk=to.pk)
    there = to.signups.all()
    taken_users = set(there.exclude(user=None).values_list("user_id", flat=True))
    taken_emails = {
        email.lower() for email in there.exclude(email="").values_list("email", flat=True)
    }
    taken_from = set(
        there.exclude(carried_over_from=None).values_list("carried_over_from", flat=True)
    )
    created = []
    for signup in signups.order_by("pk"):
        if (
            signup.pk in taken_from
            or (signup.user_id and signup.user_id in taken_users)
            or (signup.email and signup.email.lower() in taken_emails)
        ):
            continue
        copy = SignUp(round=to, carried_over_from=signup)
        for name in COPIED_FIELDS:
            setattr(copy, name, getattr(signup, name))
        _convert_times(copy, first_meeting=to.first_meeting)
        created.append(copy)
    return SignUp.objects.bulk_create(created)
