"""Members' pages: the rounds open for sign-up, signing up, editing and withdrawing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from circles.domain import DAYS
from circles.forms import SignUpForm
from circles.models import Round, SignUp
from circles.services.self_organized import forming_circles
from circles.services.signups import (
    find_member_signup,
    grid_from_availability,
    save_member_signup,
    withdraw_signup,
)
from community.access import member_required

SHOWN_TO_MEMBERS = (
    Round.Status.OPEN,
    Round.Status.CLOSED,
    Round.Status.COMPOSING,
    Round.Status.REVIEWED,
)


@member_required
def open_round_list(request):
    rounds = list(Round.objects.filter(status__in=SHOWN_TO_MEMBERS))
    mine = {
        signup.round_id: signup
        for signup in SignUp.objects.filter(round__in=rounds, user=request.user)
    }
    entries = [{"round": round, "signup": mine.get(round.pk)} for round in rounds]
    return render(request, "circles/open_round_list.html", {"entries": entries})


def _initial(signup: SignUp | None, user) -> dict:
    if signup is None or signup.status != SignUp.Status.ACTIVE:
        return {"timezone": user.timezone, "city": user.member.city}
    raw = signup.raw
    return {
        "format": signup.format,
        "city": raw.get("city", ""),
        "meeting_area": raw.get("meeting_area", ""),
        "timezone": raw.get("timezone") or user.timezone,
        "cells": [f"{day}-{half}" for day, half in grid_from_availability(raw.get("availability"))],
        "topics": signup.topics,
    }


@member_required
def signup_edit(request, slug):
    round = get_object_or_404(Round, slug=slug, status__in=SHOWN_TO_MEMBERS)
    signup = find_member_signup(round, request.user)
    if not round.accepts_signups():
        return render(request, "circles/signup_closed.html", {"round": round, "signup": signup})
    form = SignUpForm(request.POST or None, round=round, initial=_initial(signup, request.user))
    if request.method == "POST" and form.is_valid():
        try:
            signup, joined = save_member_signup(round, user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "You are signed up. We have sent you a confirmation email."
                if joined
                else "Your sign-up is saved.",
            )
            return redirect("circles:signup_edit", slug=round.slug)
    context = {
        "round": round,
        "form": form,
        "signup": signup,
        "grid": form.grid(),
        "days": DAYS,
        "forming": forming_circles(round, signup=signup),
    }
    return render(request, "circles/signup_form.html", context)


@member_required
@require_POST
def signup_withdraw(request, slug):
    round = get_object_or_404(Round, slug=slug, status__in=SHOWN_TO_MEMBERS)
    signup = find_member_signup(round, request.user)
    if signup is None or signup.status != SignUp.Status.ACTIVE:
        messages.error(request, "You have not signed up to this round.")
        return redirect("circles:signup_edit", slug=round.slug)
    try:
        withdraw_signup(signup, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "You have withdrawn your sign-up. You can sign up again until sign-ups close.",
        )
    return redirect("circles:signup_edit", slug=round.slug)
