"""A round of learning circles: its sign-up window, its rules, its compositions and its audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from circles import domain

DEFAULT_RULES = domain.Rules()


class RoundQuerySet(models.QuerySet):
    def accepting_signups(self, now=None):
        """Open rounds whose sign-up window contains `now`."""
        now = now or timezone.now()
        return self.filter(
            status=Round.Status.OPEN, signup_opens_at__lte=now, signup_closes_at__gt=now
        )


class Round(models.Model):
    """One call for sign-ups, composed into circles that then meet for about six months.

    Its life: draft → open (members sign up during the window) → closed → composing → reviewed
    (the organizer adjusts the proposal) → inviting → running → ended.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not shown to members)"
        OPEN = "open", "Open for sign-ups"
        CLOSED = "closed", "Sign-ups closed"
        COMPOSING = "composing", "Composing circles"
        REVIEWED = "reviewed", "Circles proposed, in review"
        INVITING = "inviting", "Inviting members"
        RUNNING = "running", "Circles running"
        ENDED = "ended", "Ended"

    class Formats(models.TextChoices):
        EITHER = domain.Format.EITHER.value, "In person and video"
        IN_PERSON = domain.Format.IN_PERSON.value, "In person only"
        VIDEO = domain.Format.VIDEO.value, "Video only"

    class MeetingInterval(models.IntegerChoices):
        TWO_WEEKS = 2, "2 weeks"
        FOUR_WEEKS = 4, "4 weeks"

    # Statuses in which members may still change their sign-up (until the window closes).
    SIGNUP_STATUSES = (Status.OPEN,)
    RULE_FIELDS = (
        "min_size",
        "max_size",
        "target_min_size",
        "target_max_size",
        "min_common_minutes",
        "max_distance_km",
        "max_offset_span_hours",
        "min_group_size",
    )

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="Shown to members on the sign-up page.")
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    signup_opens_at = models.DateTimeField("sign-ups open")
    signup_closes_at = models.DateTimeField("sign-ups close")
    first_meeting = models.DateField(
        "first meeting",
        help_text="The week circles start; availability is converted to UTC at this date, so "
        "daylight saving is right for it.",
    )
    formats_offered = models.CharField(
        "formats offered", max_length=20, choices=Formats, default=Formats.EITHER
    )

    # The rules of a valid circle (circles.domain.Rules), with the community's defaults.
    min_size = models.PositiveSmallIntegerField(
        "smallest circle", default=DEFAULT_RULES.min_size, help_text="No circle has fewer people."
    )
    max_size = models.PositiveSmallIntegerField(
        "largest circle", default=DEFAULT_RULES.max_size, help_text="No circle has more people."
    )
    target_min_size = models.PositiveSmallIntegerField(
        "preferred size from",
        default=DEFAULT_RULES.target_min_size,
        help_text="Composition prefers circles of this size or more…",
    )
    target_max_size = models.PositiveSmallIntegerField(
        "preferred size up to",
        default=DEFAULT_RULES.target_max_size,
        help_text="…and of this size or fewer.",
    )
    min_common_minutes = models.PositiveSmallIntegerField(
        "common weekly window (minutes)",
        default=DEFAULT_RULES.min_common_minutes,
        help_text="Contiguous minutes a week every member marked available, in their own "
        "timezones.",
    )
    max_distance_km = models.FloatField(
        "in person: meeting distance (km)",
        default=DEFAULT_RULES.max_distance_km,
        help_text="Some member's meeting place is within this distance of every other member's.",
    )
    max_offset_span_hours = models.FloatField(
        "video: timezone spread (hours)",
        default=DEFAULT_RULES.max_offset_span_hours,
        help_text="The members' UTC offsets at the first meeting span at most this many hours.",
    )
    min_group_size = models.PositiveSmallIntegerField(
        "no lone member: at least",
        default=DEFAULT_RULES.min_group_size,
        help_text="A circle has none or at least this many women, of gender minorities, and of "
        "people who self-identified as under-represented.",
    )

    # After composition: invitations, backfill and the rhythm of the meetings.
    answer_within_days = models.PositiveSmallIntegerField(
        "days to answer an invitation",
        default=5,
        help_text="Each person accepts or declines within this many days of being invited; one "
        "reminder goes out before the deadline.",
    )
    auto_backfill = models.BooleanField(
        "backfill automatically",
        default=False,
        help_text="Invite the best waitlisted person in place of a decline, a silence past the "
        "deadline or a departure, without waiting for an organizer to confirm.",
    )
    meeting_every_weeks = models.PositiveSmallIntegerField(
        "circles meet every",
        choices=MeetingInterval,
        default=MeetingInterval.TWO_WEEKS,
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        "meeting length (minutes)", default=60, help_text="How long each circle meeting lasts."
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-signup_opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signup_closes_at__gt=F("signup_opens_at")),
                name="round_window_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(min_size__gte=2)
                & Q(target_min_size__gte=F("min_size"))
                & Q(target_max_size__gte=F("target_min_size"))
                & Q(max_size__gte=F("target_max_size")),
                name="round_sizes_in_order",
            ),
            models.CheckConstraint(
                condition=Q(min_common_minutes__gte=30)
                & Q(max_distance_km__gt=0)
                & Q(max_offset_span_hours__gte=0)
                & Q(min_group_size__gte=1),
                name="round_rules_in_range",
            ),
            models.CheckConstraint(
                condition=Q(answer_within_days__gte=1)
                & Q(meeting_every_weeks__in=[2, 4])
                & Q(meeting_minutes__gte=30),
                name="round_meeting_settings_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("circles:round_detail", args=[self.slug])

    def rules(self) -> domain.Rules:
        """The rules composition uses for this round."""
        return domain.Rules(**{name: getattr(self, name) for name in self.RULE_FIELDS})

    def formats(self) -> list[domain.Format]:
        """The formats a member may choose, "either" only when both are offered."""
        if self.formats_offered == self.Formats.EITHER:
            return [domain.Format.IN_PERSON, domain.Format.VIDEO, domain.Format.EITHER]
        return [domain.Format(self.formats_offered)]

    def accepts_signups(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status in self.SIGNUP_STATUSES
            and self.signup_opens_at <= now < self.signup_closes_at
        )

    def signups_not_yet_open(self, now=None) -> bool:
        return (now or timezone.now()) < self.signup_opens_at


class CompositionRun(models.Model):
    """One run of the composition for a round, tracked so a page can show progress and cancel it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    IN_PROGRESS = (Status.QUEUED, Status.RUNNING)

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="composition_runs")
    status = models.CharField(max_length=20, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0 to 100.")
    cancel_requested = models.BooleanField(default=False)
    time_limit_seconds = models.FloatField(default=30.0)
    task_id = models.CharField("Celery task id", max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # {"placed": int, "signups": int, "upper_bound": int | None, "optimal": bool, "seconds": float}
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A large round runs as parts (CompositionPart) merged by a last task: what the parts leave
    # to that task ({"circles", "unplaced", "pool", "settled", "video_seconds"}), and when it began.
    plan = models.JSONField(default=dict, blank=True)
    merge_started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="composition_run_progress_at_most_100"
            ),
            # One composition at a time per round: a second request waits for (or cancels) the first.
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(status__in=["queued", "running"]),
                name="one_composition_in_progress_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} composition {self.pk} ({self.get_status_display()})"

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS


class CompositionPart(models.Model):
    """One independent part of a large round's composition, solved by its own task."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)

    run = models.ForeignKey(CompositionRun, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, help_text='"in_person", "video" or "mixed".')
    people = models.JSONField(default=list, help_text="Its sign-ups' ids, in the plan's order.")
    seconds = models.FloatField(help_text="Its share of the run's time.")
    status = models.CharField(max_length=20, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0 to 100.")
    result = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="composition_part_number"),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="composition_part_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"part {self.number} of {self.run}"


class ReviewEvent(models.Model):
    """What an organizer (or the product on their behalf) did to a round: the audit trail."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # e.g. "round.opened", "import.applied", "alias.added", "member.moved", "circle.locked".
    action = models.CharField(max_length=60)
    # Refers to sign-ups and circles by id, so erasing a person leaves no name behind here.
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} on {self.round}"
