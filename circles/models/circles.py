"""Circles and their members: proposed by composition, then invited, then meeting."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q

from circles import domain

from .places import MeetingPlace
from .rounds import Round
from .signups import SignUp


class Circle(MeetingPlace):
    """A group of peers who meet regularly: proposed → inviting → active → ended (or dissolved)."""

    class Status(models.TextChoices):
        FORMING = "forming", "Open to join (proposed by a member)"
        PROPOSED = "proposed", "Proposed"
        INVITING = "inviting", "Inviting"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"
        DISSOLVED = "dissolved", "Dissolved"

    class Format(models.TextChoices):
        IN_PERSON = domain.Format.IN_PERSON.value, "In person"
        VIDEO = domain.Format.VIDEO.value, "Video"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="circles")
    composition_run = models.ForeignKey(
        "circles.CompositionRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="circles",
        help_text="The composition that proposed it (none when an organizer made it).",
    )
    number = models.PositiveSmallIntegerField(help_text="Its number within the round.")
    name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.PROPOSED)
    format = models.CharField(max_length=20, choices=Format)
    window = models.JSONField(
        default=list, blank=True, help_text="The common half-hours of the UTC week."
    )
    locked = models.BooleanField(
        default=False, help_text="Kept exactly as it is when composing again."
    )
    explanation = models.JSONField(
        default=list, blank=True, help_text="Why it works, in plain words."
    )

    # A self-organized circle: proposed by a member, joined by others, invited once it fills.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_circles",
    )
    topic = models.CharField(max_length=200, blank=True, help_text="What the circle is about.")
    target_size = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A self-organized circle is invited once this many joined."
    )

    # Meeting: the series recurs in the reference timezone, so daylight saving moves nobody.
    timezone = models.CharField(
        max_length=64, blank=True, help_text="The timezone its meetings recur in."
    )
    first_meeting_at = models.DateTimeField("first meeting", null=True, blank=True)
    voting_closes_at = models.DateTimeField(
        "voting closes",
        null=True,
        blank=True,
        help_text="When the candidate time most members can make is picked, if nobody picked one.",
    )
    ics_sequence = models.PositiveIntegerField(
        "calendar sequence",
        default=0,
        help_text="The SEQUENCE of its calendar invitations: one more on every change.",
    )
    series_cancelled_at = models.DateTimeField(null=True, blank=True)
    facilitator = models.ForeignKey(
        "circles.CircleMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The member who picks meeting times and records who came.",
    )
    slack_channel = models.ForeignKey(
        "community.SlackChannel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    invited_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    renewal_asked_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="circle_number_per_round"),
        ]

    def __str__(self) -> str:
        return self.name or f"Circle {self.number}"

    @property
    def ics_uid(self) -> str:
        """The calendar UID of its meeting series; it never changes."""
        return f"circle-{self.pk}@{urlsplit(settings.SITE_URL).hostname}"

    def to_domain(self, members: list[str] | None = None) -> domain.Circle:
        """The circle as composition takes it; members are its current members' sign-up ids."""
        if members is None:
            members = [
                str(member.signup_id)
                for member in self.members.all()
                if member.status in CircleMember.CURRENT
            ]
        return domain.Circle(
            members=members,
            format=domain.Format(self.format),
            window=list(self.window),
            place=self.place,
            locked=self.locked,
            explanation=list(self.explanation),
        )


class CircleMember(models.Model):
    """A sign-up's place in a circle, and where their invitation stands.

    A person is in at most one circle of a round at a time: the row of a current member (proposed,
    invited or accepted) is unique per sign-up. Declined, expired, left and ended rows stay as
    history (ended: the circle ended with them in it, and they went back on the waitlist).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "No answer by the deadline"
        LEFT = "left", "Left the circle"
        ENDED = "ended", "The circle ended"

    class Renewal(models.TextChoices):
        YES = "yes", "Yes, carry on"
        NO = "no", "No, I will stop"

    CURRENT = (Status.PROPOSED, Status.INVITED, Status.ACCEPTED)
    # The places a backfill fills: someone said no, never answered, or left.
    VACATED = (Status.DECLINED, Status.EXPIRED, Status.LEFT)

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="members")
    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="circle_memberships")
    status = models.CharField(max_length=20, choices=Status, default=Status.PROPOSED)
    locked = models.BooleanField(
        default=False, help_text="Kept in this circle when composing again."
    )

    # The invitation: sent, answered by the deadline (one reminder before it), consent recorded.
    invited_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateTimeField("answer by", null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    consented_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When they agreed to join the circle's channel and to share their name with it.",
    )
    left_at = models.DateTimeField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text="The place this person took over (a backfill).",
    )
    renewal = models.CharField(
        "renews after six months", max_length=10, choices=Renewal, blank=True
    )
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["circle", "added_at", "pk"]
        verbose_name = "circle member"
        constraints = [
            models.UniqueConstraint(
                fields=["signup"],
                condition=Q(status__in=["proposed", "invited", "accepted"]),
                name="circle_member_one_current_circle_per_signup",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signup} in {self.circle}"

    @property
    def is_current(self) -> bool:
        return self.status in self.CURRENT


class Backfill(models.Model):
    """A place vacated in a circle, and the waitlisted person proposed to take it (or why nobody fits)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed, waiting for an organizer"
        CONFIRMED = "confirmed", "Confirmed and invited"
        DISMISSED = "dismissed", "Dismissed"
        NONE_FITS = "none_fits", "Nobody on the waitlist fits"

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="backfills")
    vacancy = models.ForeignKey(
        CircleMember,
        on_delete=models.CASCADE,
        related_name="backfills",
        help_text="The member whose place is to be filled.",
    )
    candidate = models.ForeignKey(
        SignUp, on_delete=models.CASCADE, null=True, blank=True, related_name="backfill_proposals"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PROPOSED)
    reason = models.TextField(
        blank=True, help_text="Why this person fits, or why nobody on the waitlist does."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy"],
                condition=Q(status__in=["proposed", "none_fits"]),
                name="backfill_one_open_proposal_per_vacancy",
            ),
            models.CheckConstraint(
                condition=Q(status="none_fits") | Q(candidate__isnull=False),
                name="backfill_has_a_candidate_unless_none_fits",
            ),
        ]

    def __str__(self) -> str:
        return f"Backfill in {self.circle}"
