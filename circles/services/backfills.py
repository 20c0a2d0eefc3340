"""Filling places vacated in a circle from the round's waitlist, each step a ReviewEvent.

A vacancy (a decline, a silence past the deadline, a departure) gets one open Backfill: the best
waitlisted person who keeps every rule (`circles.composition.backfill`), or NONE_FITS with why. An
organizer confirms it with one click, or it is confirmed at once when the round backfills
automatically; confirming adds the person to the circle and invites them. Every step locks the
round first, so two vacancies never propose the same person.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from circles import domain
from circles.composition.backfill import Pick, best_replacement, violations_with
from circles.models import Backfill, Circle, CircleMember, Round, SignUp
from circles.services import review
from circles.services.invitations import invite_member
from community.models import User

logger = logging.getLogger(__name__)
Status = Backfill.Status
OPEN = (Status.PROPOSED, Status.NONE_FITS)
FILLABLE = (Circle.Status.INVITING, Circle.Status.ACTIVE)
# Anyone whose place in a circle of the round already ended was asked once: not asked again.
ASKED = (*CircleMember.VACATED, CircleMember.Status.ENDED)


def _lock_round(round_id: int) -> Round:
    return Round.objects.select_for_update().get(pk=round_id)


def _vacancy(member: CircleMember) -> CircleMember:
    return CircleMember.objects.select_related("circle__round", "signup").get(pk=member.pk)


def waitlist_for(circle: Circle, *, besides: Backfill | None = None) -> QuerySet:
    """Who may take a place: on the waitlist, not held back, never asked, not proposed elsewhere
    (`besides` aside); those carried over from an earlier round first (they waited longest)."""
    round = circle.round
    asked = CircleMember.objects.filter(circle__round=round, status__in=ASKED).values("signup")
    proposed = Backfill.objects.filter(circle__round=round, status=Status.PROPOSED)
    if besides is not None:
        proposed = proposed.exclude(pk=besides.pk)
    return (
        round.signups.on_waitlist()
        .filter(locked_on_waitlist=False)
        .exclude(pk__in=asked)
        .exclude(pk__in=proposed.values("candidate"))
        .distinct()
        .order_by(F("carried_over_from").asc(nulls_last=True), "created_at", "pk")
    )


def circle_people(circle: Circle, *, besides: Backfill | None = None) -> list[SignUp]:
    """The circle's current members and the people already proposed for its other places."""
    members = review.current_members().filter(circle=circle).select_related("signup")
    people = [member.signup for member in members]
    others = circle.backfills.filter(status=Status.PROPOSED).select_related("candidate")
    if besides is not None:
        others = others.exclude(pk=besides.pk)
    return people + [backfill.candidate for backfill in others]


def pick_for(vacancy: CircleMember) -> Pick:
    circle = vacancy.circle
    if circle.status not in FILLABLE:
        return Pick(None, f"{circle} is {circle.get_status_display().lower()}: nobody joins it.")
    dismissed = vacancy.backfills.filter(status=Status.DISMISSED).values("candidate")
    people = circle_people(circle)
    waitlist = list(waitlist_for(circle).exclude(pk__in=dismissed))  # not who was turned down
    companies = {
        p.company_key: p.company for p in [*waitlist, *people] if p.company
    }  # theirs first
    return best_replacement(
        [p.to_domain() for p in people],
        [p.to_domain() for p in waitlist],
        domain.Format(circle.format),
        circle.round.rules(),
        companies=companies,
    )


def _create(vacancy: CircleMember, pick: Pick, *, by: User | None) -> Backfill:
    backfill = Backfill.objects.create(
        circle=vacancy.circle,
        vacancy=vacancy,
        candidate_id=int(pick.candidate) if pick.candidate else None,
        status=Status.PROPOSED if pick.candidate else Status.NONE_FITS,
        reason=pick.reason,
    )
    action = "backfill.proposed" if pick.candidate else "backfill.none_fits"
    _record(backfill, actor=by, action=action)
    if pick.candidate and vacancy.circle.round.auto_backfill:
        _confirm(backfill, by=None)
    return backfill


def _record(backfill: Backfill, *, actor: User | None, action: str, **details) -> None:
    review.record(
        backfill.circle.round,
        actor=actor,
        action=action,
        circle=backfill.circle_id,
        number=backfill.circle.number,
        backfill=backfill.pk,
        vacancy=backfill.vacancy_id,
        candidate=backfill.candidate_id,
        **details,
    )


@transaction.atomic
def open_vacancy(member: CircleMember) -> Backfill:
    """A member declined, never answered or left: propose who takes their place (once)."""
    vacancy = _vacancy(member)
    _lock_round(vacancy.circle.round_id)
    if vacancy.status not in CircleMember.VACATED:
        raise ValidationError(f"{vacancy.signup} still holds their place in {vacancy.circle}.")
    existing = vacancy.backfills.filter(Q(status__in=OPEN) | Q(status=Status.CONFIRMED)).first()
    if existing is not None:
        return existing
    return _create(vacancy, pick_for(vacancy), by=None)


def _confirm(backfill: Backfill, *, by: User | None) -> CircleMember:
    circle, candidate = backfill.circle, backfill.candidate
    if not waitlist_for(circle, besides=backfill).filter(pk=candidate.pk).exists():
        raise ValidationError(f"{candidate} is no longer on the waitlist: look again.")
    people = [p.to_domain() for p in circle_people(circle, besides=backfill)]
    rules, format = circle.round.rules(), domain.Format(circle.format)
    if violations_with(people, candidate.to_domain(), format, rules):
        raise ValidationError(f"{candidate} no longer keeps every rule of {circle}: look again.")
    member = CircleMember.objects.create(circle=circle, signup=candidate, replaces=backfill.vacancy)
    invite_member(member, by=by)
    Backfill.objects.filter(pk=backfill.pk).update(
        status=Status.CONFIRMED, decided_by=by, decided_at=timezone.now()
    )
    SignUp.objects.filter(pk=candidate.pk).update(waitlist_reason="")
    review.refresh_circle(circle, rules=rules)
    _record(backfill, actor=by, action="backfill.confirmed", automatic=by is None)
    return member


def _open_backfill(backfill: Backfill) -> Backfill:
    _lock_round(backfill.circle.round_id)
    return (
        Backfill.objects.select_for_update(of=("self",))
        .select_related("circle__round", "vacancy__signup", "candidate")
        .get(pk=backfill.pk)
    )


@transaction.atomic
def confirm_backfill(backfill: Backfill, *, by: User) -> CircleMember:
    """The organizer's one click: the proposed person joins the circle and is invited."""
    backfill = _open_backfill(backfill)
    if backfill.status != Status.PROPOSED:
        raise ValidationError(f"This proposal is {backfill.get_status_display().lower()} already.")
    return _confirm(backfill, by=by)


@transaction.atomic
def dismiss_backfill(backfill: Backfill, *, by: User) -> Backfill:
    backfill = _open_backfill(backfill)
    if backfill.status != Status.PROPOSED:
        raise ValidationError(f"This proposal is {backfill.get_status_display().lower()} already.")
    Backfill.objects.filter(pk=backfill.pk).update(
        status=Status.DISMISSED, decided_by=by, decided_at=timezone.now()
    )
    _record(backfill, actor=by, action="backfill.dismissed")
    backfill.refresh_from_db()
    return backfill


@transaction.atomic
def look_again(vacancy: CircleMember, *, by: User | None) -> Backfill:
    """Propose again for this place: a waiting proposal is dismissed, "nobody fits" replaced."""
    vacancy = _vacancy(vacancy)
    _lock_round(vacancy.circle.round_id)
    if vacancy.status not in CircleMember.VACATED:
        raise ValidationError(f"{vacancy.signup} still holds their place in {vacancy.circle}.")
    if vacancy.backfills.filter(status=Status.CONFIRMED).exists():
        raise ValidationError("This place is filled already.")
    return _replace_open(vacancy, by=by)


def _replace_open(vacancy: CircleMember, *, by: User | None) -> Backfill:
    current = vacancy.backfills.filter(status__in=OPEN).first()
    if current is not None and current.status == Status.PROPOSED:
        Backfill.objects.filter(pk=current.pk).update(
            status=Status.DISMISSED, decided_by=by, decided_at=timezone.now()
        )
    elif current is not None:
        current.delete()  # "nobody fits" is only a note: the new answer takes its place
    review.record(
        vacancy.circle.round,
        actor=by,
        action="backfill.looked_again",
        circle=vacancy.circle_id,
        number=vacancy.circle.number,
        vacancy=vacancy.pk,
    )
    return _create(vacancy, pick_for(vacancy), by=by)


def retry_unfilled_backfills() -> int:
    """The periodic sweep: a later sign-up or a change on the waitlist may fit a place nobody
    fitted. Returns how many places now have a proposal; an unchanged "nobody fits" only gets
    its reason brought up to date (no event)."""
    found = 0
    waiting = Backfill.objects.filter(status=Status.NONE_FITS, circle__status__in=FILLABLE)
    for backfill_id in waiting.values_list("pk", flat=True):
        try:
            found += _retry(backfill_id)
        except ValidationError as error:  # a confirmation refused: the proposal stays to decide
            logger.info("Backfill %s not confirmed automatically: %s", backfill_id, error)
    return found


@transaction.atomic
def _retry(backfill_id: int) -> bool:
    backfill = _open_backfill(Backfill.objects.select_related("circle").get(pk=backfill_id))
    if backfill.status != Status.NONE_FITS:
        return False
    vacancy = _vacancy(backfill.vacancy)
    pick = pick_for(vacancy)
    if pick.candidate is None:
        Backfill.objects.filter(pk=backfill.pk).update(reason=pick.reason)
        return False
    backfill.delete()
    _create(vacancy, pick, by=None)
    return True


def open_backfills(circle: Circle) -> QuerySet:
    return circle.backfills.filter(status__in=OPEN)


def close_open_backfills(circle: Circle, *, by: User | None) -> None:
    """The circle ended or merged: nobody is to fill its places any more."""
    circle.backfills.filter(status=Status.PROPOSED).update(
        status=Status.DISMISSED, decided_by=by, decided_at=timezone.now()
    )
    circle.backfills.filter(status=Status.NONE_FITS).delete()
