"""The coach's own page: weekly windows as a week view, date exceptions, settings, and the
bookings a change left outside their availability."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from community.access import coach_required
from mentoring.forms import CoachSettingsForm, ExceptionForm, RuleForm
from mentoring.models import AvailabilityException, AvailabilityRule
from mentoring.services.availability import bookings_outside_rules
from mentoring.services.coaching import (
    add_availability,
    coach_profile_for,
    remove_availability,
    save_settings,
)
from mentoring.services.mentorship_days import days_ahead

FORMS = {"rule": RuleForm, "exception": ExceptionForm, "settings": CoachSettingsForm}


def week_view(rules) -> list[tuple[str, list]]:
    """Each weekday with its windows, Monday first."""
    days = [(label, []) for _, label in AvailabilityRule.Weekday.choices]
    for rule in rules:
        days[rule.weekday][1].append(rule)
    return days


def _saved(form, coach) -> str:
    """What saving told the coach: that turning bookings off closes their coming days too."""
    if "accepting_bookings" not in form.changed_data or coach.accepting_bookings:
        return "Saved. Members see your new open times straight away."
    said = "Saved. Members cannot book you until you take bookings again"
    n = len(days_ahead(coach))
    if n == 1:
        said += "; your coming mentorship day takes no bookings either"
    elif n:
        said += f"; your {n} coming mentorship days take no bookings either"
    return f"{said}. The sessions already booked stand."


@coach_required
def availability_edit(request):
    coach = coach_profile_for(request.user)
    bound = request.POST.get("form") if request.method == "POST" else None
    forms = {
        name: form_class(
            request.POST if name == bound else None,
            prefix=name,
            **({"instance": coach} if name == "settings" else {}),
        )
        for name, form_class in FORMS.items()
    }
    if bound in forms and forms[bound].is_valid():
        if bound == "settings":
            save_settings(forms[bound], coach=coach)
        else:
            add_availability(forms[bound], coach=coach)
        messages.success(request, _saved(forms[bound], coach))
        return redirect("mentoring:availability_edit")
    rules = list(coach.availability_rules.all())
    context = {
        "coach": coach,
        "forms": forms,
        "week": week_view(rules),
        "exceptions": coach.availability_exceptions.order_by("day"),
        "outside": bookings_outside_rules(coach),
        "upcoming": coach.bookings.upcoming().select_related("member")[:20],
    }
    return render(request, "mentoring/availability_edit.html", context)


def _removed(request, model, pk, *, what: str):
    """Remove one of the coach's own windows or dates, and say whether it was there to remove."""
    if remove_availability(model, coach=coach_profile_for(request.user), pk=pk):
        messages.success(request, f"The {what} is removed. Members see your new open times.")
    else:
        messages.error(request, f"That {what} was already removed.")
    return redirect("mentoring:availability_edit")


@require_POST
@coach_required
def rule_delete(request, pk):
    return _removed(request, AvailabilityRule, pk, what="weekly window")


@require_POST
@coach_required
def exception_delete(request, pk):
    return _removed(request, AvailabilityException, pk, what="date")
