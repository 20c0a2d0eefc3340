"""Registering for webinars: capacity held under a lock, a waitlist that moves up, invitations.

Every change of a webinar's places locks the webinar's row first (`select_for_update`), so two
people asking for the last place at once are served one after the other: one gets it, the other
the waitlist. https://docs.djangoproject.com/en/5.2/ref/models/querysets/#select-for-update
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from content.models import Registration, Webinar
from content.services import webinar_emails as emails

LISTED = ("pk", "title", "slug", "summary", "visibility", "starts_at", "ends_at", "state")
ACTIVE = [Registration.Status.REGISTERED, Registration.Status.WAITLISTED]


def locked(webinar: Webinar) -> Webinar:
    return Webinar.objects.select_for_update().get(pk=webinar.pk)


def registered_count(webinar: Webinar) -> int:
    return webinar.registrations.filter(status=Registration.Status.REGISTERED).count()


def registration_of(webinar: Webinar, user) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return webinar.registrations.filter(user=user).first()


@transaction.atomic
def register_for_webinar(webinar: Webinar, *, user) -> Registration:
    """A place if one is left, else the waitlist; asking again changes nothing."""
    webinar = locked(webinar)
    if not webinar.is_open():
        raise ValidationError("Registration for this webinar is closed.")
    if not webinar.may_register(user):
        raise ValidationError("This webinar is for members; verify your email address or apply.")
    registration = webinar.registrations.filter(user=user).first()
    if registration and registration.status in ACTIVE:
        return registration
    full = registered_count(webinar) >= webinar.capacity
    status = Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED
    if registration is None:
        registration = Registration(webinar=webinar, user=user, status=status)
    else:  # back after cancelling: the same calendar event, a newer SEQUENCE
        registration.status, registration.sequence = status, registration.sequence + 1
        registration.reminded_day_before_at = registration.reminded_hour_before_at = None
    registration.status_changed_at = timezone.now()
    _skip_day_reminder_inside_the_day(registration, now=registration.status_changed_at)
    registration.save()
    emails.send_confirmation(registration)
    return registration


DAY_REMINDER_HOURS = 24


def _skip_day_reminder_inside_the_day(registration: Registration, *, now) -> None:
    """Someone who gets a place less than a day ahead has just been sent its time and link: the
    day reminder would repeat it minutes later (as a booking made late gets only the reminders
    still ahead). The hour reminder, with the link, still comes."""
    if registration.is_registered and registration.webinar.starts_at <= now + timedelta(
        hours=DAY_REMINDER_HOURS
    ):
        registration.reminded_day_before_at = registration.reminded_day_before_at or now


@transaction.atomic
def cancel_registration(registration: Registration, *, by) -> Registration:
    """Give up a place (the first on the waitlist takes it) or leave the waitlist, until it starts.

    Once it has started, a "Cancelled" email and a calendar cancellation would be about an event
    under way, and a place handed to the waitlist would be one in the past.
    """
    webinar = locked(registration.webinar)
    if webinar.state == Webinar.State.CANCELLED:
        raise ValidationError("This webinar has been cancelled; there is no place to give up.")
    if not webinar.is_open():
        raise ValidationError(
            "This webinar has started, so a place in it can no longer be given up."
        )
    registration, _ = _give_up(registration, tell_them=True)
    return registration


@transaction.atomic
def release_places_of(user) -> list[Registration]:
    """Before an account is erased: its places in open webinars go to the waitlist, as on a
    cancellation, but the person leaving is sent nothing. Returns who moved up."""
    upcoming = Webinar.objects.announced().filter(starts_at__gt=timezone.now())
    active = user.webinar_registrations.filter(status__in=ACTIVE, webinar__in=upcoming)
    promoted: list[Registration] = []
    # Webinars in one order, so two accounts erased at once never wait on each other's locks.
    for registration in active.order_by("webinar_id"):
        promoted += _give_up(registration, tell_them=False)[1]
    return promoted


def _give_up(
    registration: Registration, *, tell_them: bool
) -> tuple[Registration, list[Registration]]:
    """Cancel under the webinar's lock, then offer a freed place to the waitlist."""
    webinar = locked(registration.webinar)
    registration = Registration.objects.select_related("user", "webinar").get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration, []
    was_registered = registration.is_registered
    registration.status = Registration.Status.CANCELLED
    registration.sequence += 1
    registration.status_changed_at = timezone.now()
    registration.save(update_fields=["status", "sequence", "status_changed_at"])
    if tell_them:
        emails.send_registration_cancelled(registration, was_registered=was_registered)
    promoted = promote_from_waitlist(webinar) if was_registered and webinar.is_open() else []
    return registration, promoted


def promote_from_waitlist(webinar: Webinar) -> list[Registration]:
    """Fill free places from the waitlist, first come first served; call with the webinar locked."""
    free = webinar.capacity - registered_count(webinar)
    if free <= 0:
        return []
    waiting = webinar.registrations.filter(status=Registration.Status.WAITLISTED)
    promoted = list(waiting.select_related("user", "webinar").order_by("status_changed_at", "pk"))
    promoted = promoted[:free]
    now = timezone.now()
    for registration in promoted:
        registration.status = Registration.Status.REGISTERED
        registration.sequence += 1
        registration.status_changed_at = now
        _skip_day_reminder_inside_the_day(registration, now=now)
        registration.save(
            update_fields=["status", "sequence", "status_changed_at", "reminded_day_before_at"]
        )
        emails.send_promotion(registration)
    return promoted


def notify_change(webinar: Webinar, *, moved: bool = False) -> int:
    """A new time, length, title or join link: every registered person's event moves. A new time
    is news to the waiting too: a place they may still get is at another time now."""
    told = [Registration.Status.REGISTERED] + ([Registration.Status.WAITLISTED] if moved else [])
    active = webinar.registrations.filter(status__in=told)
    active.update(sequence=F("sequence") + 1)
    count = 0
    for registration in active.select_related("user", "webinar"):
        if registration.is_registered:
            emails.send_update(registration)
        else:
            emails.send_waitlist_moved(registration)
        count += 1
    return count


def notify_cancellation(webinar: Webinar) -> int:
    """The webinar is off: the registered get METHOD:CANCEL, the waiting a note."""
    active = webinar.registrations.filter(status__in=ACTIVE)
    active.filter(status=Registration.Status.REGISTERED).update(sequence=F("sequence") + 1)
    count = 0
    for registration in active.select_related("user", "webinar"):
        emails.send_webinar_cancelled(registration, was_registered=registration.is_registered)
        count += 1
    return count
