"""Coaches: their profile and settings, the topics organizers keep, and their availability."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q

from mentoring import slots

SESSION_LENGTHS = (30, 45, 60, 90)
NO_LIMIT = "At least 1. Leave it empty for no limit."
MAX_HORIZON_DAYS = 365


def validate_session_lengths(value) -> None:
    if not isinstance(value, list) or not value or not set(value) <= set(SESSION_LENGTHS):
        raise ValidationError(
            f"Offer one or more session lengths from {', '.join(map(str, SESSION_LENGTHS))} minutes."
        )


class Topic(models.Model):
    """What members can talk to a coach about; organizers keep the list."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CoachProfileQuerySet(models.QuerySet):
    def bookable(self):
        return self.filter(accepting_bookings=True, user__is_active=True)

    def teaching(self, topic_slug: str):
        return self.teaching_any(Topic.objects.filter(slug=topic_slug)) if topic_slug else self

    def teaching_any(self, topics):
        """Coaches who coach on any of `topics`, each once: a subquery, where a join would repeat
        a coach per topic and need a DISTINCT over every column read."""
        pairs = CoachProfile.topics.through.objects.filter(
            coachprofile=OuterRef("pk"), topic__in=topics
        )
        return self.filter(Exists(pairs))

    def speaking(self, language: str):
        return self.filter(languages__icontains=language.strip()) if language.strip() else self


class CoachProfile(models.Model):
    """A coach's public profile and the settings their open slots are computed with."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_profile"
    )
    bio = models.TextField(blank=True, max_length=2000)
    topics = models.ManyToManyField(Topic, blank=True, related_name="coaches")
    languages = models.CharField(
        max_length=200, default="English", help_text="Comma-separated, e.g. English, French."
    )
    session_lengths = models.JSONField(
        default=list, validators=[validate_session_lengths], help_text="Minutes, e.g. [30, 60]."
    )
    intake_question = models.CharField(max_length=300, blank=True)
    accepting_bookings = models.BooleanField(default=True)
    buffer_before_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(120)]
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        default=10, validators=[MaxValueValidator(120)]
    )
    notice_hours = models.PositiveSmallIntegerField(
        "minimum notice (hours)", default=12, validators=[MaxValueValidator(24 * 14)]
    )
    horizon_days = models.PositiveSmallIntegerField(
        "bookable up to (days ahead)",
        default=56,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HORIZON_DAYS)],
    )
    # Empty is no limit; zero would close every day, which "accepting bookings" says plainly.
    max_per_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1, NO_LIMIT), MaxValueValidator(48)]
    )
    max_per_week = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1, NO_LIMIT), MaxValueValidator(7 * 48)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CoachProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__first_name", "user__last_name", "pk"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def timezone(self) -> str:
        return self.user.timezone or "UTC"

    @property
    def takes_bookings(self) -> bool:
        """Whether members may book the coach now, on their mentorship days too (as `bookable()`)."""
        return self.accepting_bookings and self.user.is_active

    @property
    def language_list(self) -> list[str]:
        return [language.strip() for language in self.languages.split(",") if language.strip()]

    @property
    def buffer_before(self) -> timedelta:
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)

    def rules(self) -> slots.Rules:
        """The slot computation's view of this coach, read as plain values (two small queries,
        unordered: the models' ordering by coach would join the coach and their user for nothing)."""
        weekly = self.availability_rules.order_by().values_list("weekday", "starts_at", "ends_at")
        exceptions = self.availability_exceptions.order_by().values_list(
            "day", "kind", "starts_at", "ends_at"
        )
        days_off, extra = set(), []
        for day, kind, starts_at, ends_at in exceptions:
            if kind == AvailabilityException.Kind.DAY_OFF:
                days_off.add(day)
            else:
                extra.append(slots.DateWindow(day, starts_at, ends_at))
        return slots.Rules(
            self.timezone,
            weekly=[slots.Window(*rule) for rule in weekly],
            days_off=frozenset(days_off),
            extra=extra,
            buffer_before=self.buffer_before,
            buffer_after=self.buffer_after,
            notice=timedelta(hours=self.notice_hours),
            horizon=timedelta(days=self.horizon_days),
            max_per_day=self.max_per_day,
            max_per_week=self.max_per_week,
        )


class AvailabilityRule(models.Model):
    """A weekly window in the coach's own timezone; an end not after the start runs past midnight."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0
        TUESDAY = 1
        WEDNESDAY = 2
        THURSDAY = 3
        FRIDAY = 4
        SATURDAY = 5
        SUNDAY = 6

    coach = models.ForeignKey(
        CoachProfile, on_delete=models.CASCADE, related_name="availability_rules"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    class Meta:
        ordering = ["coach", "weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="availability_rule_weekday"),
            models.CheckConstraint(
                condition=~Q(starts_at=models.F("ends_at")), name="availability_rule_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class AvailabilityException(models.Model):
    """A date in the coach's calendar: a day off, or an extra window."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", "Day off"
        EXTRA = "extra", "Extra window"

    coach = models.ForeignKey(
        CoachProfile, on_delete=models.CASCADE, related_name="availability_exceptions"
    )
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind)
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["coach", "day", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="day_off", starts_at__isnull=True, ends_at__isnull=True)
                | (
                    Q(kind="extra", starts_at__isnull=False, ends_at__isnull=False)
                    & ~Q(starts_at=models.F("ends_at"))
                ),
                name="availability_exception_times_match_kind",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.DAY_OFF:
            return f"{self.day:%Y-%m-%d} off"
        return f"{self.day:%Y-%m-%d} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"
