"""Mentoring groups: a coach with a few members who meet on a recurring series for peer
problem-solving; members ask to join, the coach decides, and each session has a shared note,
RSVPs and the coach's record of who came."""

from datetime import datetime, timedelta
from math import ceil
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from community.models.meetings import Answer, Occurrence

from .coaches import CoachProfile

DEFAULT_CAPACITY = 6


class MentoringGroupQuerySet(models.QuerySet):
    def running(self):
        """Groups whose series has not been ended."""
        return self.filter(ended_at__isnull=True)

    def open_to_join(self, now=None):
        """Running groups taking requests that still have a session to come."""
        to_come = GroupSession.objects.filter(
            group=OuterRef("pk"),
            status=GroupSession.Status.PLANNED,
            starts_at__gt=now or timezone.now(),
        )
        return self.running().filter(Exists(to_come), accepting_requests=True)

    def with_places_taken(self):
        """Each group's accepted members as `places_taken`, in the same query."""
        accepted = Q(memberships__status=GroupMembership.Status.ACCEPTED)
        return self.annotate(places_taken=Count("memberships", filter=accepted, distinct=True))


class MentoringGroup(models.Model):
    """A coach's group; its sessions recur every `every_weeks` weeks at the first session's
    wall-clock time in `timezone` (the coach's when they opened it)."""

    class Format(models.TextChoices):
        VIDEO = "video", "Video"
        IN_PERSON = "in_person", "In person"

    coach = models.ForeignKey(CoachProfile, on_delete=models.CASCADE, related_name="groups")
    topic = models.CharField(max_length=120)
    description = models.TextField(max_length=3000)
    format = models.CharField(max_length=20, choices=Format, default=Format.VIDEO)
    place = models.CharField(
        max_length=200, blank=True, help_text="Where it meets in person, or the video link."
    )
    capacity = models.PositiveSmallIntegerField(
        default=DEFAULT_CAPACITY, validators=[MinValueValidator(2), MaxValueValidator(20)]
    )
    accepting_requests = models.BooleanField(default=True)
    timezone = models.CharField(max_length=64, help_text="The timezone its sessions recur in.")
    first_session_at = models.DateTimeField()
    every_weeks = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    session_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    ics_sequence = models.PositiveIntegerField(
        "calendar sequence",
        default=0,
        help_text="The SEQUENCE of its calendar invitations: one more on every change.",
    )
    slack_channel = models.ForeignKey(
        "community.SlackChannel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentoringGroupQuerySet.as_manager()

    class Meta:
        ordering = ["first_session_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=2, capacity__lte=20), name="mentoring_group_capacity"
            ),
            models.CheckConstraint(condition=Q(every_weeks__gte=1), name="mentoring_group_recurs"),
        ]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("mentoring:group_detail", args=[self.pk])

    @property
    def ics_uid(self) -> str:
        """The calendar UID of its series; it never changes."""
        return f"mentoring-group-{self.pk}@{urlsplit(settings.SITE_URL).hostname or 'roundtable'}"

    @property
    def channel_name(self) -> str:
        return f"mentoring-group-{self.pk}"


class GroupMembership(models.Model):
    """A member's request to join a group, the coach's answer, and their consent to the channel.

    One current row (requested or accepted) per member and group; declined, left and released
    rows stay as history, so a member may ask again later. An accepted member has
    MENTORING_GROUP_CONFIRM_DAYS to confirm; after that the coach may release their place.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Asked to join"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        LEFT = "left", "Left the group"
        RELEASED = "released", "Place released: not confirmed in time"

    CURRENT = (Status.REQUESTED, Status.ACCEPTED)

    group = models.ForeignKey(MentoringGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.REQUESTED)
    note = models.TextField("why you would like to join", max_length=1000)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True, max_length=1000)
    consented_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When they agreed to join the group's channel and to share their name with it.",
    )
    left_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When they stopped holding a place: they left, or the coach released it.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(status__in=["requested", "accepted"]),
                name="group_membership_one_current_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def has_joined(self) -> bool:
        """Accepted and consented: they get the calendar and the channel."""
        return self.is_accepted and self.consented_at is not None

    @property
    def confirm_by(self) -> datetime | None:
        """Until when an accepted member who has not confirmed is sure to keep their place."""
        if not self.is_accepted or self.consented_at:
            return None
        return self.accepted_at + timedelta(days=settings.MENTORING_GROUP_CONFIRM_DAYS)

    @property
    def accepted_at(self) -> datetime:
        # The request's time stands in for a row accepted by hand without a decision time.
        return self.decided_at or self.requested_at

    def days_to_confirm(self, now: datetime | None = None) -> int:
        """Whole days (rounded up) left to confirm; 0 once the time to confirm is over."""
        if self.confirm_by is None:
            return 0
        left = (self.confirm_by - (now or timezone.now())) / timedelta(days=1)
        return max(ceil(left), 0)


class GroupSession(Occurrence):
    """One occurrence of a group's series."""

    group = models.ForeignKey(MentoringGroup, on_delete=models.CASCADE, related_name="sessions")
    note = models.TextField(
        "shared note", blank=True, help_text="What was discussed, and what to come back to."
    )
    attendance_taken_at = models.DateTimeField(
        null=True, blank=True, help_text="When the coach recorded who came."
    )

    class Meta:
        ordering = ["group", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "number"], name="group_session_number_per_group"
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="group_session_status_start")]

    def __str__(self) -> str:
        return f"{self.group} session {self.number + 1}"


class SessionAttendance(Answer):
    """A member's answer for one session (RSVP), and whether they came."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(
        GroupMembership, on_delete=models.CASCADE, related_name="attendance"
    )

    class Meta:
        verbose_name_plural = "session attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "membership"], name="session_attendance_once_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} at {self.session}"
