"""Mentorship days: a coach plans one; members see its sessions and book one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from community.access import coach_required, member_required
from mentoring.forms import DayBookingForm, MentorshipDayForm
from mentoring.models import MentorshipDay
from mentoring.services import bookings as service
from mentoring.services.coaching import coach_profile_for
from mentoring.services.mentorship_days import plan_mentorship_day, slices_of


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
            messages.success(request, "Your mentorship day is planned; we tell members about it.")
            return redirect(day)
    days = coach.days.upcoming().select_related("coach__user")
    return render(request, "mentoring/day_plan.html", {"form": form, "days": days})


@member_required
def day_detail(request, pk):
    day = get_object_or_404(MentorshipDay.objects.select_related("coach__user"), pk=pk)
    form = DayBookingForm(request.POST or None)
    context = {"day": day, "form": form, "topics": day.topics.all()}
    if request.method == "POST" and form.is_valid():
        try:
            booking = service.book_day_session(day, member=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your session is booked. We have emailed you both.")
            return redirect(booking)
    context["slices"] = [
        (timezone.localtime(s.starts_at), timezone.localtime(s.ends_at), s) for s in slices_of(day)
    ]
    context["is_coach"] = day.coach.user_id == request.user.pk
    return render(request, "mentoring/day_detail.html", context)
