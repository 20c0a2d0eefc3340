"""The members' circle page: the vote, the next meeting and RSVP, the note, who came, the ICS;
and, for the organizer or facilitator, moving a meeting and cancelling the series."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from circles import meeting_forms as forms
from circles.models import Circle, Meeting
from circles.services import attendance, calendar, meetings, scheduling
from circles.services.circle_members import may_schedule, member_email, membership_of
from circles.services.circle_page import circle_page
from community.access import members_only


def circle_access(view):
    """Its members who accepted, and organizers; other members get a 404, others a 403."""

    @wraps(view)
    @login_required
    def wrapper(request, pk, *args, **kwargs):
        circle = get_object_or_404(
            Circle.objects.select_related("round", "facilitator__signup"), pk=pk
        )
        membership = membership_of(circle, request.user)
        if membership is None and not request.user.is_organizer:
            if not request.user.is_member:
                return members_only(request)
            raise Http404("No such circle.")
        return view(request, circle, membership, *args, **kwargs)

    return wrapper


def _back(request, circle: Circle, error: ValidationError | None = None, done: str = ""):
    if error is not None:
        messages.error(request, " ".join(error.messages))
    elif done:
        messages.success(request, done)
    return redirect("circles:circle_detail", pk=circle.pk)


def _scheduler(request, circle: Circle) -> None:
    if not may_schedule(circle, request.user):
        raise PermissionDenied


def _meeting(circle: Circle, number: int) -> Meeting:
    return get_object_or_404(Meeting, circle=circle, number=number)


@circle_access
def circle_detail(request, circle, membership):
    context = circle_page(circle, user=request.user, membership=membership)
    context["note_form"] = forms.NoteForm(initial={"note": getattr(context["last"], "note", "")})
    return render(request, "circles/circle_detail.html", context)


@circle_access
@require_POST
def circle_vote(request, circle, membership):
    form = forms.VoteForm(request.POST, candidates=circle.candidates.all())
    if membership is None or not form.is_valid():
        return _back(request, circle, ValidationError("Only the circle's members vote."))
    try:
        scheduling.record_votes(circle, member=membership, can_attend=form.chosen())
    except ValidationError as error:
        return _back(request, circle, error)
    return _back(request, circle, done="Your answer is saved.")


@circle_access
@require_POST
def circle_pick_time(request, circle, membership):
    _scheduler(request, circle)
    form = forms.PickForm(request.POST)
    if not form.is_valid():
        return _back(request, circle, ValidationError("Choose one of the times."))
    candidate = get_object_or_404(circle.candidates, pk=form.cleaned_data["candidate"])
    try:
        scheduling.pick_meeting_time(circle, candidate=candidate, by=request.user)
    except ValidationError as error:
        return _back(request, circle, error)
    return _back(request, circle, done="The meeting time is set; every member gets the invitation.")


@circle_access
@require_POST
def circle_rsvp(request, circle, membership):
    form = forms.RsvpForm(request.POST)
    upcoming = attendance.next_meeting(circle)
    if membership is None or upcoming is None or not form.is_valid():
        return _back(request, circle, ValidationError("There is no meeting to answer for."))
    try:
        attendance.record_rsvp(upcoming, member=membership, rsvp=form.cleaned_data["rsvp"])
    except ValidationError as error:
        return _back(request, circle, error)
    return _back(request, circle, done="Your answer is saved.")


@circle_access
@require_POST
def meeting_note(request, circle, membership, number):
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        return _back(request, circle, ValidationError(form.errors["note"]))
    try:
        attendance.save_meeting_note(
            _meeting(circle, number), note=form.cleaned_data["note"], by=request.user
        )
    except ValidationError as error:
        return _back(request, circle, error)
    return _back(request, circle, done="The note is saved.")


@circle_access
@require_POST
def meeting_attendance(request, circle, membership, number):
    _scheduler(request, circle)
    members = circle.members.values_list("pk", "pk")
    form = forms.AttendanceForm(request.POST, members=members)
    if not form.is_valid():
        return _back(request, circle, ValidationError("Tick the members who came."))
    try:
        attendance.record_attendance(
            _meeting(circle, number), present=form.chosen(), by=request.user
        )
    except ValidationError as error:
        return _back(request, circle, error)
    return _back(request, circle, done="Attendance is recorded.")


@circle_access
@require_POST
def meeting_cancel(request, circle, membership, number):
    _scheduler(request, circle)
    try:
        meetings.cancel_meeting(_meeting(circle, number), by=request.user)
    except ValidationError as error:
        return _back(request, circle, error)
    return _back(request, circle, done="The meeting is cancelled; every member is told.")


@circle_access
@require_http_methods(["GET", "POST"])
def meeting_move(request, circle, membership, number):
    _scheduler(request, circle)
    meeting = _meeting(circle, number)
    form = forms.MoveForm(request.POST or None, initial={"starts_at": meeting.starts_at})
    if request.method == "POST" and form.is_valid():
        try:
            meetings.move_meeting(
                meeting, starts_at=form.cleaned_data["starts_at"], by=request.user
            )
        except ValidationError as error:
            form.add_error("starts_at", error)
        else:
            return _back(request, circle, done="The meeting has moved; every member is told.")
    context = {"circle": circle, "meeting": meeting, "form": form}
    return render(request, "circles/meeting_move.html", context, status=400 if form.errors else 200)


@circle_access
@require_http_methods(["GET", "POST"])
def series_cancel(request, circle, membership):
    """A confirmation page first: cancelling reaches every member's calendar and is final."""
    _scheduler(request, circle)
    if request.method == "POST":
        try:
            meetings.cancel_series(circle, by=request.user)
        except ValidationError as error:
            return _back(request, circle, error)
        return _back(request, circle, done="The meetings are cancelled; every member is told.")
    to_come = circle.meetings.filter(status=Meeting.Status.PLANNED, starts_at__gt=timezone.now())
    context = {
        "circle": circle,
        "to_come": to_come.count(),
        "next": to_come.order_by("starts_at").first(),
    }
    return render(request, "circles/series_cancel.html", context)


@circle_access
def circle_calendar(request, circle, membership):
    if not circle.meetings.exists():
        raise Http404("The circle's meeting time is not set yet.")
    attendee = member_email(membership) if membership else None
    ics = calendar.series_calendar(circle, attendee=attendee, method=calendar.PUBLISH)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="circle-{circle.pk}.ics"'
    return response


def rsvp_link(request, token):
    """The reminder's link: it shows the answer it records, and a button records it (a mail
    scanner that follows links must not answer for anyone)."""
    try:
        meeting, member, answer = attendance.read_rsvp_token(token)
    except ValidationError as error:
        return render(request, "circles/rsvp_link.html", {"error": error}, status=400)
    context = {"meeting": meeting, "member": member, "answer": answer}
    if request.method == "POST":
        try:
            attendance.record_rsvp(meeting, member=member, rsvp=answer)
        except ValidationError as error:
            return render(request, "circles/rsvp_link.html", {**context, "error": error})
        context["recorded"] = True
    return render(request, "circles/rsvp_link.html", context)
