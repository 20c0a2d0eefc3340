"""What comes after a session: each side's private notes, shared action items, and organizers
pausing a member who keeps missing sessions."""

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, Q

from .bookings import Booking


class SessionNote(models.Model):
    """One side's own notes on a session: only their author ever sees them."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_notes"
    )
    text = models.TextField(max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "author"], name="session_note_one_per_side")
        ]

    def __str__(self) -> str:
        return f"Note by {self.author} on booking {self.booking_id}"


class ActionItemQuerySet(models.QuerySet):
    def open_first(self, *then: str):
        """Open items before done ones; within each, ordered by `then`."""
        is_done = ExpressionWrapper(Q(done_at__isnull=False), output_field=models.BooleanField())
        return self.order_by(is_done.asc(), *then)

    def earlier_with(self, booking: Booking):
        """The items of the pair's sessions before this one, which it follows up."""
        return self.filter(
            booking__coach_id=booking.coach_id,
            booking__member_id=booking.member_id,
            booking__starts_at__lt=booking.starts_at,
        ).exclude(booking__status=Booking.Status.CANCELLED)


class ActionItem(models.Model):
    """Something to do after a session, seen by both sides and on the pair's next booking."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who ticked it off: the coach or the member of the session.",
    )

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Whoever ticked an item off may later delete their account; the moment stays.
            models.CheckConstraint(
                condition=Q(done_by__isnull=True) | Q(done_at__isnull=False),
                name="action_item_done_by_only_when_done",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class BookingPause(models.Model):
    """A member an organizer has stopped from booking, usually after repeated no-shows."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_pause"
    )
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.member} paused from booking"
