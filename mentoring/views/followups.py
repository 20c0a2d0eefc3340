"""After a session: each side's private notes and shared action items; follow-ups a coach offers."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community.access import coach_required
from mentoring.forms import ActionItemDoneForm, ActionItemForm, NoteForm, OfferForm
from mentoring.services import bookings as service
from mentoring.services import followups
from mentoring.services.availability import open_slots_for
from mentoring.services.coaching import coach_profile_for
from mentoring.views.bookings import _own_booking, _refusal
from mentoring.views.coaches import WEEKS_SHOWN, by_local_day, chosen_length, weeks_page


def _act(request, booking, action, form, *, done: str):
    """Run one service on a valid form; the refusal, or `done`, shows on the booking's page."""
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        action(booking, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(booking)


@require_POST
@login_required
def booking_note(request, pk):
    booking = _own_booking(request, pk)
    form = NoteForm(request.POST, prefix="note")
    return _act(request, booking, followups.save_note, form, done="Your notes are saved.")


@require_POST
@login_required
def booking_action_item(request, pk):
    booking = _own_booking(request, pk)
    form = ActionItemForm(request.POST, prefix="item")
    return _act(request, booking, followups.add_action_item, form, done="Action item added.")


@require_POST
@login_required
def booking_action_item_done(request, pk, item_pk):
    """Either side ticks an item off, or undoes it, from the session's page."""
    booking = _own_booking(request, pk)
    form = ActionItemDoneForm(request.POST)
    tick = partial(followups.set_action_item_done, item_id=item_pk)
    ticked = form.is_valid() and form.cleaned_data["done"]
    message = "Action item done." if ticked else "Action item back on the list."
    return _act(request, booking, tick, form, done=message)


@coach_required
def offer_create(request, user_pk):
    """A coach books a follow-up for a member at one of the coach's open times."""
    coach = coach_profile_for(request.user)
    member = get_object_or_404(followups.offerable_members(coach), pk=user_pk)
    lengths = sorted(coach.session_lengths)
    minutes = chosen_length((request.POST or request.GET).get("minutes"), lengths)
    form = OfferForm(request.POST or None, initial={"minutes": minutes})
    weeks = weeks_page(request.GET.get("page"), coach)  # four weeks at a time, as the coach page
    slots = (
        open_slots_for(coach, minutes=minutes, member=member, since=weeks.since, weeks=WEEKS_SHOWN)
        if minutes
        else []
    )
    context = {"member": member, "form": form, "minutes": minutes, "lengths": lengths}
    context |= {"days": by_local_day(slots), "weeks": weeks, "weeks_query": f"minutes={minutes}&"}
    if request.method == "POST" and form.is_valid():
        try:
            booking = service.offer_session(coach, member=member, **form.cleaned_data)
        except service.AlreadyBooked as error:
            messages.info(request, "This follow-up is already booked.")
            return redirect(error.booking)
        except ValidationError as error:
            return _refusal(request, "mentoring/offer_form.html", context, error)
        messages.success(request, "The follow-up is booked. We have emailed you both.")
        return redirect(booking)
    return render(request, "mentoring/offer_form.html", context)
