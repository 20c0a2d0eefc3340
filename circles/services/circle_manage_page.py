"""What the organizer's page of one circle shows: members, places to fill, merges, its history."""

from dataclasses import dataclass

from django.db.models import Q

from circles.composition.describe import window_words
from circles.models import Backfill, Circle, CircleMember, Round
from circles.services import backfills, circle_changes
from circles.services.health import circle_health, with_health_data
from circles.services.renewals import renewal_answers

HISTORY_LENGTH = 50
ACTIONS = {
    "backfill.proposed": "proposed {candidate} for the place of {vacancy}",
    "backfill.none_fits": "found nobody on the waitlist for the place of {vacancy}",
    "backfill.confirmed": "invited {candidate} in place of {vacancy}",
    "backfill.dismissed": "dismissed {candidate} for the place of {vacancy}",
    "backfill.looked_again": "looked again for the place of {vacancy}",
    "member.left": "{signup} left the circle",
    "circle.merged": "merged Circle {number} into Circle {into_number}",
    "circle.ended": "ended Circle {number}",
}


@dataclass
class Vacancy:
    member: CircleMember
    open: Backfill | None
    filled: bool

    @property
    def can_look_again(self) -> bool:
        """A waiting proposal may be stale (the person was placed elsewhere): looking again
        dismisses it and proposes afresh."""
        return not self.filled


def manage_context(circle: Circle) -> dict:
    members = list(
        circle.members.select_related("signup", "replaces__signup").order_by("added_at", "pk")
    )
    all_backfills = list(
        circle.backfills.select_related("candidate", "vacancy__signup", "decided_by")
    )
    names = {m.signup_id: str(m.signup) for m in members}
    names.update({b.candidate_id: str(b.candidate) for b in all_backfills if b.candidate})
    running = circle.status in circle_changes.RUNNING
    return {
        "circle": circle,
        "round": circle.round,
        "running": running,
        "window": window_words(circle.window) if circle.window else "",
        "current": [m for m in members if m.is_current],
        "former": [m for m in members if not m.is_current],
        "vacancies": _vacancies(members, all_backfills) if running else [],
        "proposals": [b for b in all_backfills if b.status == Backfill.Status.PROPOSED],
        "decided": [b for b in all_backfills if b.status not in backfills.OPEN],
        "partners": circle_changes.merge_partners(circle),
        "carry_rounds": Round.objects.exclude(pk=circle.round_id).filter(
            status__in=[Round.Status.DRAFT, Round.Status.OPEN]
        ),
        "history": history(circle, names),
        "health": circle_health(with_health_data(Circle.objects.filter(pk=circle.pk)).get())
        if running
        else None,
        "renewal": renewal_answers(circle),
    }


def _vacancies(members: list[CircleMember], all_backfills: list[Backfill]) -> list[Vacancy]:
    vacancies = []
    for member in members:
        if member.status not in CircleMember.VACATED:
            continue
        mine = [b for b in all_backfills if b.vacancy_id == member.pk]
        open_ = next((b for b in mine if b.status in backfills.OPEN), None)
        filled = any(b.status == Backfill.Status.CONFIRMED for b in mine)
        vacancies.append(Vacancy(member=member, open=open_, filled=filled))
    return vacancies


class _Blank(dict):
    def __missing__(self, key):
        return "?"


def history(circle: Circle, names: dict[int, str]) -> list[dict]:
    """What was done to this circle, newest first, in plain words."""
    events = circle.round.events.filter(
        Q(details__circle=circle.pk) | Q(details__into=circle.pk),
        action__in=list(ACTIONS),
    ).select_related("actor")[:HISTORY_LENGTH]
    vacated = dict(circle.members.values_list("pk", "signup_id"))
    entries = []
    for event in events:
        details = _Blank(event.details or {})
        details["candidate"] = names.get(details.get("candidate"), "someone")
        details["signup"] = names.get(details.get("signup"), "someone")
        details["vacancy"] = names.get(vacated.get(details.get("vacancy")), "someone")
        actor = event.actor.get_full_name() or str(event.actor) if event.actor else "Roundtable"
        entries.append(
            {"event": event, "actor": actor, "text": ACTIONS[event.action].format_map(details)}
        )
    return entries
