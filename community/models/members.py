import re

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from community.validators import validate_linkedin_profile, validate_visible_name

from .applications import CompanySize, RoleKind, interests_field

BIO_MAX_LENGTH = 2000

# The fields a member may hide from other members, and the choice that shows each.
SHOWN_BY = {
    "company": "show_company",
    "city": "show_city",
    "linkedin_url": "show_linkedin",
    "bio": "show_bio",
}


def shown_to_members(values: dict) -> dict:
    """`values` (a member's fields and choices) less the fields the member chose to hide."""
    return {
        field: value
        for field, value in values.items()
        if field not in SHOWN_BY or values.get(SHOWN_BY[field])
    }


def initials(name: str) -> str:
    """Up to three initials for a name, as the avatars show them."""
    return "".join(part[0] for part in name.split()[:3]).upper()


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Member.Status.ACTIVE)

    def listed(self):
        """Members other members can find in the directory."""
        return self.active().filter(listed_in_directory=True)

    def search(self, text: str):
        """Members with every word at the start of a word of their name, job title, company or
        city ("Erin" finds Erin, not everyone in Engineering); hidden fields never match."""
        query = Q()
        for word in (text or "").split():
            start = rf"(^|\W){re.escape(word)}"
            query &= (
                Q(full_name__iregex=start)
                | Q(job_title__iregex=start)
                | (Q(company__iregex=start) & Q(show_company=True))
                | (Q(city__iregex=start) & Q(show_city=True))
            )
        return self.filter(query)

    def with_role(self, role_kind: str):
        return self.filter(role_kind=role_kind) if role_kind else self

    def in_city(self, city: str):
        """Members who show this city; a hidden city never matches."""
        city = (city or "").strip()
        return self.filter(show_city=True, city__iexact=city) if city else self

    def shown_cities(self) -> list[str]:
        """Distinct cities members chose to show, case-insensitively, in alphabetical order."""
        cities = self.filter(show_city=True).exclude(city="").values_list("city", flat=True)
        unique: dict[str, str] = {}
        for city in cities.order_by().distinct():
            unique.setdefault(city.strip().casefold(), city.strip())
        return sorted(unique.values(), key=str.casefold)


class Member(models.Model):
    """An approved applicant: their profile and what they let other members see."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        REVOKED = "revoked", "Membership revoked"

    RoleKind = RoleKind
    # Copied from the application on approval; the member edits them afterwards. (The timezone is
    # kept once, on the user.)
    FROM_APPLICATION = (
        "full_name",
        "job_title",
        "role_kind",
        "company",
        "company_size",
        "city",
        "linkedin_url",
        "pronouns",
        "interests",
    )
    VISIBILITY = ("listed_in_directory", "show_company", "show_city", "show_linkedin", "show_bio")
    EDITABLE = (*FROM_APPLICATION, "bio", *VISIBILITY)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member"
    )
    application = models.OneToOneField(
        "community.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)
    full_name = models.CharField(max_length=150, db_index=True, validators=[validate_visible_name])
    job_title = models.CharField(max_length=150, blank=True)
    role_kind = models.CharField("role", max_length=30, choices=RoleKind, blank=True)
    company = models.CharField(max_length=150, blank=True)
    company_size = models.CharField(max_length=20, choices=CompanySize, blank=True)
    city = models.CharField(max_length=100, blank=True)
    linkedin_url = models.URLField(
        "LinkedIn URL", blank=True, validators=[validate_linkedin_profile]
    )
    pronouns = models.CharField(max_length=40, blank=True)
    interests = interests_field()
    bio = models.TextField(
        blank=True,
        max_length=BIO_MAX_LENGTH,
        validators=[MaxLengthValidator(BIO_MAX_LENGTH)],
        help_text="A few lines other members will see.",
    )

    listed_in_directory = models.BooleanField(
        "show me in the member directory",
        default=True,
        help_text="When off, other members cannot find you or open your profile.",
    )
    show_company = models.BooleanField("show my company", default=True)
    show_city = models.BooleanField("show my city", default=True)
    show_linkedin = models.BooleanField("show my LinkedIn", default=True)
    show_bio = models.BooleanField("show my bio", default=True)

    joined_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "pk"]
        # The directory's order (name, then id for a stable page boundary), served by one index.
        indexes = [
            models.Index(
                fields=["status", "listed_in_directory", "full_name", "id"],
                name="member_directory_order",
            ),
            # Every directory page counts the listed members and lists the cities they show: read
            # from these two small indexes instead of the table.
            models.Index(
                fields=["id"],
                condition=Q(status="active", listed_in_directory=True),
                name="member_listed",
            ),
            models.Index(
                fields=["city"],
                condition=Q(status="active", listed_in_directory=True, show_city=True)
                & ~Q(city=""),
                name="member_shown_city",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("member_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def initials(self) -> str:
        return initials(self.full_name)

    def visible_fields(self) -> dict[str, str]:
        """What another member may see, following this member's choices."""
        fields = ("job_title", "pronouns", *SHOWN_BY, *SHOWN_BY.values())
        shown = shown_to_members({field: getattr(self, field) for field in fields})
        return {
            "role": self.get_role_kind_display(),
            **{field: value for field, value in shown.items() if field not in SHOWN_BY.values()},
        }


class SelfIdentification(models.Model):
    """Optional, sensitive: used only to compose learning circles, never shown to other members."""

    class Underrepresented(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNSAID = "unsaid", "Prefer not to say"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_identification"
    )
    gender = models.CharField(
        max_length=60, blank=True, help_text="In your own words, e.g. woman, man, non-binary."
    )
    underrepresented = models.CharField(
        "member of a group under-represented in technology leadership",
        max_length=10,
        choices=Underrepresented,
        default=Underrepresented.UNSAID,
    )
    consented_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "self-identification"

    def __str__(self) -> str:
        return f"Self-identification of user {self.user_id}"


class MembershipChange(models.Model):
    """A revocation or restoration of a membership: who, when and why, recorded once."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=20, choices=Member.Status)
    to_status = models.CharField(max_length=20, choices=Member.Status)
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_by_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="Kept when the account that made the change is deleted.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
