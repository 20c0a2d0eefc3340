"""The email outbox: render a message into a row, then deliver it at least once.

A row is claimed before it is sent, so two workers never send it at the same time. A worker killed
between the mail server accepting the message and the row being marked sent leaves the row in
"sending"; once that claim is stale the row is sent again. That window is one UPDATE long, and the
claim outlives a send (EMAIL_TIMEOUT), so only a crash in that instant doubles an email.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from community.models import Email, User
from community.queue import enqueue_on_commit

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
DONE = (Email.Status.SENT, Email.Status.FAILED)
ERASED = {"body_text": "", "body_html": "", "attachment_text": ""}
REDACTED_SUBJECT = "(removed: it named someone who has since deleted their account)"


@dataclass(frozen=True)
class Attachment:
    """A text file sent with an email, such as a calendar invitation."""

    name: str
    content_type: str
    text: str

    def fields(self) -> dict:
        return {
            "attachment_name": self.name,
            "attachment_type": self.content_type,
            "attachment_text": self.text,
        }


class EmailDeliveryError(Exception):
    """Sending failed for a reason that may pass (the SMTP server was unreachable, say)."""


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Render `emails/<template>_subject.txt`, `emails/<template>.txt` and the HTML version
    (`emails/<template>.html` if there is one, else the text in `emails/base.html`)."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    text = render_to_string(f"emails/{template}.txt", context).strip() + "\n"
    # An email with links has its own HTML template; the others are the text in the layout.
    html_templates = [f"emails/{template}.html", "emails/base.html"]
    html = render_to_string(html_templates, {**context, "subject": subject, "body": text})
    return subject, text, html


def queue_email(
    *,
    to: str,
    template: str,
    context: dict,
    key: str,
    user: User | None,
    about: Iterable[User] = (),
    attachment: Attachment | None = None,
) -> Email:
    """Queue one email; queuing the same `key` twice returns the first row and sends nothing more.

    `user` is the person it is sent for (None only when no account stays behind, as for the
    confirmation of a deletion); `about` lists the people it names, so deleting their account
    reaches this copy too.
    """
    subject, text, html = render_email(template, context)
    return queue_rendered_email(
        to=to,
        subject=subject,
        text=text,
        html=html,
        key=key,
        user=user,
        about=about,
        attachment=attachment,
    )


@transaction.atomic
def queue_rendered_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    key: str,
    user: User | None,
    about: Iterable[User] = (),
    sensitive: bool = False,
    attachment: Attachment | None = None,
) -> Email:
    fields = {"to": to, "subject": subject, "body_text": text, "body_html": html}
    if attachment is not None:
        fields.update(attachment.fields())
    email, created = Email.objects.get_or_create(
        key=key[:200], defaults={**fields, "user": user, "sensitive": sensitive}
    )
    if created:
        email.about.set([person for person in about if person is not None])
        from community.tasks import send_email

        enqueue_on_commit(send_email, email.pk)
    return email


def _claim(email_id: int) -> bool:
    return bool(
        Email.objects.due()
        .filter(pk=email_id)
        .update(status=Email.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    )


def _message(email: Email) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(email.subject, email.body_text, to=[email.to])
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.attachment_name:
        message.attach(email.attachment_name, email.attachment_text, email.attachment_type)
    return message


def _finished(email: Email) -> dict:
    """A security email's secret link is of no use to anyone once it has left the outbox."""
    return ERASED if email.sensitive else {}


def _record_failure(email: Email, exc: Exception) -> bool:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if email.attempts < MAX_ATTEMPTS:
        Email.objects.filter(pk=email.pk).update(status=Email.Status.QUEUED, last_error=error)
        raise EmailDeliveryError(error) from exc
    Email.objects.filter(pk=email.pk).update(
        status=Email.Status.FAILED, last_error=error, **_finished(email)
    )
    logger.error("Email %s gave up after %s attempts: %s", email.pk, email.attempts, error)
    return False


def deliver_email(email_id: int) -> bool:
    """Send a due email. False when another worker has it, it was sent, or it has now failed for
    good; EmailDeliveryError when it failed and will be tried again."""
    if not _claim(email_id):
        return False
    email = Email.objects.filter(pk=email_id).first()
    if email is None:  # erased with its person's account after the claim
        return False
    try:
        _message(email).send()
    except Exception as exc:
        return _record_failure(email, exc)
    # Nothing may come between the send and this update: it is the at-least-once window.
    Email.objects.filter(pk=email_id).update(
        status=Email.Status.SENT, sent_at=timezone.now(), last_error="", **_finished(email)
    )
    return True


def deliver_due_emails(limit: int = 500) -> int:
    """Send what is due: the safety net for tasks lost while the broker was down, and for rows
    left in "sending" by a worker that died."""
    sent = 0
    for email_id in Email.objects.due().order_by("pk").values_list("pk", flat=True)[:limit]:
        try:
            sent += deliver_email(email_id)
        except EmailDeliveryError:
            logger.warning("Email %s could not be sent; it stays queued", email_id)
    return sent


def forget_old_email_bodies() -> int:
    """Blank the bodies of emails sent (or given up) more than EMAIL_BODY_RETENTION_DAYS ago.

    The row stays, so the outbox still says what was sent to whom and when."""
    cutoff = timezone.now() - timedelta(days=settings.EMAIL_BODY_RETENTION_DAYS)
    old = Q(status=Email.Status.SENT, sent_at__lt=cutoff) | Q(
        status=Email.Status.FAILED, created_at__lt=cutoff
    )
    return Email.objects.filter(old).exclude(**ERASED).update(**ERASED)


def export_emails(user: User) -> list[dict]:
    return [
        {
            "to": email.to,
            "subject": email.subject,
            "queued_at": email.created_at.isoformat(),
            "sent_at": email.sent_at.isoformat() if email.sent_at else None,
            "status": email.status,
        }
        for email in Email.objects.filter(user=user).order_by("created_at", "pk")
    ]


def erase_emails(user: User) -> None:
    """Delete the emails sent for this person and every stored copy of what others were told
    about them: unsent ones are dropped, sent ones keep only that they were sent."""
    Email.objects.filter(user=user).delete()
    about = Email.objects.filter(about=user)
    about.exclude(status__in=DONE).delete()
    about.update(subject=REDACTED_SUBJECT, **ERASED)
