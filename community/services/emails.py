"""The email outbox: render a message into a row, then deliver it at most once."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from community.models import Email
from community.queue import enqueue_on_commit

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


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


def queue_email(*, to: str, template: str, context: dict, key: str) -> Email:
    """Queue one email; queuing the same `key` twice returns the first row and sends nothing more."""
    subject, text, html = render_email(template, context)
    return queue_rendered_email(to=to, subject=subject, text=text, html=html, key=key)


@transaction.atomic
def queue_rendered_email(*, to: str, subject: str, text: str, html: str = "", key: str) -> Email:
    email, created = Email.objects.get_or_create(
        key=key[:200],
        defaults={"to": to, "subject": subject, "body_text": text, "body_html": html},
    )
    if created:
        from community.tasks import send_email

        enqueue_on_commit(send_email, email.pk)
    return email


def deliver_email(email_id: int) -> bool:
    """Send a queued email. Returns False when another worker has it or it was already sent."""
    claimed = (
        Email.objects.due()
        .filter(pk=email_id)
        .update(status=Email.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    email = Email.objects.get(pk=email_id)
    message = EmailMultiAlternatives(email.subject, email.body_text, to=[email.to])
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:
        status = Email.Status.FAILED if email.attempts >= MAX_ATTEMPTS else Email.Status.QUEUED
        Email.objects.filter(pk=email_id).update(status=status, last_error=str(exc)[:2000])
        raise EmailDeliveryError(str(exc)) from exc
    Email.objects.filter(pk=email_id).update(
        status=Email.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def deliver_due_emails(limit: int = 500) -> int:
    """Send what is due: the safety net for tasks lost while the broker was down."""
    sent = 0
    for email_id in Email.objects.due().order_by("pk").values_list("pk", flat=True)[:limit]:
        try:
            sent += deliver_email(email_id)
        except EmailDeliveryError:
            logger.warning("Email %s could not be sent; it stays queued", email_id)
    return sent
