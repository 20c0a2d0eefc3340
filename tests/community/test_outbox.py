"""The email outbox: failures, retries, dead workers, security emails, keeping bodies, site links."""

import os
import re
import smtplib
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.urls import reverse
from django.utils import timezone

from community import tasks
from community.models import Email
from community.services.emails import (
    MAX_ATTEMPTS,
    deliver_due_emails,
    deliver_email,
    forget_old_email_bodies,
    queue_email,
)
from community.tasks import send_email
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
FAILING = "tests.community.test_outbox.FailingBackend"
FLAKY = "tests.community.test_outbox.FlakyBackend"
RESET_KEY = re.compile(r"/accounts/password/reset/key/([^/\s]+)/")


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    error: Exception = ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, messages):
        raise self.error


class FlakyBackend(MemoryBackend):
    """Drops the connection on the first message it is given, then delivers."""

    calls = 0

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls == 1:
            raise smtplib.SMTPServerDisconnected()
        return super().send_messages(messages)


def queue_welcome(key: str = "welcome") -> Email:
    return queue_email(to="someone@example.com", template="welcome", context={}, key=key, user=None)


# Failures and retries


def test_a_refused_email_is_retried_up_to_the_limit_then_marked_failed(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_welcome()

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert email.attempts == MAX_ATTEMPTS
    assert "Connection refused" in email.last_error
    assert send_email.apply(args=[email.pk]).get() is False  # nothing more is tried
    assert Email.objects.get(pk=email.pk).attempts == MAX_ATTEMPTS


def test_a_failed_attempt_stays_queued_and_the_sweep_sends_it(settings):
    settings.EMAIL_BACKEND = FLAKY
    FlakyBackend.calls = 0
    email = queue_welcome()

    assert deliver_due_emails() == 0
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.QUEUED, 1)
    assert deliver_due_emails() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (Email.Status.SENT, 2, "")
    assert [message.to for message in mail.outbox] == [["someone@example.com"]]


def test_a_failure_without_a_message_still_says_what_went_wrong(settings):
    settings.EMAIL_BACKEND = FLAKY
    FlakyBackend.calls = 0
    email = queue_welcome()
    deliver_due_emails()
    assert Email.objects.get(pk=email.pk).last_error == "SMTPServerDisconnected: "


def test_organizers_see_why_an_email_failed_in_the_admin(
    settings, client_for, organizer, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_welcome()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = client_for(organizer)

    listing = client.get(reverse("admin:community_email_changelist"), {"status__exact": "failed"})
    assert [row.pk for row in listing.context["cl"].result_list] == [email.pk]
    assert "Connection refused" in listing.text
    detail = client.get(reverse("admin:community_email_change", args=[email.pk]))
    assert "Connection refused" in detail.text
    assert "Failed" in detail.text


def test_a_row_left_sending_by_a_killed_worker_is_sent_again_once_its_claim_is_stale(mailoutbox):
    email = queue_welcome()
    # The worker claimed it, then was killed before it could mark the result.
    Email.objects.filter(pk=email.pk).update(
        status=Email.Status.SENDING, attempts=1, claimed_at=timezone.now()
    )
    assert deliver_due_emails() == 0  # it may still be sending: not doubled yet
    assert mailoutbox == []

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert deliver_due_emails() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Email.Status.SENT, 2)
    assert len(mailoutbox) == 1


def test_a_hanging_mail_server_gives_up_long_before_the_claim_goes_stale():
    # Otherwise a slow send would be reclaimed and sent again while the first still runs.
    assert settings.EMAIL_TIMEOUT and settings.EMAIL_TIMEOUT < 15 * 60 / 10


def test_a_sent_email_is_not_sent_twice(mailoutbox):
    email = queue_welcome()
    assert deliver_email(email.pk) is True
    assert deliver_email(email.pk) is False
    assert deliver_due_emails() == 0
    assert len(mailoutbox) == 1


# Security emails


def request_reset(client, address: str) -> Email:
    client.post("/accounts/password/reset/", {"email": address})
    return Email.objects.get(to=address, key__contains="password_reset_key")


def admin_pages(email: Email) -> list[str]:
    return [
        reverse("admin:community_email_changelist"),
        reverse("admin:community_email_changelist") + f"?q={email.to}",
        reverse("admin:community_email_changelist") + "?sensitive__exact=1",
        reverse("admin:community_email_change", args=[email.pk]),
        reverse("admin:community_email_history", args=[email.pk]),
        reverse("admin:community_user_change", args=[email.user_id]),
        reverse("admin:index"),
    ]


def test_no_admin_page_shows_an_organizer_someone_elses_password_reset_key(
    client, client_for, organizer, member
):
    reset = request_reset(client, "member@example.com")
    key = RESET_KEY.search(reset.body_text).group(1)  # queued: the worker has not sent it yet
    assert reset.sensitive and reset.user == member

    staff = client_for(organizer)
    for url in admin_pages(reset):
        response = staff.get(url)
        assert response.status_code == 200, url
        assert key not in response.text, url
    detail = staff.get(reverse("admin:community_email_change", args=[reset.pk])).text
    assert "for its recipient" in detail


def test_a_security_email_keeps_no_link_once_sent(client, member, mailoutbox):
    reset = request_reset(client, "member@example.com")
    deliver_email(reset.pk)

    [message] = mailoutbox
    assert RESET_KEY.search(message.body)  # the recipient got the link
    reset.refresh_from_db()
    assert (reset.status, reset.body_text, reset.body_html) == (Email.Status.SENT, "", "")


def test_a_security_email_that_fails_for_good_keeps_no_link(client, member, settings):
    reset = request_reset(client, "member@example.com")
    settings.EMAIL_BACKEND = FAILING
    Email.objects.filter(pk=reset.pk).update(attempts=MAX_ATTEMPTS - 1)
    assert deliver_email(reset.pk) is False
    reset.refresh_from_db()
    assert (reset.status, reset.body_text) == (Email.Status.FAILED, "")


def test_ordinary_emails_stay_readable_in_the_admin(client_for, organizer):
    email = queue_welcome()
    detail = client_for(organizer).get(reverse("admin:community_email_change", args=[email.pk]))
    assert "welcome to Roundtable" in detail.text


# Keeping bodies only while they are useful


def test_bodies_of_emails_sent_long_ago_are_blanked_and_the_rows_stay(settings, mailoutbox):
    settings.EMAIL_BODY_RETENTION_DAYS = 30
    old, recent, waiting = (queue_welcome(key) for key in ("old", "recent", "waiting"))
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        deliver_email(old.pk)
    with time_machine.travel(timezone.now() - timedelta(days=29)):
        deliver_email(recent.pk)

    assert forget_old_email_bodies() == 1
    bodies = dict(Email.objects.values_list("key", "body_text"))
    assert bodies["old"] == ""
    assert "welcome to Roundtable" in bodies["recent"]
    assert "welcome to Roundtable" in bodies["waiting"]  # not sent yet: needed
    assert Email.objects.get(key="old").subject == "Welcome to Roundtable"
    assert forget_old_email_bodies() == 0


def test_forgetting_old_bodies_runs_on_a_schedule(mailoutbox):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "community.tasks.forget_old_email_bodies" in scheduled
    email = queue_welcome()
    with time_machine.travel(
        timezone.now() - timedelta(days=settings.EMAIL_BODY_RETENTION_DAYS + 1)
    ):
        deliver_email(email.pk)
    assert tasks.forget_old_email_bodies.apply().get() == 1
    assert Email.objects.get(pk=email.pk).body_text == ""


def test_a_negative_retention_is_refused_at_start_up():
    env = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env={**env, "EMAIL_BODY_RETENTION_DAYS": "-1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "EMAIL_BODY_RETENTION_DAYS must be 0 or more days." in result.stderr


# Links and the site's name


def test_allauths_emails_name_the_site_and_its_address(client, settings):
    settings.SITE_NAME = "Roundtable Lisbon"
    settings.SITE_URL = "http://127.0.0.1:8101"
    make_user("known@example.com")
    body = request_reset(client, "known@example.com").body_text
    assert "Hello from Roundtable Lisbon!" in body
    assert "Thank you for using Roundtable Lisbon!\n127.0.0.1:8101" in body
    assert "8000" not in body


@pytest.mark.parametrize(
    "environment, site_url",
    [({}, "http://127.0.0.1:8101"), ({"SITE_URL": "https://x.example"}, "https://x.example")],
)
def test_make_run_points_links_in_emails_at_the_port_it_serves(tmp_path, environment, site_url):
    # A stand-in virtualenv whose python prints what it was asked to run and with which SITE_URL.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"
    python.write_text('#!/bin/sh\necho "$* SITE_URL=$SITE_URL"\n')
    python.chmod(0o755)
    (tmp_path / ".installed").touch()
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    result = subprocess.run(
        ["make", "--no-print-directory", "run", "PORT=8101", f"VENV={tmp_path}"],
        cwd=Path(settings.BASE_DIR),
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f"runserver 127.0.0.1:8101 SITE_URL={site_url}" in result.stdout
    assert f"seed_demo SITE_URL={site_url}" in result.stdout
