"""The organizer's review of a round: see, adjust, compose again.

Every change is a POST that names a sign-up or a circle of this round; anything else (another
round's person, a circle that does not exist, a run that is not this round's) is refused with a 400
or a 404 and changes nothing.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from circles.models import Circle, CompositionRun, Round
from circles.services import composition, review
from circles.services.review_page import progress_payload, review_context
from community.access import organizer_required

TEMPLATE = "circles/round_review.html"


class MoveForm(forms.Form):
    signup = forms.ModelChoiceField(queryset=None)
    to = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="The waitlist", to_field_name="number"
    )

    def __init__(self, round: Round, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signup"].queryset = round.signups.active()
        self.fields["to"].queryset = round.circles.filter(status=Circle.Status.PROPOSED)


class PersonLockForm(forms.Form):
    signup = forms.ModelChoiceField(queryset=None)
    locked = forms.BooleanField(required=False)

    def __init__(self, round: Round, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signup"].queryset = round.signups.active()


class CircleLockForm(forms.Form):
    circle = forms.ModelChoiceField(queryset=None, to_field_name="number")
    locked = forms.BooleanField(required=False)

    def __init__(self, round: Round, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["circle"].queryset = round.circles.filter(status=Circle.Status.PROPOSED)


class CarryOverForm(forms.Form):
    to = forms.ModelChoiceField(queryset=None, label="Carry the waitlist over to")

    def __init__(self, round: Round, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = Round.objects.exclude(pk=round.pk)


def _page(request, round: Round, *, status: int = 200, error: str = ""):
    context = review_context(round, viewer_timezone=request.user.timezone)
    context["error"] = error
    context["other_rounds"] = list(Round.objects.exclude(pk=round.pk).only("pk", "name"))
    return render(request, TEMPLATE, context, status=status)


def _refused(request, round: Round, error) -> object:
    """Nothing changed: the page again, with why, as a 400."""
    if isinstance(error, ValidationError):
        error = " ".join(error.messages)
    elif isinstance(error, forms.Form):
        error = " ".join(message for errors in error.errors.values() for message in errors)
    return _page(request, round, status=400, error=error)


def _back(round: Round, anchor: str = ""):
    return redirect(reverse("circles:round_review", args=[round.slug]) + anchor)


@organizer_required
@require_GET
def round_review(request, slug):
    return _page(request, get_object_or_404(Round, slug=slug))


def _act(request, slug, form_class, action, success: str, anchor=lambda form: ""):
    round = get_object_or_404(Round, slug=slug)
    form = form_class(round, request.POST)
    if not form.is_valid():
        return _refused(request, round, form)
    try:
        action(round, form.cleaned_data)
    except ValidationError as error:
        return _refused(request, round, error)
    messages.success(request, success.format(**form.cleaned_data))
    return _back(round, anchor(form.cleaned_data))


def _circle_anchor(data) -> str:
    circle = data.get("to") or data.get("circle")
    return f"#circle-{circle.number}" if circle else "#waitlist"


@organizer_required
@require_POST
def move_person(request, slug):
    def move(round, data):
        review.move_person(round, signup=data["signup"], to=data["to"], by=request.user)

    return _act(request, slug, MoveForm, move, "Moved {signup}.", _circle_anchor)


@organizer_required
@require_POST
def lock_person(request, slug):
    def lock(round, data):
        review.set_person_lock(round, signup=data["signup"], locked=data["locked"], by=request.user)

    return _act(request, slug, PersonLockForm, lock, "Saved the lock on {signup}.")


@organizer_required
@require_POST
def lock_circle(request, slug):
    def lock(round, data):
        review.set_circle_lock(round, circle=data["circle"], locked=data["locked"], by=request.user)

    return _act(request, slug, CircleLockForm, lock, "Saved the lock on {circle}.", _circle_anchor)


class _NoFields(forms.Form):
    def __init__(self, round: Round, *args, **kwargs):
        super().__init__(*args, **kwargs)


@organizer_required
@require_POST
def compose_round(request, slug):
    def start(round, data):
        composition.start_composition(round, requested_by=request.user)

    message = "Composing the round again; locked circles and people stay as they are."
    return _act(request, slug, _NoFields, start, message, lambda data: "#composition")


@organizer_required
@require_POST
def cancel_composition(request, slug, run_id):
    round = get_object_or_404(Round, slug=slug)
    run = get_object_or_404(CompositionRun, pk=run_id, round=round)
    try:
        composition.cancel_composition(run, by=request.user)
    except ValidationError as error:
        return _refused(request, round, error)
    messages.success(request, "The composition is being cancelled; the circles stay as they were.")
    return _back(round, "#composition")


@organizer_required
@require_GET
def composition_progress(request, slug, run_id):
    round = get_object_or_404(Round, slug=slug)
    run = get_object_or_404(CompositionRun, pk=run_id, round=round)
    return JsonResponse(progress_payload(run))


@organizer_required
@require_POST
def carry_over_waitlist(request, slug):
    def carry(round, data):
        review.carry_over_waitlist(round, to=data["to"], by=request.user)

    message = "Carried the waitlist over to {to}."
    return _act(request, slug, CarryOverForm, carry, message, lambda data: "#waitlist")
