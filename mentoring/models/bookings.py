"""A one-to-one session between a coach and a member."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.urls import reverse
from django.utils import timezone

from .coaches import CoachProfile, Topic
from .constraints import PostgresExclusionConstraint


class TsTzRange(Func):
    """PostgreSQL's tstzrange(lower, upper, '[)'), for the exclusion constraints."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class BookingQuerySet(models.QuerySet):
    def active(self):
        """Bookings that hold their time: all but the cancelled ones."""
        return self.exclude(status=Booking.Status.CANCELLED)

    def upcoming(self, now=None):
        return self.filter(status=Booking.Status.BOOKED, starts_at__gt=now or timezone.now())

    def involving(self, user):
        return self.filter(Q(member=user) | Q(coach__user=user))


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"
        HELD = "held", "Held"
        MEMBER_NO_SHOW = "member_no_show", "Member did not come"
        COACH_NO_SHOW = "coach_no_show", "Coach did not come"

    coach = models.ForeignKey(CoachProfile, on_delete=models.CASCADE, related_name="bookings")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_bookings"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The time the session keeps from other bookings: itself and the coach's buffers when it was
    # booked, so a later change of buffers never makes two existing bookings overlap.
    blocked_from = models.DateTimeField()
    blocked_until = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status, default=Status.BOOKED)
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True)
    agenda = models.TextField("what to talk about", max_length=2000)
    # The coach's question as the member was asked it: the coach may reword it afterwards.
    intake_question = models.CharField(max_length=300, blank=True)
    intake_answer = models.TextField(blank=True, max_length=2000)
    sequence = models.PositiveIntegerField(
        default=0, help_text="The calendar invitation's SEQUENCE: one more on each change."
    )
    rescheduled_from = models.DateTimeField(
        null=True, blank=True, help_text="Where the session started before its last move."
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    mentorship_day = models.ForeignKey(
        "mentoring.MentorshipDay",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The coach, for a follow-up they booked for the member (who may decline it).",
    )
    change_reason = models.TextField(
        blank=True, max_length=1000, help_text="Why the session was last moved or cancelled."
    )
    reminded_day_before_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_before_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"], name="booking_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at"))
                & Q(blocked_from__lte=F("starts_at"))
                & Q(blocked_until__gte=F("ends_at")),
                name="booking_times_in_order",
            ),
            # No two active bookings of a coach overlap, buffers included ...
            PostgresExclusionConstraint(
                name="booking_coach_no_overlap",
                expressions=[
                    (
                        TsTzRange("blocked_from", "blocked_until", RangeBoundary()),
                        RangeOperators.OVERLAPS,
                    ),
                    ("coach", RangeOperators.EQUAL),
                ],
                condition=~Q(status="cancelled"),
            ),
            # ... and a member is never in two sessions at once.
            PostgresExclusionConstraint(
                name="booking_member_no_overlap",
                expressions=[
                    (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("member", RangeOperators.EQUAL),
                ],
                condition=~Q(status="cancelled"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} with {self.coach} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    def get_absolute_url(self) -> str:
        return reverse("mentoring:booking_detail", args=[self.pk])

    @property
    def is_booked(self) -> bool:
        return self.status == self.Status.BOOKED

    @property
    def is_offer(self) -> bool:
        return self.offered_by_id is not None

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def member_may(self, what: str, *, now: datetime) -> bool:
        """Whether the member may still have the session `what` ("moved" or "cancelled"): up to
        the notice before it starts, though a follow-up they were offered may be declined until
        it starts."""
        if self.is_offer and what == "cancelled":
            return True
        return self.starts_at - now >= timedelta(hours=settings.MENTORING_NOTICE_HOURS)
