"""Who writes, what it is about, and the members' personal feed addresses."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse


class Visibility(models.TextChoices):
    """Who may read a piece (an article or a webinar) in full."""

    PUBLIC = "public", "Public"
    MEMBERS = "members", "Members only"


class Topic(models.Model):
    """One of the subjects editors keep the list of (hiring, burnout, cloud migrations...)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("content:topic_detail", args=[self.slug])


class Author(models.Model):
    """A member writing under their account, or a guest expert known by a name and a short bio
    (or a former member: see `former_member`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="content_author",
        help_text="The member's account; empty for a guest expert.",
    )
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    bio = models.CharField(max_length=500, blank=True, help_text="A sentence or two, plain text.")
    # Set when the member deletes their account: the entry keeps the name their pieces were
    # published under, but no longer has an account, and is no guest expert either.
    former_member = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("content:author_detail", args=[self.slug])

    @property
    def is_guest(self) -> bool:
        return self.user_id is None and not self.former_member


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    """The secret in a member's personal feed address; resetting it retires the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="content_feed_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Feed address of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("content:members_feed", args=[self.token])


def listed(relation: str, model, *, to_attr: str) -> Prefetch:
    """A list of pieces' people or topics, as a plain list on each piece (`to_attr`): only the
    name and the address a card links to, and no related manager built per piece."""
    return Prefetch(relation, queryset=model.objects.only("pk", "name", "slug"), to_attr=to_attr)
