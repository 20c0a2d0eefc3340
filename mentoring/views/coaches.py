"""Members find coaches and their open times."""

from collections import defaultdict
from datetime import datetime
from typing import NamedTuple
from urllib.parse import quote

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from community.access import member_required
from mentoring.forms import CoachFilterForm
from mentoring.models import CoachProfile, Topic
from mentoring.services.availability import WEEKS_SHOWN, open_slots_for
from mentoring.services.bookings import allowance
from mentoring.services.suggestions import suggested_topics

COACHES_PER_PAGE = 24


class SlotChoice(NamedTuple):
    """An open start as a page offers it: the viewer's wall-clock time and the value sent back."""

    starts_at: datetime
    label: str
    value: str


def by_local_day(slots: list[datetime]) -> list[tuple]:
    """Slots grouped by the viewer's local date (the timezone the middleware activated), each
    labelled once here rather than through a template filter per slot."""
    days = defaultdict(list)
    for slot in slots:
        local = timezone.localtime(slot)
        days[local.date()].append(SlotChoice(slot, f"{local:%H:%M}", quote(slot.isoformat())))
    return sorted(days.items())


@member_required
def coach_list(request):
    form = CoachFilterForm(request.GET or None)
    coaches = CoachProfile.objects.bookable().exclude(user=request.user).select_related("user")
    coaches = coaches.prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    if form.is_valid() and (form.cleaned_data["topic"] or form.cleaned_data["language"]):
        topic = form.cleaned_data["topic"]
        coaches = coaches.teaching(topic.slug if topic else "").speaking(
            form.cleaned_data["language"]
        )
        coaches = coaches.distinct() if topic else coaches  # one row per coach after the join
    page = Paginator(coaches, COACHES_PER_PAGE).get_page(request.GET.get("page"))
    topics = list(Topic.objects.all())  # the filter's choices, read once
    suggested = suggested_topics(request.user, topics=topics)
    context = {
        "form": form,
        "topics": topics,
        "page": page,
        "coaches": page.object_list,
        "suggested": CoachProfile.objects.bookable()
        .filter(topics__in=suggested)
        .exclude(user=request.user)
        .select_related("user")
        .distinct()[:3]
        if suggested
        else [],
        "suggested_topics": suggested,
    }
    return render(request, "mentoring/coach_list.html", context)


@member_required
def coach_detail(request, pk):
    coach = get_object_or_404(CoachProfile.objects.bookable().select_related("user"), pk=pk)
    lengths = sorted(coach.session_lengths)
    minutes = int(request.GET.get("minutes", 0) or 0)
    minutes = minutes if minutes in lengths else (lengths[0] if lengths else 0)
    slots = open_slots_for(coach, minutes=minutes, member=request.user) if minutes else []
    upcoming, in_month = allowance(request.user)
    context = {
        "coach": coach,
        "book_url": reverse("mentoring:booking_create", args=[coach.pk]),
        "minutes": minutes,
        "lengths": lengths,
        "days": by_local_day(slots),
        "weeks": WEEKS_SHOWN,
        "upcoming": upcoming,
        "in_month": in_month,
    }
    return render(request, "mentoring/coach_detail.html", context)
