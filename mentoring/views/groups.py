"""Mentoring groups: the list, opening one, asking to join, and the group's own page with its
requests, consent, RSVP, notes, attendance and calendar."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community.access import coach_required, member_required, members_only, organizer_required
from mentoring import group_forms as forms
from mentoring.models import GroupMembership, GroupSession, MentoringGroup
from mentoring.services import group_calendar, group_sessions, groups
from mentoring.services.coaching import coach_profile_for
from mentoring.services.group_health import flagged_groups
from mentoring.services.group_page import group_page


def group_access(view):
    """Its coach, its accepted members and organizers; other members get a 404, others a 403."""

    @wraps(view)
    @login_required
    def wrapper(request, pk, *args, **kwargs):
        group = get_object_or_404(MentoringGroup.objects.select_related("coach__user"), pk=pk)
        membership = groups.membership_of(group, request.user)
        accepted = membership if membership and membership.is_accepted else None
        coach = group.coach.user_id == request.user.pk
        if accepted is None and not coach and not request.user.is_organizer:
            if not request.user.is_member:
                return members_only(request)
            raise Http404("No such group.")
        return view(request, group, accepted, *args, **kwargs)

    return wrapper


def _back(request, group: MentoringGroup, error: ValidationError | None = None, done: str = ""):
    if error is not None:
        messages.error(request, " ".join(error.messages))
    elif done:
        messages.success(request, done)
    return redirect(group)


def _act(request, target: MentoringGroup, action, /, *, done: str, **kwargs):
    """Call one service; its refusal becomes a message on the group's page."""
    try:
        action(**kwargs)
    except ValidationError as error:
        return _back(request, target, error)
    return _back(request, target, done=done)


def _session(group: MentoringGroup, number: int) -> GroupSession:
    return get_object_or_404(GroupSession, group=group, number=number)


@member_required
def group_list(request):
    mine = GroupMembership.objects.filter(
        user=request.user, status__in=GroupMembership.CURRENT, group__ended_at__isnull=True
    ).select_related("group__coach__user")
    context = {
        "open": MentoringGroup.objects.open_to_join()
        .with_places_taken()
        .exclude(memberships__in=mine)
        .exclude(coach__user=request.user)
        .select_related("coach__user"),
        "mine": mine,
        "leading": MentoringGroup.objects.running().filter(coach__user=request.user),
    }
    return render(request, "mentoring/group_list.html", context)


@coach_required
def group_create(request):
    coach = coach_profile_for(request.user)
    form = forms.GroupForm(request.POST or None, zone=coach.timezone)
    if request.method == "POST" and form.is_valid():
        try:
            group = groups.open_group(coach, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your group is open; its sessions are in your calendar.")
            return redirect(group)
    return render(request, "mentoring/group_form.html", {"form": form, "zone": coach.timezone})


@member_required
def group_join(request, pk):
    group = get_object_or_404(MentoringGroup.objects.running().select_related("coach__user"), pk=pk)
    form = forms.JoinForm(request.POST or None)
    context = {
        "group": group,
        "form": form,
        "membership": groups.membership_of(group, request.user),
        "full": groups.accepted_count(group) >= group.capacity,
        "open": MentoringGroup.objects.open_to_join().filter(pk=group.pk).exists(),
    }
    if request.method == "POST" and form.is_valid():
        try:
            groups.request_to_join(group, member=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your request is sent; the coach will answer by email.")
            return redirect("mentoring:group_list")
    return render(request, "mentoring/group_join.html", context)


@group_access
def group_detail(request, group, membership):
    context = group_page(group, user=request.user, membership=membership)
    context["note_form"] = forms.NoteForm(initial={"note": getattr(context["last"], "note", "")})
    return render(request, "mentoring/group_detail.html", context)


def _request(group: MentoringGroup, request_pk: int) -> GroupMembership:
    return get_object_or_404(group.memberships, pk=request_pk)


@group_access
@require_POST
def request_accept(request, group, membership, request_pk):
    found = _request(group, request_pk)
    done = f"{found.user} is in; they are asked to confirm before they get the calendar."
    return _act(request, group, groups.accept_request, done=done, membership=found, by=request.user)


@group_access
@require_POST
def request_decline(request, group, membership, request_pk):
    form = forms.DeclineForm(request.POST)
    found = _request(group, request_pk)
    if not form.is_valid():
        return _back(request, group, ValidationError(form.errors["reason"]))
    return _act(
        request,
        group,
        groups.decline_request,
        done=f"{found.user} is told, kindly.",
        membership=found,
        by=request.user,
        reason=form.cleaned_data["reason"],
    )


@group_access
@require_POST
def place_release(request, group, membership, request_pk):
    found = _request(group, request_pk)
    done = f"{found.user}'s place is free again; they are told by email and may ask again."
    return _act(request, group, groups.release_place, done=done, membership=found, by=request.user)


@group_access
@require_POST
def group_consent(request, group, membership):
    if membership is None:
        return _back(request, group, ValidationError("Only an accepted member can consent."))
    done = "Welcome! The sessions are on their way to your calendar."
    return _act(
        request, group, groups.consent_to_group, done=done, membership=membership, by=request.user
    )


@login_required
@require_POST
def group_leave(request, pk):
    group = get_object_or_404(MentoringGroup, pk=pk)
    membership = groups.membership_of(group, request.user)
    if membership is None:
        raise Http404("You are not in this group.")
    done = f"You have left {group}."
    if not membership.is_accepted:
        done = f"Your request to join {group} is withdrawn."
    try:
        groups.leave_group(membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("mentoring:group_list")


@group_access
@require_POST
def group_rsvp(request, group, membership):
    form = forms.RsvpForm(request.POST)
    upcoming = group_sessions.next_session(group)
    if membership is None or upcoming is None:
        return _back(request, group, ValidationError("There is no session to answer for."))
    if not form.is_valid():
        return _back(request, group, ValidationError("Answer yes or no."))
    rsvp = form.cleaned_data["rsvp"]
    return _act(
        request,
        group,
        group_sessions.record_rsvp,
        done="Your answer is saved.",
        session=upcoming,
        membership=membership,
        rsvp=rsvp,
    )


@group_access
@require_POST
def session_note(request, group, membership, number):
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        return _back(request, group, ValidationError(form.errors["note"]))
    return _act(
        request,
        group,
        group_sessions.save_session_note,
        done="The note is saved.",
        session=_session(group, number),
        note=form.cleaned_data["note"],
        by=request.user,
    )


@group_access
@require_POST
def session_attendance(request, group, membership, number):
    form = forms.AttendanceForm(request.POST, members=group_sessions.joined_members(group))
    if not form.is_valid():
        return _back(request, group, ValidationError("Tick the members who came."))
    return _act(
        request,
        group,
        group_sessions.record_attendance,
        done="Attendance is recorded.",
        session=_session(group, number),
        present=set(form.cleaned_data["present"]),
        by=request.user,
    )


@group_access
@require_POST
def session_cancel(request, group, membership, number):
    done = "The session is cancelled; everyone's calendar is updated."
    session = _session(group, number)
    return _act(
        request, group, group_sessions.cancel_session, done=done, session=session, by=request.user
    )


@group_access
@require_POST
def group_end(request, group, membership):
    done = "The group has ended; its sessions are cancelled in everyone's calendar."
    return _act(request, group, groups.end_group, done=done, group=group, by=request.user)


@group_access
def group_calendar_file(request, group, membership):
    joined = membership is not None and membership.has_joined
    if not (joined or group.coach.user_id == request.user.pk or request.user.is_organizer):
        raise Http404("The calendar comes once you have confirmed you are joining.")
    attendee = None if request.user.is_organizer and not joined else request.user.email
    ics = group_calendar.published_calendar(group, attendee=attendee)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mentoring-group-{group.pk}.ics"'
    return response


@organizer_required
def flagged_group_list(request):
    return render(request, "mentoring/group_flags.html", {"flags": flagged_groups()})
