"""The organizer dashboard's figures: each round's funnel, circles at risk, where and when
sign-ups cluster; and the people behind every number, in a fixed number of queries.

A round's funnel follows its active sign-ups: placed in a circle, invited, accepted, came to a
meeting once, and still coming three months after their circle's first meeting.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from circles import density
from circles.models import Attendance, Circle, CircleMember, Meeting, Round, SignUp
from circles.services.health import RISKS, CircleHealth, circles_at_risk
from circles.services.review_page import utc_offset_minutes
from community.services.reports import application_funnel

STILL_MEETING_AFTER = timedelta(days=91)
ROUNDS_SHOWN = 8
PEOPLE_PER_PAGE = 50
BUSIEST = 5


def _memberships(**filters) -> QuerySet:
    return CircleMember.objects.filter(signup=OuterRef("pk"), **filters)


def _came(**filters) -> QuerySet:
    return Attendance.objects.filter(
        member__signup=OuterRef("pk"), attended=True, meeting__status=Meeting.Status.HELD, **filters
    )


def stage_conditions() -> dict[str, tuple[str, Q]]:
    """{stage: (label, condition on a sign-up)}, in funnel order."""
    return {
        "signed_up": ("Signed up", Q()),
        "placed": ("Placed in a circle", Q(Exists(_memberships()))),
        "invited": ("Invited", Q(Exists(_memberships(invited_at__isnull=False)))),
        "accepted": (
            "Accepted",
            Q(Exists(_memberships(status=CircleMember.Status.ACCEPTED)))
            | Q(Exists(_memberships(consented_at__isnull=False))),
        ),
        "met_once": ("Met once", Q(Exists(_came()))),
        "still_meeting": (
            "Still meeting after 3 months",
            Q(
                Exists(
                    _came(
                        member__status=CircleMember.Status.ACCEPTED,
                        meeting__starts_at__gte=F("meeting__circle__first_meeting_at")
                        + STILL_MEETING_AFTER,
                    )
                )
            ),
        ),
    }


STAGES = {key: label for key, (label, _) in stage_conditions().items()}


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int
    percent: int
    url: str


def people_url(round: Round, **filters) -> str:
    query = {key: value for key, value in filters.items() if value not in (None, "")}
    url = reverse("circles:round_people", args=[round.slug])
    return f"{url}?{urlencode(query)}" if query else url


def round_funnels(rounds: list[Round]) -> dict[int, list[Stage]]:
    """{round pk: its funnel}, counted in one query for all the rounds."""
    conditions = stage_conditions()
    rows = (
        SignUp.objects.active()
        .filter(round__in=rounds)
        .values("round")
        .annotate(
            **{key: Count("pk", filter=condition) for key, (_, condition) in conditions.items()}
        )
        .order_by()
    )
    counts = {row["round"]: row for row in rows}
    funnels = {}
    for round in rounds:
        row = counts.get(round.pk, {})
        total = row.get("signed_up", 0)
        funnels[round.pk] = [
            Stage(
                key,
                label,
                row.get(key, 0),
                round_percent(row.get(key, 0), total),
                people_url(round, stage=key),
            )
            for key, (label, _) in conditions.items()
        ]
    return funnels


def round_percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def risk_summary(at_risk: list[CircleHealth]) -> list[dict]:
    """How many circles are at risk for each kind of reason, as bars linking to those circles."""
    biggest = max(len(at_risk), 1)
    summary = []
    for kind, label in RISKS.items():
        count = sum(1 for health in at_risk if kind in health.risks())
        url = f"{reverse('circles:dashboard')}?{urlencode({'risk': kind})}#at-risk-heading"
        summary.append(
            {"label": label, "count": count, "percent": round_percent(count, biggest), "url": url}
        )
    return summary


# The application funnel's stages, and the review queue's filter for the people at each.
APPLICATION_FILTERS = {"Submitted": "all", "Reviewed": "all", "Approved": "approved"}


def application_stages(*, days: int = 90) -> dict:
    """The community's application funnel (community.services.reports), each stage linked to
    the review queue filtered to its applications."""
    funnel = application_funnel(days=days)
    queue = reverse("admin:community_application_changelist")
    for stage in funnel["stages"]:
        stage["url"] = f"{queue}?{urlencode({'status': APPLICATION_FILTERS[stage['label']]})}"
    return funnel


def dashboard_context(*, round: Round | None, risk: str = "", viewer_timezone: str) -> dict:
    rounds = list(Round.objects.exclude(status=Round.Status.DRAFT)[:ROUNDS_SHOWN])
    funnels = round_funnels(rounds)
    chosen = round or (rounds[0] if rounds else None)
    at_risk = circles_at_risk()
    context = {
        "applications": application_stages(),
        "rounds": [{"round": r, "stages": funnels[r.pk]} for r in rounds],
        "at_risk": [health for health in at_risk if not risk or risk in health.risks()],
        "risk_summary": risk_summary(at_risk),
        "risk": RISKS.get(risk, ""),
        "any_at_risk": bool(at_risk),
        "chosen": chosen,
        "viewer_timezone": viewer_timezone or "UTC",
    }
    if chosen is not None:
        context.update(clusters(chosen, viewer_timezone=viewer_timezone))
    return context


def clusters(round: Round, *, viewer_timezone: str) -> dict:
    """Where and when a round's sign-ups cluster: the map, the weekly heat map, the top places."""
    signups = list(round.signups.active())
    domain_signups = [signup.to_domain() for signup in signups]
    offset = utc_offset_minutes(viewer_timezone, round.first_meeting)
    by_place: dict[str, int] = {}
    for signup in signups:
        if signup.place_name:
            by_place[signup.place_name] = by_place.get(signup.place_name, 0) + 1
    top = sorted(by_place.items(), key=lambda item: (-item[1], item[0]))[:10]
    biggest = top[0][1] if top else 1
    heatmap = density.week_heatmap(domain_signups, offset_minutes=offset)
    return {
        "place_map": density.place_map(domain_signups),
        "heatmap": heatmap,
        "busiest": busiest_times(round, heatmap["cells"]),
        "top_places": [
            {
                "name": name,
                "count": count,
                "percent": round_percent(count, biggest),
                "url": people_url(round, place=name),
            }
            for name, count in top
        ],
    }


def busiest_times(round: Round, cells: list[density.Cell], *, count: int = BUSIEST) -> list[dict]:
    """The half-hours most people are free, each linked to them: the heat map's cells as a list
    a keyboard reaches."""
    free = sorted((cell for cell in cells if cell.count), key=lambda cell: (-cell.count, cell.slot))
    return [
        {"title": cell.title, "url": people_url(round, slot=cell.slot)} for cell in free[:count]
    ]


def slot_label(slot: int | None, *, viewer_timezone: str, round: Round) -> str:
    """A half-hour of the UTC week as the viewer's clock reads it, e.g. "Tue 18:00–18:30"."""
    if slot is None:
        return ""
    offset = utc_offset_minutes(viewer_timezone, round.first_meeting)
    return density.window_runs([slot], offset_minutes=offset)[0]


def round_people(
    round: Round,
    *,
    stage: str,
    circle: Circle | None = None,
    place: str = "",
    slot: int | None = None,
) -> QuerySet:
    """The active sign-ups of a round at a funnel stage (optionally of one circle or place, or
    free in one half-hour of the UTC week), each with its circle places and their circles
    prefetched."""
    _, condition = stage_conditions()[stage]
    people = round.signups.active().filter(condition)
    if circle is not None:
        people = people.filter(Exists(_memberships(circle=circle, status__in=CircleMember.CURRENT)))
    if place:
        people = people.filter(place_name=place)
    if slot is not None:
        people = people.free_at(slot)
    memberships = CircleMember.objects.select_related("circle").order_by("added_at", "pk")
    return people.order_by("name", "pk").prefetch_related(
        Prefetch("circle_memberships", queryset=memberships)
    )
