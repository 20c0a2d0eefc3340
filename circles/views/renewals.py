"""Asking a circle whether to carry on: the organizer's button and the members' signed links."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from circles.models import Circle
from circles.services.renewals import ask_renewal, read_renewal_token, record_renewal
from community.access import organizer_required


def renewal_answer(request, token):
    """GET shows the answer to confirm (mail scanners follow links); POST records it once."""
    try:
        member, answer = read_renewal_token(token)
    except ValidationError as error:
        context = {"error": " ".join(error.messages)}
        return render(request, "circles/renewal_answer.html", context, status=400)
    recorded_now = False
    if request.method == "POST" and not member.renewal:
        recorded_now = record_renewal(member, answer=answer)
    context = {
        "member": member,
        "circle": member.circle,
        "answer": answer,
        "answer_label": member.Renewal(answer).label,
        "recorded_now": recorded_now,
    }
    return render(request, "circles/renewal_answer.html", context)


@organizer_required
@require_POST
def circle_renewal_ask(request, slug, pk):
    circle = get_object_or_404(Circle, round__slug=slug, pk=pk)
    try:
        asked = ask_renewal(circle, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{asked} member{'s' if asked != 1 else ''} asked to renew.")
    return redirect("circles:circle_health", slug=slug, pk=pk)
