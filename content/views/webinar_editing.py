"""Editors' webinar pages: write, announce, cancel, registrations and their CSV, messages, and
the recording after the event. Each parses a form and calls one service."""

import csv
from datetime import UTC

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Q, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community.access import editor_required
from content.forms import MessageForm, RecordingForm, WebinarForm
from content.models import Registration, Webinar
from content.rendering import outside_images_notice
from content.services import webinar_editing as service
from content.services.webinars import registered_count

CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _save(request, form: WebinarForm) -> Webinar:
    return service.save_webinar(
        form.instance,
        saved_by=request.user,
        speakers=list(form.cleaned_data["speakers"]),
        topics=list(form.cleaned_data["topics"]),
    )


@editor_required
def webinar_manage_list(request):
    registered = Count("registrations", filter=Q(registrations__status="registered"))
    waiting = Count("registrations", filter=Q(registrations__status="waitlisted"))
    webinars = Webinar.objects.annotate(registered=registered, waiting=waiting)
    context = {"webinars": webinars.order_by("-starts_at", "-pk")[:200]}
    return render(request, "content/webinar_manage_list.html", context)


@editor_required
def webinar_create(request):
    form = WebinarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        webinar = _save(request, form)
        messages.success(request, "Draft saved. Announce it when it is ready.")
        return redirect("content:webinar_edit", pk=webinar.pk)
    return render(request, "content/webinar_form.html", {"form": form})


@editor_required
def webinar_edit(request, pk):
    webinar = get_object_or_404(Webinar, pk=pk)
    form = WebinarForm(request.POST or None, instance=webinar)
    if request.method == "POST" and form.is_valid():
        _save(request, form)
        messages.success(request, "Saved; the registered get the new time or link, if it changed.")
        over = registered_count(webinar) - webinar.capacity
        if over > 0:
            messages.warning(
                request,
                f"{over + webinar.capacity} people hold a place, more than the new capacity of "
                f"{webinar.capacity}: they keep their places, and new sign-ups join the waitlist.",
            )
        return redirect("content:webinar_edit", pk=webinar.pk)
    context = {
        "webinar": webinar,
        "form": form,
        "has_ended": webinar.has_ended(),
        "preview_notice": outside_images_notice(webinar.description_markdown),
    }
    return render(request, "content/webinar_form.html", context)


def _act(request, webinar: Webinar, action, success: str):
    try:
        action(webinar, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("content:webinar_edit", pk=webinar.pk)


@editor_required
@require_POST
def webinar_schedule(request, pk):
    webinar = get_object_or_404(Webinar, pk=pk)
    return _act(request, webinar, service.schedule_webinar, "Announced: people can register.")


@editor_required
@require_POST
def webinar_cancel(request, pk):
    webinar = get_object_or_404(Webinar, pk=pk)
    return _act(request, webinar, service.cancel_webinar, "Cancelled; everyone was told.")


@editor_required
@require_POST
def webinar_delete(request, pk):
    webinar = get_object_or_404(Webinar, pk=pk)
    try:
        service.delete_draft_webinar(webinar, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("content:webinar_edit", pk=webinar.pk)
    messages.success(request, f"The draft “{webinar.title}” is deleted.")
    return redirect("content:webinar_manage_list")


# The registered first, then the waitlist, then those who cancelled (not the status's letters).
STATUS_ORDER = Case(
    When(status=Registration.Status.REGISTERED, then=Value(0)),
    When(status=Registration.Status.WAITLISTED, then=Value(1)),
    default=Value(2),
)


def _registrations(webinar: Webinar):
    """Within each status by "Since", the time the status began: for the waitlist, its order."""
    registrations = webinar.registrations.select_related("user").alias(rank=STATUS_ORDER)
    return registrations.order_by("rank", "status_changed_at", "pk")


@editor_required
def webinar_registrations(request, pk):
    webinar = get_object_or_404(Webinar, pk=pk)
    context = {"webinar": webinar, "registrations": _registrations(webinar)}
    return render(request, "content/webinar_registrations.html", context)


def _cell(value) -> str:
    """A spreadsheet runs a cell that starts like a formula; a leading quote keeps it text."""
    text = str(value)
    return "'" + text if text.startswith(CSV_FORMULA_STARTS) else text


@editor_required
def webinar_registrations_csv(request, pk):
    webinar = get_object_or_404(Webinar, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{webinar.slug}-registrations.csv"'
    writer = csv.writer(response)
    writer.writerow(["Name", "Email", "Status", "Since (UTC)", "Registered first (UTC)"])
    for registration in _registrations(webinar):
        user = registration.user
        row = [
            user.get_full_name(),
            user.email,
            registration.get_status_display(),
            registration.status_changed_at.astimezone(UTC).isoformat(),
            registration.created_at.astimezone(UTC).isoformat(),
        ]
        writer.writerow([_cell(value) for value in row])
    return response


@editor_required
def webinar_message(request, pk):
    webinar = get_object_or_404(Webinar, pk=pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = service.message_registered(webinar, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            people = "person" if message.recipients == 1 else "people"
            messages.success(request, f"Sent to {message.recipients} registered {people}.")
            return redirect("content:webinar_registrations", pk=webinar.pk)
    context = {"webinar": webinar, "form": form, "sent": webinar.messages.all()[:20]}
    return render(request, "content/webinar_message.html", context)


@editor_required
def webinar_recording(request, pk):
    webinar = get_object_or_404(Webinar, pk=pk)
    initial = {
        "recording_url": webinar.recording_url,
        "recap_markdown": webinar.recap_markdown,
        "visibility": webinar.visibility if webinar.library_at else Webinar.Visibility.MEMBERS,
    }
    form = RecordingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            service.publish_recording(webinar, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Published: it is in the library now.")
            return redirect(webinar.get_absolute_url())
    context = {"webinar": webinar, "form": form, "has_ended": webinar.has_ended()}
    return render(request, "content/webinar_recording.html", context)
