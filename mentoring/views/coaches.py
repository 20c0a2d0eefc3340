"""Members find coaches and their open times."""

from collections import defaultdict
from datetime import datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from community.access import member_required
from mentoring.forms import CoachFilterForm
from mentoring.models import CoachProfile, Topic
from mentoring.services.availability import WEEKS_SHOWN, open_slots_for
from mentoring.services.bookings import allowance
from mentoring.services.suggestions import suggested_topics


def by_local_day(slots: list[datetime]) -> list[tuple]:
    """Slots grouped by the viewer's local date (the timezone the middleware activated)."""
    days = defaultdict(list)
    for slot in slots:
        days[timezone.localtime(slot).date()].append(slot)
    return sorted(days.items())


@member_required
def coach_list(request):
    form = CoachFilterForm(request.GET or None)
    coaches = CoachProfile.objects.bookable().select_related("user")
    coaches = coaches.prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
    if form.is_valid():
        topic = form.cleaned_data["topic"]
        coaches = coaches.teaching(topic.slug if topic else "").speaking(
            form.cleaned_data["language"]
        )
    topics = suggested_topics(request.user)
    suggested = CoachProfile.objects.bookable().filter(topics__in=topics).exclude(user=request.user)
    context = {
        "form": form,
        "coaches": coaches.exclude(user=request.user).distinct(),
        "suggested": suggested.select_related("user").distinct()[:3],
        "suggested_topics": topics,
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
        "minutes": minutes,
        "lengths": lengths,
        "days": by_local_day(slots),
        "weeks": WEEKS_SHOWN,
        "upcoming": upcoming,
        "in_month": in_month,
    }
    return render(request, "mentoring/coach_detail.html", context)
