"""Members find coaches and their open times."""

import math
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from community.access import member_required
from mentoring.forms import CoachFilterForm
from mentoring.models import CoachProfile, Topic
from mentoring.services.allowance import (
    UsedMonths,
    allowance,
    is_paused,
    may_book_now,
    used_up_months,
)
from mentoring.services.availability import open_slots_for
from mentoring.services.mentorship_days import listed_days
from mentoring.services.suggestions import suggest_coaches

COACHES_PER_PAGE = 24
# What a coach's card shows (and its name): the list reads only these.
LISTED_FIELDS = ("bio", "languages", "user__first_name", "user__last_name", "user__email")


class SlotChoice(NamedTuple):
    """An open start as a page offers it: the viewer's wall-clock time and, where the page links
    each start, the link."""

    starts_at: datetime
    label: str
    href: str


class LocalDay(NamedTuple):
    date: date
    label: str
    slots: list[SlotChoice]


def by_local_day(
    slots: list[datetime], *, link: str = "", closed: Callable[[datetime], bool] | None = None
) -> list[LocalDay]:
    """Slots grouped by the viewer's local date (the timezone the middleware activated), each day
    and slot labelled once here rather than through template filters per slot; `link` is a URL
    the slot's start is appended to, as a UTC instant (nothing in it needs escaping in a URL),
    for every slot but those `closed` holds."""
    days, viewer_tz = defaultdict(list), timezone.get_current_timezone()
    for slot in slots:  # `timezone.localtime` would look the zone up again for every slot
        local = slot.astimezone(viewer_tz)
        linked = link and not (closed and closed(slot))
        href = f"{link}{slot.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}" if linked else ""
        days[local.date()].append(SlotChoice(slot, f"{local:%H:%M}", href))
    return [LocalDay(day, date_format(day, "l j F"), days[day]) for day in sorted(days)]


class UsedMonth(NamedTuple):
    """A month the member has used up, as a page says so: its name and, where the month after it
    has times ahead that can be booked, that month's name."""

    label: str
    next_label: str


def _month_label(start: datetime, *, this_year: int) -> str:
    return date_format(start, "F" if start.year == this_year else "F Y")


def used_month_notes(
    used: UsedMonths, *, shown_until: datetime, until: datetime
) -> list[UsedMonth]:
    """The used months that begin by `shown_until`, the end of the times a page shows; `used`
    must cover the months up to `until`, the last time that can be booked."""
    this_year = timezone.now().astimezone(used.zone).year
    notes = []
    for start in (start for start in used.starts() if start <= shown_until):
        after = (start + timedelta(days=32)).replace(day=1)
        bookable = after <= until and not used.holds(after)
        next_label = _month_label(after, this_year=this_year) if bookable else ""
        notes.append(UsedMonth(_month_label(start, this_year=this_year), next_label))
    return notes


def slot_choices(slots: list[datetime], *, link: str = "") -> list[SlotChoice]:
    """A few starts, each labelled with its day and time in the viewer's timezone, and linked as
    `by_local_day` links them."""
    viewer_tz = timezone.get_current_timezone()
    return [
        SlotChoice(
            slot,
            date_format(slot.astimezone(viewer_tz), "l j F, H:i T"),
            f"{link}{slot.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}" if link else "",
        )
        for slot in slots
    ]


def chosen_length(value: str | None, lengths: list[int]) -> int:
    """The session length a page was asked for (`?minutes=`), if the coach offers it; otherwise,
    and for anything that is not a number, the shortest they offer (0 if none)."""
    offered = {str(length): length for length in lengths}
    return offered.get((value or "").strip(), lengths[0] if lengths else 0)


def with_topic_names(coaches: list[CoachProfile], topics: list[Topic]) -> list[CoachProfile]:
    """Give each coach `topic_names` in the list's order, from one query of the pairs onto the
    topics already read for the filter: cheaper than prefetching a Topic per pair."""
    pairs = CoachProfile.topics.through.objects.filter(coachprofile__in=coaches)
    taught = defaultdict(set)
    for coach_id, topic_id in pairs.values_list("coachprofile_id", "topic_id"):
        taught[coach_id].add(topic_id)
    for coach in coaches:
        coach.topic_names = [topic.name for topic in topics if topic.pk in taught[coach.pk]]
    return coaches


@member_required
def coach_list(request):
    form = CoachFilterForm(request.GET or None)
    coaches = CoachProfile.objects.bookable().exclude(user=request.user).select_related("user")
    coaches = coaches.only(*LISTED_FIELDS)
    if form.is_valid() and (form.cleaned_data["topic"] or form.cleaned_data["language"]):
        topic = form.cleaned_data["topic"]
        coaches = coaches.teaching(topic.slug if topic else "").speaking(
            form.cleaned_data["language"]
        )
    page = Paginator(coaches, COACHES_PER_PAGE).get_page(request.GET.get("page"))
    topics = list(Topic.objects.all())  # the filter's choices, read once
    suggestion = suggest_coaches(request.user, topics=topics)
    context = {
        "form": form,
        "topics": topics,
        "page": page,
        "coaches": with_topic_names(list(page.object_list), topics),
        "suggested": suggestion.coaches,
        "suggested_topics": suggestion.topics,
        "interests_given": bool(
            getattr(request.user, "member", None) and request.user.member.interests
        ),
        "days": listed_days(),
    }
    return render(request, "mentoring/coach_list.html", context)


@member_required
def coach_detail(request, pk):
    coach = get_object_or_404(CoachProfile.objects.bookable().select_related("user"), pk=pk)
    lengths = sorted(coach.session_lengths)
    minutes = chosen_length(request.GET.get("minutes"), lengths)
    weeks = weeks_page(request.GET.get("page"), coach)
    slots = (
        open_slots_for(
            coach, minutes=minutes, member=request.user, since=weeks.since, weeks=WEEKS_SHOWN
        )
        if minutes
        else []
    )
    upcoming, in_month = allowance(request.user)
    paused = is_paused(request.user)
    # A member who may not book now sees the times without links, under the reason; so do the
    # times of a month they have used up.
    can_book = may_book_now(paused=paused, upcoming=upcoming)
    book_url = reverse("mentoring:booking_create", args=[coach.pk])
    link = f"{book_url}?minutes={minutes}&starts_at=" if can_book else ""
    shown_until, until = weeks.since + timedelta(weeks=WEEKS_SHOWN), horizon_end(coach)
    used = used_up_months(request.user, since=weeks.since, until=until) if can_book else None
    notes = used_month_notes(used, shown_until=shown_until, until=until) if used else []
    context = {
        "coach": coach,
        "topic_names": list(coach.topics.values_list("name", flat=True)),
        "minutes": minutes,
        "lengths": lengths,
        "days": by_local_day(slots, link=link, closed=used.holds if used else None),
        "used_months": notes,
        "upcoming": upcoming,
        "in_month": in_month,
        "max_upcoming": settings.MENTORING_MAX_UPCOMING,
        "max_per_month": settings.MENTORING_MAX_PER_MONTH,
        "paused": paused,
        "can_book": can_book,
        "weeks": weeks,
        "weeks_query": f"minutes={minutes}&",
    }
    return render(request, "mentoring/coach_detail.html", context)


# The coach's page shows this many weeks of open times at once, with links to the later ones up
# to the coach's horizon: eight weeks of a busy coach's times make a long page.
WEEKS_SHOWN = 4


class WeeksPage(NamedTuple):
    number: int
    count: int
    since: datetime

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None

    @property
    def first_week(self) -> int:
        return WEEKS_SHOWN * (self.number - 1) + 1

    @property
    def last_week(self) -> int:
        return WEEKS_SHOWN * self.number


def horizon_end(coach: CoachProfile) -> datetime:
    return timezone.now() + timedelta(days=coach.horizon_days)


def weeks_page(value: str | None, coach: CoachProfile) -> WeeksPage:
    """Which stretch of WEEKS_SHOWN weeks to show (`?page=`, from 1); anything else is the first."""
    count = max(1, math.ceil(coach.horizon_days / (7 * WEEKS_SHOWN)))
    number = int(value) if value and value.isdigit() and len(value) < 4 else 1
    number = min(max(number, 1), count)
    return WeeksPage(number, count, timezone.now() + timedelta(weeks=WEEKS_SHOWN * (number - 1)))
