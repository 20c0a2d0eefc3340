from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.functional import cached_property


class EmailUserManager(UserManager):
    """Users log in with their email address; there is no username."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    ORGANIZERS = "Organizers"
    COACHES = "Coaches"
    EDITORS = "Editors"

    username = None
    email = models.EmailField("email address", unique=True)
    timezone = models.CharField(
        max_length=64,
        blank=True,
        help_text="IANA timezone used to show dates and times, e.g. Europe/London.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @cached_property
    def group_names(self) -> frozenset[str]:
        """The names of the user's groups, read once per loaded user (once per request)."""
        return frozenset(self.groups.values_list("name", flat=True))

    def in_group(self, name: str) -> bool:
        return name in self.group_names

    @property
    def is_organizer(self) -> bool:
        return self.is_active and (self.is_superuser or self.in_group(self.ORGANIZERS))

    @property
    def is_coach(self) -> bool:
        return self.is_active and self.in_group(self.COACHES)

    @property
    def is_editor(self) -> bool:
        return self.is_active and self.in_group(self.EDITORS)

    @property
    def is_member(self) -> bool:
        member = getattr(self, "member", None)
        return member is not None and member.is_active
