"""What every recurring meeting series shares (learning circles, mentoring groups): one row per
occurrence, and each member's answer for it. Abstract: each app keeps its own tables."""

from django.conf import settings
from django.db import models


class Occurrence(models.Model):
    """One occurrence of a series; `number` counts from 0 and never changes, so the calendar can
    refer to it (RECURRENCE-ID is the occurrence's original start)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    number = models.PositiveSmallIntegerField()
    original_starts_at = models.DateTimeField(help_text="Its time in the series, before any move.")
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status, default=Status.PLANNED)
    note_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note_updated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Answer(models.Model):
    """A member's answer for one occurrence (RSVP), and whether they came."""

    class Rsvp(models.TextChoices):
        YES = "yes", "Coming"
        NO = "no", "Not coming"

    rsvp = models.CharField("RSVP", max_length=10, choices=Rsvp, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
