"""Organizers' view of circles after composition: the dashboard, the people behind its numbers,
and one circle's health."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from circles.domain import SLOTS_PER_WEEK
from circles.models import Circle, Round
from circles.services.dashboard import (
    PEOPLE_PER_PAGE,
    STAGES,
    dashboard_context,
    round_people,
    slot_label,
)
from circles.services.health import circle_health, with_health_data
from circles.services.renewals import renewal_answers
from community.access import organizer_required


@organizer_required
@require_GET
def dashboard(request):
    slug = request.GET.get("round")
    round = get_object_or_404(Round, slug=slug) if slug else None
    context = dashboard_context(
        round=round, risk=request.GET.get("risk", ""), viewer_timezone=request.user.timezone
    )
    return render(request, "circles/dashboard.html", context)


@organizer_required
@require_GET
def round_people_list(request, slug):
    round = get_object_or_404(Round, slug=slug)
    stage = request.GET.get("stage", "signed_up")
    if stage not in STAGES:
        raise Http404("No such stage.")
    circle = None
    if request.GET.get("circle", "").isdigit():
        circle = get_object_or_404(round.circles, pk=request.GET["circle"])
    place, slot = request.GET.get("place", ""), _slot(request.GET.get("slot", ""))
    people = round_people(round, stage=stage, circle=circle, place=place, slot=slot)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "round": round,
        "stage": stage,
        "stage_label": STAGES[stage],
        "stages": STAGES,
        "circle": circle,
        "place": place,
        "free_at": slot_label(slot, viewer_timezone=request.user.timezone, round=round),
        "page": page,
    }
    return render(request, "circles/round_people.html", context)


def _slot(value: str) -> int | None:
    """The `slot` filter: a half-hour of the UTC week (0-335), or none."""
    if not value:
        return None
    if not value.isdigit() or int(value) >= SLOTS_PER_WEEK:
        raise Http404("No such half-hour.")
    return int(value)


@organizer_required
@require_GET
def circle_health_page(request, slug, pk):
    circles = with_health_data(Circle.objects.filter(round__slug=slug))
    circle = get_object_or_404(circles, pk=pk)
    context = {
        "round": circle.round,
        "circle": circle,
        "health": circle_health(circle),
        "renewal": renewal_answers(circle),
    }
    return render(request, "circles/circle_health.html", context)
