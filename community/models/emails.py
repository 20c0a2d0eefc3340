from django.conf import settings
from django.db import models
from django.utils import timezone


class EmailQuerySet(models.QuerySet):
    def due(self, *, stale_after_minutes: int = 15):
        """Queued emails, and ones whose sender died mid-send long enough ago to retry."""
        stale = timezone.now() - timezone.timedelta(minutes=stale_after_minutes)
        return self.filter(
            models.Q(status=Email.Status.QUEUED)
            | models.Q(status=Email.Status.SENDING, claimed_at__lt=stale)
        )


class Email(models.Model):
    """The outbox: every email is a row first, so a crash or an outage never drops a message.

    Delivery is at least once: a worker killed after the mail server accepted a message but before
    the row was marked sent sends it again once the claim goes stale. The window is the time between
    those two steps, kept to one UPDATE, and the claim outlasts the mail server's timeout.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(
        max_length=200,
        unique=True,
        help_text="Identifies the message so the same email is never queued twice.",
    )
    to = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        help_text="The person it was sent for: it is part of their data export and their deletion.",
    )
    about = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="emails_about",
        help_text="People it names (an organizers' digest lists applicants): erased with them.",
    )
    sensitive = models.BooleanField(
        default=False,
        help_text="Holds a secret such as a password-reset or confirmation link: nobody but its "
        "recipient may read it, and its body is erased once it has been sent.",
    )
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # One optional attachment kept as text (a calendar invitation, say), delivered with the message.
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(
        max_length=100,
        blank=True,
        help_text='Its content type, e.g. "text/calendar; method=REQUEST".',
    )
    attachment_text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
