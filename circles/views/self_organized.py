"""Members proposing their own circle in an open round, joining one others proposed, and leaving
one before it fills."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from circles.forms import ProposeCircleForm
from circles.models import Circle, Round
from circles.services.self_organized import join_circle, leave_forming_circle, propose_circle
from community.access import member_required


@member_required
def circle_propose(request, slug):
    round = get_object_or_404(Round, slug=slug, status=Round.Status.OPEN)
    form = ProposeCircleForm(
        request.POST or None, round=round, initial={"timezone": request.user.timezone}
    )
    if request.method == "POST" and form.is_valid():
        try:
            circle = propose_circle(round, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{circle} is open: others who signed up can join it until it has "
                f"{circle.target_size} people.",
            )
            return redirect("circles:signup_edit", slug=round.slug)
    return render(request, "circles/circle_propose.html", {"round": round, "form": form})


@member_required
@require_POST
def circle_join(request, slug, pk):
    circle = get_object_or_404(Circle, round__slug=slug, pk=pk)
    try:
        circle = join_circle(circle, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if circle.status == Circle.Status.PROPOSED:
            messages.success(
                request, f"You joined {circle}, and it is full: an organizer will send invitations."
            )
        else:
            messages.success(request, f"You joined {circle}.")
    return redirect("circles:signup_edit", slug=slug)


@member_required
@require_POST
def circle_leave_forming(request, slug, pk):
    circle = get_object_or_404(Circle, round__slug=slug, pk=pk)
    try:
        circle = leave_forming_circle(circle, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You left {circle}; your sign-up to the round stays.")
    return redirect("circles:signup_edit", slug=slug)
