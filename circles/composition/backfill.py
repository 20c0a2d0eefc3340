"""Who on the waitlist should take a vacated place in a circle, and why (no Django imports).

A candidate fits when the circle with them added breaks no rule of the round (`circle_violations`).
A circle that lost several people fills one place at a time, so the smallest size is relaxed to
the size the circle reaches with this one person; every other rule holds as it is.

Among those who fit, the best keeps the widest common window (the longest run of half-hours
everyone shares), then adds a role the circle lacks, then a seniority it has least of; the earliest
on the waitlist wins a tie. When nobody fits, the reason counts the waitlist by the first rule each
person would break, e.g. "3 people on the waitlist: 2 share no 60 minutes with ...".
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from circles.domain import SLOT_MINUTES, Format, Rules, SignUp

from .describe import window_words
from .validity import best_window, circle_violations, meeting_point


@dataclass(frozen=True)
class Pick:
    """The proposal for one vacated place: a sign-up id, or None with why nobody fits."""

    candidate: str | None
    reason: str
    fitting: int = 0  # how many on the waitlist would keep every rule


def relaxed_rules(rules: Rules, members: Sequence[SignUp]) -> Rules:
    return replace(rules, min_size=min(rules.min_size, len(members) + 1))


def violations_with(
    members: Sequence[SignUp], candidate: SignUp, format: Format, rules: Rules
) -> list[str]:
    """What the circle would break with `candidate` added ([] when they fit)."""
    return circle_violations([*members, candidate], format, relaxed_rules(rules, members))


def _score(members: Sequence[SignUp], candidate: SignUp, rules: Rules) -> tuple[int, bool, int]:
    window = len(best_window([*members, candidate], rules))
    roles = {m.role_kind for m in members}
    new_role = bool(candidate.role_kind) and candidate.role_kind not in roles
    levels = Counter(m.seniority for m in members)
    return window, new_role, -levels[candidate.seniority]


def best_replacement(
    members: Sequence[SignUp],
    waitlist: Sequence[SignUp],
    format: Format,
    rules: Rules,
    *,
    companies: Mapping[str, str] | None = None,
) -> Pick:
    """The best of `waitlist` (in waitlist order) to add to `members`, or why nobody fits.

    `companies` names company keys for the reason ({"acme": "Acme Inc."}).
    """
    fitting = [c for c in waitlist if not violations_with(members, c, format, rules)]
    if not fitting:
        return Pick(None, none_fits_reason(members, waitlist, format, rules, companies or {}))
    best = max(fitting, key=lambda c: _score(members, c, rules))  # max keeps the first of a tie
    return Pick(best.id, fits_reason(members, best, len(fitting), rules), len(fitting))


def fits_reason(members: Sequence[SignUp], best: SignUp, fitting: int, rules: Rules) -> str:
    window = best_window([*members, best], rules)
    hours = len(window) * SLOT_MINUTES / 60
    others = (
        "the only one on the waitlist who fits"
        if fitting == 1
        else (
            f"of the {fitting} people on the waitlist who fit, the one who leaves the widest common "
            "window"
        )
    )
    reason = f"Keeps every rule of the round; {others}: {window_words(window)} ({hours:g} h a week)"
    if best.role_kind and best.role_kind not in {m.role_kind for m in members}:
        reason += f"; adds a role the circle lacks ({best.role_kind})"
    return reason + "."


# The first word of each `circle_violations` message, in the order a person is counted under.
RULE_ORDER = ("Time", "Format", "Place", "Timezones", "Company", "Groups", "Size")


def _first_rule(problems: list[str]) -> str:
    found = {problem.split(":", 1)[0] for problem in problems}
    return next((rule for rule in RULE_ORDER if rule in found), "Size")


def _rule_words(
    rule: str, members: Sequence[SignUp], format: Format, rules: Rules, company: str
) -> tuple[str, str]:
    """(singular, plural) of what a person breaking `rule` has or lacks."""
    window = best_window(members, rules) if members else []
    if rule == "Time":
        when = window_words(window) if window else "the circle's time"
        return (
            f"shares no {rules.min_common_minutes} minutes with {when}",
            f"share no {rules.min_common_minutes} minutes with {when}",
        )
    if rule == "Format":
        other = "by video" if format == Format.IN_PERSON else "in person"
        return f"only meets {other}", f"only meet {other}"
    if rule == "Place":
        place, _ = meeting_point(members)
        near = f"near {place.name}" if place else "near the circle"
        return (f"has no meeting place within {rules.max_distance_km:g} km {near}",) * 2
    if rule == "Timezones":
        span = f"{rules.max_offset_span_hours:g} hours"
        return (
            f"lives outside the circle's timezones (a spread of at most {span})",
            f"live outside the circle's timezones (a spread of at most {span})",
        )
    if rule == "Company":
        return f"works at {company} like a member", "work at companies already in the circle"
    if rule == "Groups":
        return ("would leave someone the only one of their group in the circle",) * 2
    return "would make the circle too big", "would make the circle too big"


def none_fits_reason(
    members: Sequence[SignUp],
    waitlist: Sequence[SignUp],
    format: Format,
    rules: Rules,
    companies: Mapping[str, str],
) -> str:
    if not waitlist:
        return "Nobody is on the waitlist of this round who has not been asked already."
    by_rule: dict[str, list[SignUp]] = {}
    for candidate in waitlist:
        rule = _first_rule(violations_with(members, candidate, format, rules))
        by_rule.setdefault(rule, []).append(candidate)
    parts = []
    for rule in RULE_ORDER:
        people = by_rule.get(rule, [])
        if not people:
            continue
        key = people[0].company_key
        company = companies.get(key) or key or "a company already in the circle"
        singular, plural = _rule_words(rule, members, format, rules, company)
        if rule == "Company" and len({p.company_key for p in people}) == 1:
            plural = f"work at {company} like a member"
        parts.append(f"{len(people)} {singular if len(people) == 1 else plural}")
    count = len(waitlist)
    return f"{count} {'person' if count == 1 else 'people'} on the waitlist: {', '.join(parts)}."
