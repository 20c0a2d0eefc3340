from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from community.validators import validate_linkedin_profile, validate_visible_name

LEADERSHIP_MAX_LENGTH = 3000
INTERESTS_MAX_LENGTH = 500
INTERESTS_HELP = (
    "For example hiring, burnout, career ladders. We use it to suggest coaches to you; other "
    "members do not see it."
)


def interests_field() -> models.TextField:
    """What a person would like to talk through: asked on the application, kept on the profile."""
    return models.TextField(
        "topics you would like to talk through",
        blank=True,
        max_length=INTERESTS_MAX_LENGTH,
        validators=[MaxLengthValidator(INTERESTS_MAX_LENGTH)],
        help_text=INTERESTS_HELP,
    )


# The largest organisations have tens of thousands of engineers under one leader, no more.
TEAM_SIZE_MAX = 100_000


class RoleKind(models.TextChoices):
    CTO = "cto", "CTO"
    VP_ENGINEERING = "vp_engineering", "VP Engineering"
    HEAD_OF_ENGINEERING = "head_of_engineering", "Head of Engineering"
    ENGINEERING_DIRECTOR = "engineering_director", "Engineering Director"
    STAFF_PLUS = "staff_plus", "Staff+ engineer"
    FOUNDER = "founder", "Founder"
    OTHER = "other", "Other"


DIRECTOR_OR_ABOVE = {
    RoleKind.CTO,
    RoleKind.VP_ENGINEERING,
    RoleKind.HEAD_OF_ENGINEERING,
    RoleKind.ENGINEERING_DIRECTOR,
}


class CompanySize(models.TextChoices):
    TINY = "1-10", "1–10 people"
    SMALL = "11-50", "11–50 people"
    MEDIUM = "51-200", "51–200 people"
    LARGE = "201-1000", "201–1,000 people"
    XLARGE = "1001-5000", "1,001–5,000 people"
    ENTERPRISE = "5000+", "More than 5,000 people"


LOOKALIKE_KEYS = ("email_key", "linkedin_key", "name_company_key")


def lookalikes(key: str) -> models.QuerySet:
    """The other applications with the same non-empty `key` as the outer one (each key is indexed)."""
    same = Application.objects.filter(**{key: OuterRef(key)}).exclude(**{key: ""})
    return same.exclude(pk=OuterRef("pk"))


class ApplicationQuerySet(models.QuerySet):
    def waiting(self):
        """Applications an organizer still has to decide on."""
        return self.filter(status__in=Application.WAITING)

    def overdue(self, now=None):
        now = now or timezone.now()
        deadline = now - timedelta(days=settings.REVIEW_DEADLINE_DAYS)
        return self.waiting().filter(submitted_at__lt=deadline)

    def with_duplicate_of(self):
        """Annotate what `Application.duplicate_of_id` needs: the lookalike for each key."""
        return self.annotate(
            **{
                f"lookalike_{key}": Subquery(lookalikes(key).order_by("pk").values("pk")[:1])
                for key in LOOKALIKE_KEYS
            }
        )

    def has_duplicates(self):
        """Applications another application looks like (see `with_duplicate_of()`)."""
        found = (Exists(lookalikes(key)) for key in LOOKALIKE_KEYS)
        return self.filter(reduce(or_, found))


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        WAITLISTED = "waitlisted", "Waitlisted"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    RoleKind = RoleKind
    CompanySize = CompanySize
    # What the applicant answers on the application form, in the form's order.
    ANSWERS = (
        "full_name",
        "job_title",
        "role_kind",
        "company",
        "company_size",
        "team_size",
        "linkedin_url",
        "city",
        "leadership",
        "interests",
        "wants_circles",
        "wants_mentoring",
        "wants_content",
        "referred_by",
        "pronouns",
    )

    # An applicant has at most one application that is not closed (rejected or withdrawn).
    OPEN = (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.WAITLISTED, Status.APPROVED)
    WAITING = (Status.SUBMITTED, Status.IN_REVIEW)
    EDITABLE = (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW)
    WITHDRAWABLE = (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.WAITLISTED)
    DECIDABLE = (Status.SUBMITTED, Status.IN_REVIEW, Status.WAITLISTED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT, db_index=True)

    full_name = models.CharField(max_length=150, blank=True, validators=[validate_visible_name])
    email = models.EmailField(help_text="The address the applicant signed up with.")
    job_title = models.CharField(max_length=150, blank=True)
    role_kind = models.CharField("role", max_length=30, choices=RoleKind, blank=True)
    company = models.CharField(max_length=150, blank=True)
    company_size = models.CharField(max_length=20, choices=CompanySize, blank=True)
    team_size = models.PositiveIntegerField(
        "size of the team you lead",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(TEAM_SIZE_MAX)],
        help_text="How many people report to you, directly or through other managers.",
    )
    linkedin_url = models.URLField(
        "LinkedIn URL", blank=True, validators=[validate_linkedin_profile]
    )
    city = models.CharField(max_length=100, blank=True)
    leadership = models.TextField(
        "how you lead technologists",
        blank=True,
        max_length=LEADERSHIP_MAX_LENGTH,
        validators=[MaxLengthValidator(LEADERSHIP_MAX_LENGTH)],
        help_text="A few sentences on the people and systems you are responsible for.",
    )
    interests = interests_field()
    wants_circles = models.BooleanField("learning circles", default=False)
    wants_mentoring = models.BooleanField("mentoring and coaching", default=False)
    wants_content = models.BooleanField("articles and webinars", default=False)
    referred_by = models.CharField("who referred you", max_length=150, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    code_of_conduct_accepted_at = models.DateTimeField(null=True, blank=True)

    # Normalised keys for the "possible duplicate" hint, kept indexed so the queue stays fast.
    email_key = models.CharField(max_length=254, db_index=True, editable=False, default="")
    linkedin_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    name_company_key = models.CharField(max_length=310, db_index=True, editable=False, default="")

    organizer_note = models.TextField(
        blank=True, help_text="Visible to organizers only; never shown to the applicant."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(
                    status__in=["draft", "submitted", "in_review", "waitlisted", "approved"]
                ),
                name="one_open_application_per_user",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_applications_have_a_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.full_name or 'Application'} ({self.company})" if self.company else self.email

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_withdrawable(self) -> bool:
        return self.status in self.WITHDRAWABLE

    @property
    def is_waiting(self) -> bool:
        return self.status in self.WAITING

    @property
    def age(self) -> timedelta | None:
        return timezone.now() - self.submitted_at if self.submitted_at else None

    @property
    def is_overdue(self) -> bool:
        """Still waiting for a decision after the review deadline (as `overdue()` selects)."""
        deadline = timedelta(days=settings.REVIEW_DEADLINE_DAYS)
        return self.is_waiting and self.submitted_at is not None and self.age > deadline

    @property
    def leads_eight_or_more(self) -> bool:
        return (self.team_size or 0) >= 8

    @property
    def director_or_above(self) -> bool:
        return self.role_kind in DIRECTOR_OR_ABOVE

    @property
    def hints(self) -> list[str]:
        """Facts to help an organizer decide; never a verdict."""
        found = []
        if self.leads_eight_or_more:
            found.append("leads 8+ people")
        if self.director_or_above:
            found.append("director level or above")
        if self.linkedin_url:
            found.append("LinkedIn given")
        if duplicate_of := self.duplicate_of_id:
            found.append(f"possible duplicate of application {duplicate_of}")
        return found

    @property
    def duplicate_of_id(self) -> int | None:
        """The oldest other application that looks like the same person: same email, same
        LinkedIn profile, or same name and company (known when loaded `with_duplicate_of()`)."""
        found = (getattr(self, f"lookalike_{key}", None) for key in LOOKALIKE_KEYS)
        return min(filter(None, found), default=None)

    def refresh_keys(self) -> None:
        self.email_key = (self.email or "").strip().lower()
        linkedin = (self.linkedin_url or "").strip().lower().split("?")[0].rstrip("/")
        for prefix in ("https://", "http://", "www."):
            linkedin = linkedin.removeprefix(prefix)
        self.linkedin_key = linkedin
        name = " ".join((self.full_name or "").lower().split())
        company = " ".join((self.company or "").lower().split())
        self.name_company_key = f"{name}|{company}" if name and company else ""


class Decision(models.Model):
    """A status change of an application: recorded once, never edited."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    from_status = models.CharField(max_length=20, choices=Application.Status)
    to_status = models.CharField(max_length=20, choices=Application.Status)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by_name = models.CharField(
        max_length=150, blank=True, help_text="Kept when the account that decided is deleted."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
