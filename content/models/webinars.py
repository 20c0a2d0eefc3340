"""Webinars: announced, registered for (with a waitlist), then kept in the library as past ones."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from content.models.articles import SearchIndex, is_editor
from content.models.people import Author, Topic, Visibility, listed

LISTED_FIELDS = (
    "pk", "title", "slug", "summary", "visibility", "starts_at", "duration_minutes", "state",
    "capacity", "library_at",
)  # fmt: skip


def webinar_file_path(instance, filename: str) -> str:
    # Recordings and slides of members-only webinars are served through a view that checks who
    # asks; a random folder keeps their address unguessable wherever MEDIA_ROOT is served.
    return f"content/webinars/{uuid.uuid4().hex}/{filename}"


class WebinarQuerySet(models.QuerySet):
    def announced(self):
        return self.filter(state=Webinar.State.SCHEDULED)

    def upcoming(self, now: datetime | None = None):
        """Announced and not over yet, soonest first."""
        now = now or timezone.now()
        return self.announced().filter(ends_at__gt=now).order_by("starts_at", "pk")

    def in_library(self):
        """Past webinars whose recording or summary the editors have published."""
        return self.announced().filter(library_at__isnull=False)

    def public(self):
        return self.filter(visibility=Webinar.Visibility.PUBLIC)

    def on_topics(self, topics):
        on = Webinar.topics.through.objects.filter(webinar=OuterRef("pk"), topic__in=topics)
        return self.filter(Exists(on))

    def with_places_for(self, user):
        """Each with its count of places taken and, for a signed-in viewer, their status in it."""
        taken = Count(
            "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
        )
        webinars = self.annotate(taken=taken)
        if not getattr(user, "is_authenticated", False):
            return webinars
        theirs = Registration.objects.filter(webinar=OuterRef("pk"), user=user)
        return webinars.annotate(viewer_status=Subquery(theirs.values("status")[:1]))

    def for_listing(self):
        return (
            self.only(*LISTED_FIELDS)
            .prefetch_related(
                listed("speakers", Author, to_attr="listed_speakers"),
                listed("topics", Topic, to_attr="listed_topics"),
            )
            .order_by("-starts_at", "-pk")
        )


class Webinar(models.Model):
    kind = "webinar"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    Visibility = Visibility

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.CharField(max_length=500, help_text="One or two sentences, plain text.")
    description_markdown = models.TextField("description (Markdown)", blank=True)
    # Written only by content.services.webinar_editing, through the sanitiser.
    description_html = models.TextField(blank=True, editable=False)
    teaser_html = models.TextField(blank=True, editable=False)
    speakers = models.ManyToManyField(Author, related_name="webinars", blank=True)
    topics = models.ManyToManyField(Topic, related_name="webinars", blank=True)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(1, "A webinar lasts at least a minute.")]
    )
    ends_at = models.DateTimeField(editable=False)
    capacity = models.PositiveIntegerField(
        default=100, validators=[MinValueValidator(1, "A webinar needs at least one place.")]
    )
    visibility = models.CharField(
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
        help_text="Who may register and read it; public ones are open to any verified account.",
    )
    join_url = models.URLField("join link", max_length=500, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    # After the event
    recording_url = models.URLField("recording link", max_length=500, blank=True)
    recording_file = models.FileField(upload_to=webinar_file_path, blank=True)
    slides = models.FileField(upload_to=webinar_file_path, blank=True)
    recap_markdown = models.TextField("summary of the event (Markdown)", blank=True)
    recap_html = models.TextField(blank=True, editable=False)
    library_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="content_webinars",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    body_text = models.TextField(blank=True, editable=False)  # description and summary, for search
    search_vector = SearchVectorField(null=True, editable=False)
    teaser_vector = SearchVectorField(null=True, editable=False)

    objects = WebinarQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "ends_at"], name="content_webinar_upcoming"),
            SearchIndex(fields=["search_vector"], name="content_webinar_search"),
            SearchIndex(fields=["teaser_vector"], name="content_webinar_teaser_search"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="content_webinar_capacity"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="content_webinar_duration"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:webinar_detail", args=[self.slug])

    @property
    def publish_at(self) -> datetime:
        """When it took place: where a past webinar sits in the library."""
        return self.starts_at

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    def compute_ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def has_ended(self, now: datetime | None = None) -> bool:
        return self.compute_ends_at() <= (now or timezone.now())

    def is_open(self, now: datetime | None = None) -> bool:
        """Registration is open until it starts."""
        return self.state == self.State.SCHEDULED and self.starts_at > (now or timezone.now())

    @property
    def places_left(self) -> int:
        """Free places, on a webinar loaded through `with_places_for`."""
        return max(0, self.capacity - self.taken)

    def readable_by(self, user) -> bool:
        """Whether this person may read the description, summary, recording and slides."""
        return self.is_public or getattr(user, "is_member", False) or is_editor(user)

    def may_register(self, user) -> bool:
        """Members register for any; for public ones, anyone with a verified email address."""
        if not getattr(user, "is_authenticated", False):
            return False
        if getattr(user, "is_member", False):
            return True
        verified = user.emailaddress_set.filter(verified=True).exists()
        return self.is_public and verified


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered"
        WAITLISTED = "waitlisted", "On the waitlist"
        CANCELLED = "cancelled", "Cancelled"

    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webinar_registrations"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    # The calendar invitation's SEQUENCE: it grows with every invitation, update or cancellation.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When the place was taken (on registering, or on moving up from the waitlist): the order of
    # the waitlist is by this, for those still waiting.
    status_changed_at = models.DateTimeField(default=timezone.now)
    reminded_day_before_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_before_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status_changed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webinar", "user"], name="content_registration_once_per_person"
            ),
        ]
        indexes = [models.Index(fields=["webinar", "status"], name="content_registration_status")]

    def __str__(self) -> str:
        return f"{self.user} for {self.webinar}"

    @property
    def is_registered(self) -> bool:
        return self.status == self.Status.REGISTERED

    def ics_uid(self) -> str:
        host = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "roundtable"
        return f"webinar-{self.webinar_id}-registration-{self.pk}@{host}"


class WebinarMessage(models.Model):
    """What an editor wrote to everyone registered; each gets one outbox email for it."""

    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject
