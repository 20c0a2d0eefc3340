"""Booking a session, and the booking's own page: move, cancel, record how it went."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from community.access import member_required
from mentoring.calendar import booking_for_token, ics_url, method_for
from mentoring.calendar import booking_ics as make_ics
from mentoring.forms import (
    ActionItemForm,
    BookingForm,
    CancelForm,
    MoveForm,
    NoteForm,
    OutcomeForm,
    parse_slot,
)
from mentoring.models import Booking, CoachProfile
from mentoring.services import allowance as allowance_service
from mentoring.services import bookings as service
from mentoring.services import followups
from mentoring.services.availability import is_bookable, open_slots_for
from mentoring.services.reliability import record_for
from mentoring.views.coaches import (
    WEEKS_SHOWN,
    by_local_day,
    chosen_length,
    slot_choices,
    used_month_notes,
    weeks_page,
)


def _refusal(request, template: str, context: dict, error: ValidationError, *, link: str = ""):
    """Render the form again with the refusal and, for a taken slot, the next free times (each a
    link to book it, where `link` is given)."""
    context["error"] = " ".join(error.messages)
    context["next_slots"] = slot_choices(getattr(error, "next_slots", []), link=link)
    return render(request, template, context, status=409 if context["next_slots"] else 400)


@member_required
def booking_create(request, pk):
    coach = get_object_or_404(CoachProfile.objects.bookable().select_related("user"), pk=pk)
    form = BookingForm(request.POST or None, coach=coach, initial=request.GET.dict())
    data = request.POST or request.GET
    chosen = parse_slot(data.get("starts_at"))
    minutes = chosen_length(data.get("minutes"), sorted(coach.session_lengths))
    link = reverse("mentoring:booking_create", args=[coach.pk]) + f"?minutes={minutes}&starts_at="
    context = {"coach": coach, "form": form, "chosen": chosen, "minutes": minutes}
    if request.method == "POST" and form.is_valid():
        try:
            booking = service.book_session(coach, member=request.user, **form.cleaned_data)
        except service.AlreadyBooked as error:
            messages.info(request, error.messages[0])
            return redirect(error.booking)
        except ValidationError as error:
            return _refusal(request, "mentoring/booking_form.html", context, error, link=link)
        messages.success(request, "Your session is booked. We have emailed you both.")
        return redirect(booking)
    if request.method == "GET" and chosen and minutes:
        # Say so before the member writes their agenda, not only when they submit it.
        if error := _closed(coach, chosen, minutes=minutes, member=request.user):
            context["closed"], context["error"] = True, error
            slots = open_slots_for(coach, minutes=minutes, member=request.user)
            slots = allowance_service.within_allowance(request.user, slots)[
                : service.NEXT_SLOTS_SHOWN
            ]
            context["next_slots"] = slot_choices(slots, link=link)
    return render(request, "mentoring/booking_form.html", context)


def _closed(coach: CoachProfile, chosen, *, minutes: int, member) -> str:
    """Why the linked time cannot be booked, if it cannot: taken, or in a month used up."""
    if not is_bookable(coach, chosen, minutes=minutes, member=member, now=timezone.now()):
        return "That time is not open: it may have just been booked."
    return allowance_service.used_up_notice(member, chosen)


def _own_booking(request, pk) -> Booking:
    """A booking the signed-in person is the member or the coach of; 404 for anyone else."""
    queryset = Booking.objects.involving(request.user).select_related(
        "coach__user", "member", "topic"
    )
    return get_object_or_404(queryset, pk=pk)


@member_required
def booking_list(request):
    bookings = Booking.objects.involving(request.user).select_related("coach__user", "member")
    now = timezone.now()
    # A session cancelled before its time is listed with the past ones, not dropped from both.
    past_or_off = Q(starts_at__lt=now) | Q(status=Booking.Status.CANCELLED)
    context = {
        "upcoming": bookings.filter(starts_at__gte=now).exclude(status=Booking.Status.CANCELLED),
        "past": bookings.filter(past_or_off).order_by("-starts_at")[:20],
        "member_record": record_for(request.user, side="member"),
        "coach_record": record_for(request.user, side="coach") if request.user.is_coach else None,
    }
    return render(request, "mentoring/booking_list.html", context)


@login_required
def booking_detail(request, pk):
    booking = _own_booking(request, pk)
    note = followups.note_for(booking, user=request.user)
    context = {
        "booking": booking,
        "is_coach": booking.coach.user_id == request.user.pk,
        "changes": service.changes_open_to(booking, request.user),
        "notice_hours": settings.MENTORING_NOTICE_HOURS,
        "ics_url": ics_url(booking, request.user),
        "cancel_form": CancelForm(),
        "started": booking.starts_at <= timezone.now(),
        "note_form": NoteForm(initial={"text": note.text if note else ""}, prefix="note"),
        "action_item_form": ActionItemForm(prefix="item"),
        "action_items": followups.action_items_of(booking),
        "earlier_items": followups.earlier_action_items(booking),
        "can_tick": booking.status != Booking.Status.CANCELLED,
        "outcome_by_other": service.outcome_recorded_by_other(booking, request.user),
    }
    return render(request, "mentoring/booking_detail.html", context)


@login_required
def booking_move(request, pk):
    booking = _own_booking(request, pk)
    form = MoveForm(request.POST or None)
    changes = service.changes_open_to(booking, request.user)
    # Times are offered only to someone who may move the session now; a crafted POST is still
    # refused by the service.
    weeks = weeks_page(request.GET.get("page"), booking.coach)
    until = weeks.since + timedelta(weeks=WEEKS_SHOWN)
    slots = (
        open_slots_for(
            booking.coach,
            minutes=booking.minutes,
            member=booking.member,
            exclude=booking,
            since=weeks.since,
            weeks=WEEKS_SHOWN,
        )
        if changes.move
        else []
    )
    closed = allowance_service.months_closed_to_move(
        booking, by=request.user, since=weeks.since, until=until
    )
    slots = [slot for slot in slots if not closed.holds(slot) and slot != booking.starts_at]
    context = {"booking": booking, "form": form, "days": by_local_day(slots), "weeks": weeks}
    context |= {"changes": changes, "notice_hours": settings.MENTORING_NOTICE_HOURS}
    context |= {
        "used_months": used_month_notes(closed, shown_until=until, until=until),
        "max_per_month": settings.MENTORING_MAX_PER_MONTH,
    }
    if request.method == "POST" and form.is_valid():
        try:
            service.reschedule_booking(booking, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            return _refusal(request, "mentoring/booking_move.html", context, error)
        messages.success(request, "The session has moved. We have emailed you both.")
        return redirect(booking)
    return render(request, "mentoring/booking_move.html", context)


@require_POST
@login_required
def booking_cancel(request, pk):
    booking = _own_booking(request, pk)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():  # a reason too long is refused, not dropped
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        service.cancel_booking(booking, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The session is cancelled. We have emailed you both.")
    return redirect(booking)


@require_POST
@login_required
def booking_outcome(request, pk):
    booking = _own_booking(request, pk)
    form = OutcomeForm(request.POST)
    try:
        form.is_valid()
        booking = service.record_outcome(
            booking, by=request.user, status=form.cleaned_data.get("status", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Recorded: {booking.get_status_display().lower()}.")
    return redirect(booking)


def booking_ics(request, token):
    """The booking's current invitation, for the link in the emails (signed, no sign-in)."""
    booking = booking_for_token(token)
    if booking is None:
        raise Http404("No such invitation.")
    response = HttpResponse(
        make_ics(booking, method=method_for(booking)), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="session-{booking.pk}.ics"'
    return response
