"""Organizers' pages for rounds: the list, opening one, editing it, and what it holds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render

from circles.forms import RoundForm
from circles.models import CircleMember, Round, SignUp
from circles.services.rounds import create_round, update_round
from community.access import organizer_required

SIGNUPS_SHOWN = 500


@organizer_required
def round_list(request):
    rounds = Round.objects.annotate(
        signup_count=Count("signups", filter=Q(signups__status=SignUp.Status.ACTIVE))
    )
    return render(request, "circles/round_list.html", {"rounds": rounds})


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error)


@organizer_required
def round_create(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round = create_round(data=form.cleaned_data, created_by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"{round.name} is saved.")
            return redirect("circles:round_detail", slug=round.slug)
    return render(request, "circles/round_form.html", {"form": form})


@organizer_required
def round_edit(request, slug):
    round = get_object_or_404(Round, slug=slug)
    form = RoundForm(request.POST or None, instance=round)
    if request.method == "POST" and form.is_valid():
        try:
            update_round(round, data=form.cleaned_data, changed_by=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "The round is saved.")
            return redirect("circles:round_detail", slug=round.slug)
    return render(request, "circles/round_form.html", {"form": form, "round": round})


@organizer_required
def round_detail(request, slug):
    round = get_object_or_404(Round, slug=slug)
    signups = round.signups.order_by("status", "name", "pk").only(
        "pk",
        "round",  # the related manager sets each row's round, which reads round_id
        "name",
        "email",
        "external_id",
        "source",
        "status",
        "format",
        "place_name",
        "timezone",
        "problems",
    )
    counts = dict(round.signups.values_list("status").annotate(count=Count("pk")).order_by())
    context = {
        "round": round,
        "signups": signups[:SIGNUPS_SHOWN],
        "shown_limit": SIGNUPS_SHOWN,
        "counts": {label: counts.get(value, 0) for value, label in SignUp.Status.choices},
        "imports": round.imports.select_related("uploaded_by")[:20],
        "circles": round.circles.annotate(
            member_count=Count("members", filter=Q(members__status__in=CircleMember.CURRENT))
        ),
        "rules": [
            (round._meta.get_field(name), getattr(round, name)) for name in Round.RULE_FIELDS
        ],
    }
    return render(request, "circles/round_detail.html", context)
