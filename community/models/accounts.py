from functools import cache
from typing import NamedTuple

from django.apps import apps
from django.contrib.auth.models import AbstractUser, Group, Permission, UserManager
from django.db import connection, models
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


class Access(NamedTuple):
    """What a user may do: their groups, their permissions and whether they use an authenticator."""

    groups: frozenset[str]
    permissions: frozenset[str]  # "app_label.codename", their own and their groups'
    has_totp: bool


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
    def access(self) -> Access:
        """Groups, permissions and two-factor set-up, read in one query.

        Signed-in requests ask for them all the time (the roles in the navigation, the organizers'
        two-factor rule, the admin's permission checks): one round trip instead of three.
        """
        with connection.cursor() as cursor:
            cursor.execute(_access_sql(), [self.pk] * 4)
            rows = cursor.fetchall()
        return Access(
            groups=frozenset(value for kind, value in rows if kind == "group"),
            permissions=frozenset(value for kind, value in rows if kind == "permission"),
            has_totp=any(kind == "totp" for kind, _ in rows),
        )

    def in_group(self, name: str) -> bool:
        return name in self.access.groups

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


@cache
def _access_sql() -> str:
    """The query behind `User.access`, with table names taken from the models."""
    table = {
        "group": Group._meta.db_table,
        "user_group": User.groups.through._meta.db_table,
        "user_permission": User.user_permissions.through._meta.db_table,
        "group_permission": Group.permissions.through._meta.db_table,
        "permission": Permission._meta.db_table,
        "content_type": Permission._meta.get_field("content_type").related_model._meta.db_table,
        "authenticator": apps.get_model("mfa", "Authenticator")._meta.db_table,
    }
    return """
        SELECT 'group', g.name FROM {group} g
          JOIN {user_group} ug ON ug.group_id = g.id WHERE ug.user_id = %s
        UNION ALL
        SELECT 'permission', ct.app_label || '.' || p.codename FROM {permission} p
          JOIN {content_type} ct ON ct.id = p.content_type_id
         WHERE p.id IN (
               SELECT permission_id FROM {user_permission} WHERE user_id = %s
               UNION
               SELECT gp.permission_id FROM {group_permission} gp
                 JOIN {user_group} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %s)
        UNION ALL
        SELECT 'totp', '' FROM {authenticator} WHERE user_id = %s AND type = 'totp'
    """.format(**table)
