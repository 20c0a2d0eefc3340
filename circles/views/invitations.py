"""Invitations: the organizer sends a round's circles; each person answers behind a signed link."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from circles.models import Circle, CircleMember, Round
from circles.services import invitation_answers, invitations
from circles.services.invitation_links import LinkRefused, member_for_link
from circles.services.invitation_page import invitation_page
from community.access import organizer_required


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
    consent = forms.BooleanField(
        required=False,
        label="I agree to be added to the circle's private channel and to share my name with the "
        "circle.",
    )


def _answer(member: CircleMember, data: dict) -> None:
    if data["answer"] == "accept":
        invitation_answers.accept_invitation(member, consent=data["consent"])
    else:
        invitation_answers.decline_invitation(member)


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    try:
        member = member_for_link(token, user=request.user)
    except LinkRefused as refusal:
        context = {"reason": refusal.reason}
        return render(request, "circles/invitation_refused.html", context, status=refusal.status)
    form, error = AnswerForm(request.POST or None), ""
    # A second click (or a second tab) on an answered invitation shows the answer, unchanged.
    if request.method == "POST" and member.status == CircleMember.Status.INVITED:
        try:
            if not form.is_valid():
                raise ValidationError("Choose to accept or to decline.")
            _answer(member, form.cleaned_data)
            return redirect(request.path)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    context = {**invitation_page(member), "form": form, "error": error}
    return render(request, "circles/invitation_detail.html", context, status=400 if error else 200)


@organizer_required
@require_http_methods(["GET", "POST"])
def send_invitations(request, slug):
    round = get_object_or_404(Round, slug=slug)
    if request.method == "POST":
        try:
            people = invitations.send_round_invitations(round, by=request.user)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect("circles:send_invitations", slug=round.slug)
        messages.success(request, f"Sending invitations to {people} people, one email each.")
        return redirect("circles:round_review", slug=round.slug)
    context = {
        "round": round,
        "people": invitations.invitees(round).count(),
        "circles": round.circles.filter(status=Circle.Status.PROPOSED).count(),
    }
    return render(request, "circles/invitations_send.html", context)
