"""Mentorship days: a coach gives a whole day, sliced into back-to-back sessions with breaks."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from mentoring import slots

from .coaches import SESSION_LENGTHS, CoachProfile, Topic


class MentorshipDayQuerySet(models.QuerySet):
    def active(self):
        """Days their coach has not called off."""
        return self.filter(cancelled_at=None)

    def bookable(self):
        """Days still on whose coach takes bookings: turning bookings off closes them too."""
        return self.active().filter(coach__accepting_bookings=True, coach__user__is_active=True)

    def upcoming(self, now=None):
        """Days that are still on and have not ended, by the date in the day's zone (a day ahead
        covers every zone)."""
        today = (now or timezone.now()).date()
        return self.active().filter(day__gte=today - timedelta(days=1))


class MentorshipDay(models.Model):
    coach = models.ForeignKey(CoachProfile, on_delete=models.CASCADE, related_name="days")
    title = models.CharField(
        max_length=120, blank=True, help_text="What the day is about, in a few words (optional)."
    )
    day = models.DateField(help_text="The date in the coach's own timezone.")
    # The zone the date and times were planned in (the coach's then): a later change of the
    # coach's timezone must not move the day away from the sessions already booked on it.
    timezone = models.CharField(max_length=64, help_text="The timezone its date and times are in.")
    starts_at = models.TimeField("from")
    ends_at = models.TimeField("until")
    session_minutes = models.PositiveSmallIntegerField(
        "each session (minutes)", choices=[(n, f"{n} minutes") for n in SESSION_LENGTHS]
    )
    break_minutes = models.PositiveSmallIntegerField(
        "break after each (minutes)", default=15, validators=[MaxValueValidator(120)]
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="mentorship_days")
    description = models.TextField(blank=True, max_length=2000)
    announced_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MentorshipDayQuerySet.as_manager()

    class Meta:
        ordering = ["day", "starts_at", "pk"]
        constraints = [
            # A day called off frees its date for another one.
            models.UniqueConstraint(
                fields=["coach", "day"],
                condition=Q(cancelled_at=None),
                name="mentorship_day_one_per_date",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="mentorship_day_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach}'s mentorship day, {self.day:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("mentoring:day_detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def opens_at(self):
        """When the first session starts, as a UTC instant."""
        return slots.to_utc(self.day, self.starts_at, ZoneInfo(self.timezone))

    @property
    def closes_at(self):
        """When the day ends (its end time, on its date), as a UTC instant."""
        return slots.to_utc(self.day, self.ends_at, ZoneInfo(self.timezone))

    def slices(self) -> list[tuple]:
        return slots.day_slices(
            self.day,
            self.starts_at,
            self.ends_at,
            timezone=self.timezone,
            length=timedelta(minutes=self.session_minutes),
            gap=timedelta(minutes=self.break_minutes),
        )
