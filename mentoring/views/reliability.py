"""Organizers see everyone's reliability and pause members who keep missing sessions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community.access import organizer_required
from community.models import User
from mentoring.forms import PauseForm
from mentoring.services import reliability

PEOPLE_PER_PAGE = 50


@organizer_required
def reliability_list(request):
    side = request.GET.get("side") if request.GET.get("side") in reliability.SIDES else "member"
    flagged = request.GET.get("flagged") == "1"
    people = reliability.records(side, flagged_only=flagged)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "side": side,
        "flagged": flagged,
        "page": page,
        "people": page.object_list,
        "repeated": reliability.REPEATED_NO_SHOWS,
        "pause_form": PauseForm(),
    }
    return render(request, "mentoring/reliability_list.html", context)


@require_POST
@organizer_required
def member_pause(request, user_pk):
    member = get_object_or_404(User, pk=user_pk)
    form = PauseForm(request.POST)
    try:
        if not form.is_valid():  # a reason too long is refused, not dropped
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        _, new = reliability.pause_member(
            member, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if new:
            messages.success(
                request, f"{member} can no longer book sessions. We have emailed them."
            )
        else:
            messages.info(request, f"{member} was paused already: the reason is updated.")
    return redirect("mentoring:reliability_list")


@require_POST
@organizer_required
def member_unpause(request, user_pk):
    member = get_object_or_404(User, pk=user_pk)
    if reliability.unpause_member(member, by=request.user):
        messages.success(request, f"{member} can book sessions again. We have emailed them.")
    else:
        messages.info(request, f"{member} was not paused.")
    return redirect("mentoring:reliability_list")
