"""Circles and their members: proposed by composition, then invited, then meeting."""

from django.db import models
from django.db.models import Q

from circles import domain

from .places import MeetingPlace
from .rounds import Round
from .signups import SignUp


class Circle(MeetingPlace):
    """A group of peers who meet regularly: proposed → inviting → active → ended (or dissolved)."""

    class Status(models.TextChoices):
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="circle_number_per_round"),
        ]

    def __str__(self) -> str:
        return self.name or f"Circle {self.number}"

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
    invited or accepted) is unique per sign-up. Declined, expired and left rows stay as history.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "No answer by the deadline"
        LEFT = "left", "Left the circle"

    CURRENT = (Status.PROPOSED, Status.INVITED, Status.ACCEPTED)

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="members")
    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="circle_memberships")
    status = models.CharField(max_length=20, choices=Status, default=Status.PROPOSED)
    locked = models.BooleanField(
        default=False, help_text="Kept in this circle when composing again."
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
