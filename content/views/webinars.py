"""Readers' webinar pages: the upcoming list, a webinar's page, registering, the files after it.

A members-only webinar shows outsiders its title, summary, speakers and time; its description,
summary of the event, recording and slides are left out of the context. The join link is given
to the registered only.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from content.models import Registration, Webinar
from content.services import webinars as service

FILES = {"recording": "recording_file", "slides": "slides"}


def _visible():
    """Announced or past ones; cancelled ones keep a page saying so, for those who had a link."""
    return Webinar.objects.exclude(state=Webinar.State.DRAFT)


def webinar_list(request):
    upcoming = (
        Webinar.objects.upcoming()
        .only(*service.LISTED, "capacity")
        .with_places_for(request.user)
        .prefetch_related("speakers")
    )
    past = Webinar.objects.in_library().for_listing()[:6]
    context = {
        "upcoming": upcoming[:100],
        "past": past,
        "canonical_url": settings.SITE_URL + request.path,
    }
    return render(request, "content/webinar_list.html", context)


def webinar_detail(request, slug):
    webinar = get_object_or_404(_visible().defer("search_vector", "teaser_vector"), slug=slug)
    readable = webinar.readable_by(request.user)
    # A cancelled webinar's page says so, and nothing of a place in it or of how to join.
    cancelled = webinar.state == Webinar.State.CANCELLED
    registration = None if cancelled else service.registration_of(webinar, request.user)
    registered = registration is not None and registration.is_registered
    context = {
        "webinar": webinar,
        "readable": readable,
        "description_html": webinar.description_html if readable else "",
        "recap_html": webinar.recap_html if readable else "",
        "join_url": webinar.join_url if registered else "",
        "registration": registration,
        "active": registration is not None and registration.status in service.ACTIVE,
        "may_register": webinar.may_register(request.user),
        "is_open": webinar.is_open(),
        "has_ended": webinar.has_ended(),
        "places_left": max(0, webinar.capacity - service.registered_count(webinar)),
        "canonical_url": settings.SITE_URL + webinar.get_absolute_url(),
    }
    return render(request, "content/webinar_detail.html", context)


@login_required
@require_POST
def webinar_register(request, slug):
    webinar = get_object_or_404(Webinar.objects.announced(), slug=slug)
    try:
        registration = service.register_for_webinar(webinar, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.is_registered:
            messages.success(request, "You are registered; the invitation is in your email.")
        else:
            messages.info(request, "It is full: you are on the waitlist.")
    return redirect(webinar.get_absolute_url())


@login_required
@require_POST
def webinar_cancel_registration(request, slug):
    webinar = get_object_or_404(_visible(), slug=slug)
    registration = get_object_or_404(Registration, webinar=webinar, user=request.user)
    waiting = registration.status == Registration.Status.WAITLISTED
    try:
        service.cancel_registration(registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        thanks = "Cancelled. Thank you for letting someone else take your place."
        messages.success(request, "You have left the waitlist." if waiting else thanks)
    return redirect(webinar.get_absolute_url())


def webinar_file(request, slug, which):
    """The uploaded recording or slides, to those who may read the webinar."""
    webinar = get_object_or_404(Webinar.objects.in_library(), slug=slug)
    if which not in FILES or not webinar.readable_by(request.user):
        raise Http404
    stored = getattr(webinar, FILES[which])
    if not stored:
        raise Http404
    return FileResponse(stored.open("rb"), as_attachment=which == "slides")
