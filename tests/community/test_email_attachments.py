"""The outbox carries one text attachment (a calendar invitation) through to the mail server."""

import pytest
from django.core import mail

from community.models import Email
from community.services.emails import Attachment, deliver_email, queue_email

pytestmark = pytest.mark.django_db
INVITATION = Attachment(
    name="invite.ics", content_type="text/calendar; method=REQUEST", text="BEGIN:VCALENDAR\r\n"
)


def test_a_queued_email_keeps_its_attachment_and_sends_it():
    email = queue_email(
        to="someone@example.com",
        template="welcome",
        context={},
        key="with-attachment",
        user=None,
        attachment=INVITATION,
    )
    deliver_email(email.pk)

    row = Email.objects.get(pk=email.pk)
    assert (row.attachment_name, row.attachment_type) == ("invite.ics", INVITATION.content_type)
    (message,) = mail.outbox
    (name, content, content_type) = message.attachments[0]
    assert (name, content) == ("invite.ics", "BEGIN:VCALENDAR\r\n")
    assert content_type.startswith("text/calendar")
    part = message.message().get_payload()[-1]
    assert (part.get_content_type(), part.get_param("method")) == ("text/calendar", "REQUEST")


def test_an_email_without_an_attachment_is_sent_without_one():
    email = queue_email(
        to="someone@example.com", template="welcome", context={}, key="plain", user=None
    )
    deliver_email(email.pk)
    assert mail.outbox[0].attachments == []
