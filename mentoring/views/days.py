"""Mentorship days: a coach plans, changes or cancels one; members see its sessions and book one."""

from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from community.access import coach_required, member_required
from mentoring.forms import DayBookingForm, DayCancelForm, MentorshipDayForm
from mentoring.models import Booking, MentorshipDay
from mentoring.services import allowance as allowance_service
from mentoring.services import bookings as service
from mentoring.services import mentorship_days as days_service
from mentoring.services.coaching import coach_profile_for
from mentoring.services.mentorship_days import Slice, plan_mentorship_day, slices_of
from mentoring.views.coaches import used_month_notes


@coach_required
def day_plan(request):
    coach = coach_profile_for(request.user)
    form = MentorshipDayForm(request.POST or None)
    form.fields["topics"].queryset = coach.topics.all()
    if request.method == "POST" and form.is_valid():
        try:
            day = plan_mentorship_day(form, coach=coach)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            told = (
                "we tell members about it"
                if coach.takes_bookings
                else "members hear of it once you take bookings again"
            )
            messages.success(request, f"Your mentorship day is planned; {told}.")
            return redirect(day)
    days = coach.days.upcoming().select_related("coach__user")
    context = {"form": form, "days": days, "coach": coach}
    return render(request, "mentoring/day_plan.html", context)


def _own_day(request, pk) -> MentorshipDay:
    """One of the signed-in coach's days that is still on; 404 for anyone else's."""
    days = MentorshipDay.objects.active().filter(coach__user=request.user)
    return get_object_or_404(days.select_related("coach__user"), pk=pk)


@coach_required
def day_edit(request, pk):
    day = _own_day(request, pk)
    form = MentorshipDayForm(request.POST or None, instance=day)
    form.fields["topics"].queryset = day.coach.topics.all()
    if request.method == "POST" and form.is_valid():
        try:
            days_service.edit_mentorship_day(day, by=request.user, changes=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your mentorship day is updated.")
            return redirect(day)
    if form.is_bound:
        day.refresh_from_db()  # validating the form wrote the refused values onto it
    context = {"day": day, "form": form, "cancel_form": DayCancelForm()}
    context["booked"] = days_service.booked_sessions(day)
    return render(request, "mentoring/day_edit.html", context)


@require_POST
@coach_required
def day_cancel(request, pk):
    day = _own_day(request, pk)
    form = DayCancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        cancelled = days_service.cancel_mentorship_day(
            day, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mentoring:day_edit", day.pk)
    n = len(cancelled)
    told = (
        f", with its {n} booked session{'s' if n != 1 else ''}: we have emailed the members."
        if n
        else "; nobody had booked it."
    )
    messages.success(request, f"Your mentorship day is cancelled{told}")
    return redirect("mentoring:day_plan")


class DaySlice(NamedTuple):
    """One of a day's sessions as the page lists it, in the viewer's time."""

    starts: datetime
    ends: datetime
    slice: Slice
    offered: bool  # open, and in a month the member may still book
    mine: Booking | None  # the viewer's own booking of it


def _offered_slices(day: MentorshipDay, member, may_book: bool):
    """The day's sessions in the viewer's time, each with whether it is offered: open, and (for a
    member who may book) not in a month they have used up; and the viewer's own booking of it, if
    any; and what the page says of the used months."""
    slices = slices_of(day)
    used, notes = None, []
    if may_book and slices:
        first, last = slices[0].starts_at, slices[-1].starts_at
        used = allowance_service.used_up_months(member, since=first, until=last)
        notes = used_month_notes(used, shown_until=last, until=last)
    # The viewer's own sessions of the day read as theirs, with a link, not as "Taken".
    mine = {b.starts_at: b for b in day.bookings.active().filter(member=member)} if slices else {}
    rows = [
        DaySlice(
            timezone.localtime(s.starts_at),
            timezone.localtime(s.ends_at),
            s,
            s.open and not (used and used.holds(s.starts_at)),
            mine.get(s.starts_at),
        )
        for s in slices
    ]
    return rows, notes


@member_required
def day_detail(request, pk):
    days = MentorshipDay.objects.active().select_related("coach__user")
    day = get_object_or_404(days, pk=pk)
    form = DayBookingForm(request.POST or None)
    context = {"day": day, "form": form, "topics": day.topics.all()}
    if request.method == "POST" and form.is_valid():
        try:
            booking = service.book_day_session(day, member=request.user, **form.cleaned_data)
        except service.AlreadyBooked as error:
            messages.info(request, error.messages[0])
            return redirect(error.booking)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your session is booked. We have emailed you both.")
            return redirect(booking)
    context["is_coach"] = day.coach.user_id == request.user.pk
    upcoming, _ = allowance_service.allowance(request.user)
    paused = allowance_service.is_paused(request.user)
    context |= {"paused": paused, "upcoming": upcoming}
    context["max_upcoming"] = settings.MENTORING_MAX_UPCOMING
    may_book = not context["is_coach"] and allowance_service.may_book_now(
        paused=paused, upcoming=upcoming
    )
    context["slices"], context["used_months"] = _offered_slices(day, request.user, may_book)
    context["max_per_month"] = settings.MENTORING_MAX_PER_MONTH
    context["bookable"] = may_book and any(row.offered for row in context["slices"])
    return render(request, "mentoring/day_detail.html", context)
