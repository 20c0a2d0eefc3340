"""A coach's own profile and availability rules, as they edit them."""

from django.db import transaction

from mentoring.models import AvailabilityException, AvailabilityRule, CoachProfile
from mentoring.services.mentorship_days import close_announced_days

DEFAULT_SESSION_LENGTHS = [30, 60]


def coach_profile_for(user) -> CoachProfile:
    """The coach's profile, made on their first visit with a closed calendar and default settings."""
    profile, _ = CoachProfile.objects.select_related("user").get_or_create(
        user=user, defaults={"session_lengths": DEFAULT_SESSION_LENGTHS}
    )
    return profile


@transaction.atomic
def save_settings(form, *, coach: CoachProfile) -> CoachProfile:
    """Save the coach's settings form; turning bookings off closes their announced days ahead,
    and the members they were announced to hear of it."""
    CoachProfile.objects.select_for_update().filter(pk=coach.pk).first()  # as bookings lock it
    profile = form.save()
    if "accepting_bookings" in form.changed_data and not profile.accepting_bookings:
        close_announced_days(profile)
    return profile


@transaction.atomic
def add_availability(form, *, coach: CoachProfile):
    """Save a weekly window or a date exception from its form. Bookings it no longer covers are
    kept: the availability page lists them to the coach."""
    item = form.save(commit=False)
    same = {name: getattr(item, name) for name in form.Meta.fields}
    # The same window or date sent twice is kept once, or removing it would seem not to work.
    if existing := type(item).objects.filter(coach=coach, **same).first():
        return existing
    item.coach = coach
    item.save()
    return item


@transaction.atomic
def remove_availability(model: type[AvailabilityRule | AvailabilityException], *, coach, pk) -> int:
    deleted, _ = model.objects.filter(coach=coach, pk=pk).delete()
    return deleted
