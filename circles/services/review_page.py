"""Everything the organizer's review page shows about a round, in a fixed number of queries.

Self-identification (gender, under-represented) appears only as per-circle counts, the figures an
organizer needs to check the "no lone member" rule; never per person.
"""

import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Prefetch

from circles import density, domain
from circles.models import Circle, CircleMember, CompositionRun, Round, SignUp
from circles.services import review

LOW_CONFIDENCE = 0.7
CLEANED_FIELDS = {
    "place": "places",
    "meeting_area": "meeting areas",
    "timezone": "timezones",
    "company": "companies",
    "format": "formats",
}
HISTORY_LENGTH = 50
MANY_CIRCLES = 30  # past this, a person is moved by typing a circle's number
SENIORITY = {0: "unknown", 1: "mid-level", 2: "senior", 3: "executive"}  # as explanations say


@dataclass
class MemberRow:
    signup: SignUp
    locked: bool
    local_window: list[str]

    @property
    def seniority(self) -> str:
        return SENIORITY.get(self.signup.seniority, "unknown")


@dataclass
class CircleView:
    circle: Circle
    members: list[MemberRow]
    problems: list[str]
    women: int = 0
    gender_minorities: int = 0
    underrepresented: int = 0
    organizer_window: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def kept_on_rerun(self) -> bool:
        return self.circle.locked or any(member.locked for member in self.members)


def utc_offset_minutes(zone: str, on) -> int:
    try:
        tz = zoneinfo.ZoneInfo(zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    offset = datetime.combine(on, time(12), tzinfo=tz).utcoffset()
    return int(offset.total_seconds() // 60)


def review_context(round: Round, *, viewer_timezone: str) -> dict:
    signups = list(round.signups.active().order_by("name", "pk"))
    by_pk = {signup.pk: signup for signup in signups}
    domain_signups = {signup.pk: signup.to_domain() for signup in signups}
    rules = round.rules()
    viewer_offset = utc_offset_minutes(viewer_timezone, round.first_meeting)
    circles = [
        _circle_view(circle, by_pk, domain_signups, rules, viewer_offset)
        for circle in _circles(round)
    ]
    placed = {row.signup.pk for view in circles for row in view.members}
    waitlist = [signup for signup in signups if signup.pk not in placed]
    return {
        "round": round,
        "rules": rules,
        "viewer_timezone": viewer_timezone or "UTC",
        "place_map": density.place_map(domain_signups.values()),
        "heatmap": density.week_heatmap(domain_signups.values(), offset_minutes=viewer_offset),
        "cleaning": cleaning_summary(round, signups),
        "circles": circles,
        "many_circles": len(circles) > MANY_CIRCLES,
        "valid_circles": sum(1 for view in circles if view.valid),
        "placed_in_valid": sum(len(view.members) for view in circles if view.valid),
        "waitlist": waitlist,
        "signup_count": len(signups),
        "history": history(round, {signup.pk: str(signup) for signup in signups}),
        "run": round.composition_runs.first(),
    }


def _circles(round: Round):
    members = CircleMember.objects.filter(status__in=CircleMember.CURRENT).order_by(
        "added_at", "pk"
    )
    return (
        round.circles.exclude(status__in=[Circle.Status.ENDED, Circle.Status.DISSOLVED])
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("number")
    )


def _circle_view(circle, by_pk, domain_signups, rules, viewer_offset) -> CircleView:
    rows, members = [], []
    for membership in circle.members.all():
        signup = by_pk.get(membership.signup_id)
        if signup is None:  # withdrawn since it was proposed: the circle is short of them
            continue
        members.append(domain_signups[signup.pk])
        window = density.window_runs(circle.window, offset_minutes=signup.utc_offset_minutes)
        rows.append(MemberRow(signup, membership.locked, window))
    genders = Counter(member.gender for member in members)
    return CircleView(
        circle=circle,
        members=rows,
        problems=review.circle_problems(members, circle, rules),
        women=genders[domain.Gender.WOMAN],
        gender_minorities=genders[domain.Gender.WOMAN] + genders[domain.Gender.NON_BINARY],
        underrepresented=sum(1 for member in members if member.underrepresented),
        organizer_window=density.window_runs(circle.window, offset_minutes=viewer_offset),
    )


def cleaning_summary(round: Round, signups: list[SignUp]) -> dict:
    """How much cleaning inferred, what it was unsure of, what it merged and what it could not read.

    Gender inferences count in the totals but are never listed person by person.
    """
    resolved, filled, unread = Counter(), Counter(), Counter()
    unsure, problems = [], []
    for signup in signups:
        for name, inference in (signup.inferences or {}).items():
            if not isinstance(inference, dict) or name not in CLEANED_FIELDS:
                continue
            raw, value = str(inference.get("raw") or "").strip(), str(inference.get("value") or "")
            resolved[name] += bool(value)
            filled[name] += bool(value and not raw)  # e.g. a timezone from where they live
            unread[name] += bool(raw and not value)
            confidence = float(inference.get("confidence", 1.0) or 0.0)
            if raw and confidence < LOW_CONFIDENCE:
                unsure.append(
                    {
                        "signup": signup,
                        "field": name.replace("_", " "),
                        "raw": raw,
                        "value": value,
                        "confidence": int(confidence * 100 + 0.5),
                        "note": inference.get("note", ""),
                    }
                )
        if signup.problems:
            problems.append({"signup": signup, "problems": list(signup.problems)})
    # An import folds a person's submissions into the latest (noted on it); a sign-up found to
    # repeat another after the fact is kept as a duplicate row.
    folded = [signup for signup in signups if signup.superseded_note]
    duplicates = list(
        round.signups.filter(status=SignUp.Status.DUPLICATE)
        .select_related("duplicate_of")
        .order_by("name", "pk")[:100]
    )
    return {
        "fields": [
            {
                "label": label,
                "resolved": resolved[name],
                "filled": filled[name],
                "unread": unread[name],
                "unsure": sum(1 for item in unsure if item["field"] == name.replace("_", " ")),
            }
            for name, label in CLEANED_FIELDS.items()
        ],
        "unsure": sorted(unsure, key=lambda item: item["confidence"]),
        "problems": problems,
        "duplicate_count": len(folded) + len(duplicates),
        "folded": folded,
        "duplicates": duplicates,
        "no_place": sum(1 for signup in signups if signup.place is None),
        "no_timezone": sum(1 for signup in signups if not signup.timezone),
    }


def progress_payload(run: CompositionRun | None) -> dict:
    if run is None:
        return {"status": "none", "progress": 0, "finished": True, "label": "Not composed yet"}
    label = f"{run.get_status_display()}: {run.progress}%"
    if run.status == CompositionRun.Status.QUEUED:
        label = "Waiting for a worker…"
    return {
        "status": run.status,
        "progress": run.progress,
        "finished": not run.in_progress,
        "label": label,
        "cancel_requested": run.cancel_requested,
    }


ACTIONS = {
    "member.moved": "moved {signup} from {from} to {to}",
    "member.locked": "locked {signup} where they are",
    "member.unlocked": "unlocked {signup}",
    "circle.locked": "locked Circle {number}",
    "circle.unlocked": "unlocked Circle {number}",
    "round.closed": "closed sign-ups: the window ended",
    "composition.started": "started composing the round",
    "composition.finished": "composition placed {placed} of {signups} people in {circles} circles",
    "composition.cancelled": "cancelled the composition before it started",
    "composition.cancel_requested": "asked the composition to stop",
    "composition.stopped": "composition stopped; the circles stayed as they were",
    "waitlist.carried_over": "carried {people} people over to the next round",
    "waitlist.received": "received {people} people from an earlier round's waitlist",
    "circle.proposed_by_member": "proposed Circle {number}, open for others to join",
    "circle.joined": "{signup} joined Circle {number}",
    "circle.filled": "Circle {number} filled with {size} people and is ready for invitations",
    "circle.renewal_asked": "asked {asked} members of Circle {number} whether to renew",
    "circle.renewal_answered": "a member of a circle answered whether to renew",
}


class _Blank(dict):
    def __missing__(self, key):
        return "?"


def history(round: Round, names: dict[int, str]) -> list[dict]:
    """The round's recorded actions in plain words, newest first."""
    entries = []
    for event in round.events.select_related("actor")[:HISTORY_LENGTH]:
        details = _Blank(event.details or {})
        details["signup"] = names.get(details.get("signup"), "someone no longer signed up")
        for end in ("from", "to"):
            number = details.get(f"{end}_number")
            details[end] = f"Circle {number}" if number else "the waitlist"
        template = ACTIONS.get(event.action, event.action.replace(".", " ").replace("_", " "))
        actor = event.actor.get_full_name() or str(event.actor) if event.actor else "Roundtable"
        entries.append({"event": event, "actor": actor, "text": template.format_map(details)})
    return entries
