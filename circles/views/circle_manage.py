"""The organizer's page of one circle: its members, the places to fill, merging and ending it.

Every change is a POST naming objects of this circle; anything else is a 404, and a change the
rules refuse shows the page again with why, as a 400, having changed nothing.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from circles.models import Backfill, Circle, CircleMember, Round
from circles.services import backfills, circle_changes
from circles.services.circle_manage_page import manage_context
from community.access import organizer_required

TEMPLATE = "circles/circle_manage.html"


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=None)

    def __init__(self, circle: Circle, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = circle.round.circles.exclude(pk=circle.pk)


class EndForm(forms.Form):
    reason = forms.CharField(label="Why it ends", widget=forms.Textarea(attrs={"rows": 2}))
    carry_to = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Put its members on the waitlist of",
        empty_label="This round's waitlist only",
    )

    def __init__(self, circle: Circle, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rounds = Round.objects.exclude(pk=circle.round_id)
        self.fields["carry_to"].queryset = rounds.filter(
            status__in=[Round.Status.DRAFT, Round.Status.OPEN]
        )


def _circle(slug: str, pk: int) -> Circle:
    return get_object_or_404(Circle.objects.select_related("round"), pk=pk, round__slug=slug)


def _page(request, circle: Circle, *, status: int = 200, error: str = "", end_form=None):
    context = manage_context(circle)
    context.update(error=error, end_form=end_form or EndForm(circle))
    return render(request, TEMPLATE, context, status=status)


def _refused(request, circle: Circle, error, **forms_) -> object:
    if isinstance(error, ValidationError):
        error = " ".join(error.messages)
    return _page(request, circle, status=400, error=error, **forms_)


def _back(circle: Circle, anchor: str = ""):
    return redirect(circle_url(circle) + anchor)


def circle_url(circle: Circle) -> str:
    return reverse("circles:circle_manage", args=[circle.round.slug, circle.pk])


@organizer_required
@require_GET
def circle_manage(request, slug, pk):
    return _page(request, _circle(slug, pk))


def _backfill_action(request, slug, pk, backfill_id, action, success: str):
    circle = _circle(slug, pk)
    backfill = get_object_or_404(Backfill, pk=backfill_id, circle=circle)
    try:
        action(backfill, by=request.user)
    except ValidationError as error:
        return _refused(request, circle, error)
    messages.success(request, success.format(candidate=backfill.candidate, circle=circle))
    return _back(circle, "#places")


@organizer_required
@require_POST
def backfill_confirm(request, slug, pk, backfill_id):
    success = "Invited {candidate} to {circle}."
    return _backfill_action(request, slug, pk, backfill_id, backfills.confirm_backfill, success)


@organizer_required
@require_POST
def backfill_dismiss(request, slug, pk, backfill_id):
    success = "Dismissed {candidate}; look again when you want another proposal."
    return _backfill_action(request, slug, pk, backfill_id, backfills.dismiss_backfill, success)


@organizer_required
@require_POST
def backfill_look_again(request, slug, pk, member_id):
    circle = _circle(slug, pk)
    vacancy = get_object_or_404(CircleMember, pk=member_id, circle=circle)
    try:
        backfill = backfills.look_again(vacancy, by=request.user)
    except ValidationError as error:
        return _refused(request, circle, error)
    found = f"Proposed {backfill.candidate}." if backfill.candidate else "Still nobody fits."
    messages.success(request, f"Looked again for the place of {vacancy.signup}: {found}")
    return _back(circle, "#places")


@organizer_required
@require_POST
def circle_merge(request, slug, pk):
    circle = _circle(slug, pk)
    form = MergeForm(circle, request.POST)
    if not form.is_valid():
        return _refused(request, circle, "Choose a circle of this round to merge with.")
    into = form.cleaned_data["into"]
    try:
        circle_changes.merge_circles(circle, into=into, by=request.user)
    except ValidationError as error:
        return _refused(request, circle, error)
    messages.success(request, f"Merged {circle} into {into}.")
    return _back(into)


@organizer_required
@require_POST
def circle_end(request, slug, pk):
    circle = _circle(slug, pk)
    form = EndForm(circle, request.POST)
    if not form.is_valid():
        return _refused(request, circle, "Say why the circle ends.", end_form=form)
    data = form.cleaned_data
    try:
        circle_changes.end_circle(
            circle, reason=data["reason"], by=request.user, carry_to=data["carry_to"]
        )
    except ValidationError as error:
        return _refused(request, circle, error, end_form=form)
    messages.success(request, f"Ended {circle}; its members are back on the waitlist.")
    return _back(circle)
