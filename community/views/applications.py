from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from community.forms import ApplicationForm, SelfIdentificationForm
from community.services import applications as service
from community.services.self_identification import (
    save_self_identification,
    withdraw_self_identification,
)


@login_required
def application_edit(request):
    if request.user.is_member:
        return redirect("member_list")
    application = service.open_application(request.user)
    if application and not application.is_editable:
        messages.info(request, "Your application can no longer be changed.")
        return redirect("application_status")
    available_at = None if application else service.reapply_available_at(request.user)
    if available_at:
        return render(
            request, "community/application_cooldown.html", {"available_at": available_at}
        )
    submitting = "submit" in request.POST
    previous = {} if application else service.previous_answers(request.user)
    form = ApplicationForm(
        request.POST or None,
        instance=application,
        initial={**previous, "timezone": request.user.timezone},
        submitting=submitting,
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.save_application(request.user, data=form.cleaned_data, submit=submitting)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if submitting or (application and application.status != "draft"):
                messages.success(request, "Your application is saved. We will email you with news.")
                return redirect("application_status")
            messages.success(request, "Draft saved. Submit it when you are ready.")
            return redirect("application_edit")
    context = {"form": form, "application": application, "prefilled": bool(previous)}
    return render(request, "community/application_form.html", context)


@login_required
def application_status(request):
    application = service.latest_application(request.user)
    if application is None and not request.user.is_member:
        return redirect("application_edit")
    context = {
        "application": application,
        "decisions": application.decisions.all() if application else [],
        "available_at": service.reapply_available_at(request.user),
    }
    return render(request, "community/application_status.html", context)


@login_required
@require_POST
def application_withdraw(request):
    application = service.open_application(request.user)
    if application is None:
        messages.error(request, "You have no application to withdraw.")
        return redirect("application_status")
    was_draft = application.status == application.Status.DRAFT
    try:
        service.withdraw_application(application, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if was_draft:
            messages.success(request, "Your draft has been discarded.")
            return redirect("home")
        messages.success(request, "Your application has been withdrawn.")
    return redirect("application_status")


@login_required
def self_identification(request):
    record = getattr(request.user, "self_identification", None)
    initial = (
        {"gender": record.gender, "underrepresented": record.underrepresented} if record else {}
    )
    form = SelfIdentificationForm(request.POST or None, initial=initial)
    if request.method == "POST" and "withdraw" in request.POST:
        withdraw_self_identification(request.user)
        messages.success(request, "Your self-identification has been erased.")
        return redirect("self_identification")
    if request.method == "POST" and form.is_valid():
        try:
            save_self_identification(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("consent", error)
        else:
            messages.success(request, "Your self-identification has been saved.")
            return redirect("self_identification")
    return render(request, "community/self_identification.html", {"form": form, "record": record})
