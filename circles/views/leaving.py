"""A member leaves their circle: a confirmation page, then a POST."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from circles.models import CircleMember
from circles.services.circle_changes import LEAVABLE, leave_circle
from community.access import member_required


@member_required
def circle_leave(request, pk):
    member = get_object_or_404(
        CircleMember.objects.select_related("circle__round"),
        circle_id=pk,
        signup__user=request.user,
        status__in=LEAVABLE,
    )
    if request.method == "POST":
        try:
            leave_circle(member, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"You have left {member.circle}. Thank you for taking part.")
        return redirect("circles:open_round_list")
    return render(request, "circles/circle_leave.html", {"member": member, "circle": member.circle})
