"""Editors' side of webinars: writing, announcing, moving, cancelling, the recording, messages,
and the reminders beat sends.

Saving goes through `save_webinar` only: it renders the Markdown through the same sanitiser as
articles, and refreshes the search vectors in the same transaction.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from content.models import Author, Registration, Topic, Webinar, WebinarMessage
from content.rendering import plain_text, render_markdown, render_teaser
from content.services import webinar_emails as emails
from content.services.indexing import refresh_search_vectors, unique_slug
from content.services.webinars import (
    DAY_REMINDER_HOURS,
    locked,
    notify_cancellation,
    notify_change,
    promote_from_waitlist,
)

# The same message again within this time is a second click on "Send", not meant twice.
REPEAT_WINDOW = timedelta(minutes=10)
# A change of any of these sends the registered an updated invitation.
INVITATION_FIELDS = ("starts_at", "duration_minutes", "title", "join_url")


def _render(webinar: Webinar) -> None:
    webinar.description_html = render_markdown(webinar.description_markdown)
    webinar.teaser_html = render_teaser(webinar.description_markdown)
    webinar.recap_html = render_markdown(webinar.recap_markdown)
    webinar.body_text = plain_text(f"{webinar.description_html} {webinar.recap_html}")
    webinar.ends_at = webinar.compute_ends_at()


def _saved_invitation(webinar: Webinar) -> dict:
    """The invitation's fields as they are stored ({} for a new webinar)."""
    if webinar.pk is None:
        return {}
    return Webinar.objects.filter(pk=webinar.pk).values(*INVITATION_FIELDS).first() or {}


def _had_ended(saved: dict) -> bool:
    """Whether the webinar, as it was stored before this change, had taken place."""
    if not saved:
        return False
    ends_at = saved["starts_at"] + timedelta(minutes=saved["duration_minutes"])
    return ends_at <= timezone.now()


def rearm_reminders(webinar: Webinar, *, now: datetime | None = None) -> None:
    """After a move: a reminder already sent is sent again if the new time is further off than
    its lead time (a week later: both again; ten minutes later: no second "tomorrow")."""
    now = now or timezone.now()
    registrations = webinar.registrations.all()
    for field, hours in REMINDERS:
        if webinar.starts_at > now + timedelta(hours=hours):
            registrations.filter(**{f"{field}__isnull": False}).update(**{field: None})


@transaction.atomic
def save_webinar(
    webinar: Webinar,
    *,
    saved_by,
    speakers: list[Author] | None = None,
    topics: list[Topic] | None = None,
) -> Webinar:
    """Render, store and index a webinar; the registered hear of a new time or join link."""
    if webinar.pk:
        locked(webinar)
    before = _saved_invitation(webinar)
    changed = any(before.get(name) != getattr(webinar, name) for name in before)
    moved = bool(before) and before["starts_at"] != webinar.starts_at
    _render(webinar)
    webinar.slug = webinar.slug or unique_slug(
        Webinar, webinar.title, fallback="webinar", exclude_pk=webinar.pk
    )
    if webinar.created_by_id is None and saved_by is not None:
        webinar.created_by = saved_by
    webinar.save()
    if speakers is not None:
        webinar.speakers.set(speakers)
    if topics is not None:
        webinar.topics.set(topics)
    refresh_search_vectors(webinar)
    # Once it has taken place, a fixed title or a dropped join link is news to nobody.
    if webinar.state == Webinar.State.SCHEDULED and not (
        _had_ended(before) and webinar.has_ended()
    ):
        if moved:
            rearm_reminders(webinar)
        if changed:
            notify_change(webinar, moved=moved)
        if webinar.is_open():
            promote_from_waitlist(webinar)  # a larger capacity lets the waiting in
    return webinar


@transaction.atomic
def schedule_webinar(webinar: Webinar, *, by) -> Webinar:
    """Announce it: it is listed, and people may register."""
    webinar = locked(webinar)
    if webinar.state != Webinar.State.DRAFT:
        raise ValidationError("Only a draft webinar can be announced.")
    if webinar.starts_at <= timezone.now():
        raise ValidationError("Give the webinar a time in the future before announcing it.")
    webinar.state = Webinar.State.SCHEDULED
    webinar.save(update_fields=["state", "updated_at"])
    return webinar


@transaction.atomic
def cancel_webinar(webinar: Webinar, *, by) -> Webinar:
    """Call it off: everyone registered or waiting is told, calendars drop the event."""
    webinar = locked(webinar)
    if webinar.state == Webinar.State.CANCELLED:
        return webinar
    if webinar.state == Webinar.State.DRAFT:
        # A cancelled webinar keeps a page saying so, for those who registered; a draft nobody
        # saw should not gain one.
        raise ValidationError("This webinar was never announced: delete the draft instead.")
    if webinar.has_ended():
        raise ValidationError("This webinar has taken place, so it can no longer be cancelled.")
    webinar.state = Webinar.State.CANCELLED
    webinar.library_at = None
    webinar.save(update_fields=["state", "library_at", "updated_at"])
    notify_cancellation(webinar)
    return webinar


@transaction.atomic
def delete_draft_webinar(webinar: Webinar, *, by) -> None:
    """Throw away a webinar that was never announced: nobody registered, nothing was sent."""
    webinar = locked(webinar)
    if webinar.state != Webinar.State.DRAFT:
        raise ValidationError(
            "Only a draft can be deleted: cancel an announced webinar, so the registered are told."
        )
    files = [file for file in (webinar.recording_file, webinar.slides) if file]
    webinar.delete()
    for file in files:  # once the row is gone for good, not before a rollback could bring it back
        transaction.on_commit(lambda file=file: file.storage.delete(file.name))


@transaction.atomic
def publish_recording(
    webinar: Webinar,
    *,
    by,
    recording_url: str = "",
    recording_file=None,
    slides=None,
    recap_markdown: str = "",
    visibility: str = Webinar.Visibility.MEMBERS,
) -> Webinar:
    """After the event: the recording, slides and summary; the webinar joins the library."""
    webinar = locked(webinar)
    if webinar.state != Webinar.State.SCHEDULED or not webinar.has_ended():
        raise ValidationError("A recording can be added once the webinar has taken place.")
    if recording_file is not None:
        webinar.recording_file = recording_file
    if slides is not None:
        webinar.slides = slides
    webinar.recording_url = recording_url
    webinar.recap_markdown = recap_markdown
    if not (webinar.recording_url or webinar.recording_file or recap_markdown.strip()):
        raise ValidationError("Add the recording (a link or a file) or a summary.")
    webinar.visibility = visibility
    webinar.library_at = webinar.library_at or timezone.now()
    _render(webinar)
    webinar.save()
    refresh_search_vectors(webinar)
    return webinar


@transaction.atomic
def message_registered(webinar: Webinar, *, by, subject: str, body: str) -> WebinarMessage:
    """One email per registered person, once per message (a second click on "Send" included);
    none once the webinar is cancelled."""
    if not subject.strip() or not body.strip():
        raise ValidationError("Write a subject and a message.")
    webinar = locked(webinar)  # two clicks on "Send" are served one after the other
    if webinar.state == Webinar.State.CANCELLED:
        raise ValidationError(
            "This webinar has been cancelled and everyone registered was told: it can no longer "
            "be used to message them."
        )
    recent = webinar.messages.filter(
        subject=subject.strip(), body=body.strip(), created_at__gt=timezone.now() - REPEAT_WINDOW
    )
    if recent.exists():
        raise ValidationError("This message has just been sent to the registered; once is enough.")
    registered = webinar.registrations.filter(status=Registration.Status.REGISTERED)
    message = WebinarMessage.objects.create(
        webinar=webinar, subject=subject.strip(), body=body.strip(), sent_by=by
    )
    for registration in registered.select_related("user", "webinar"):
        emails.send_message(message, registration)
        message.recipients += 1
    message.save(update_fields=["recipients"])
    return message


REMINDERS = (("reminded_day_before_at", DAY_REMINDER_HOURS), ("reminded_hour_before_at", 1))


@transaction.atomic
def send_reminder(registration_id: int, *, field: str, hours: int, now: datetime) -> bool:
    """Claim the reminder on its row first: a second sweep finds it taken and sends nothing."""
    claim = Registration.objects.filter(
        pk=registration_id, status=Registration.Status.REGISTERED, **{field: None}
    )
    if not claim.update(**{field: now}):
        return False
    emails.send_reminder(
        Registration.objects.select_related("user", "webinar").get(pk=registration_id),
        hours=hours,
        now=now,
    )
    return True


def send_due_reminders(*, now: datetime | None = None) -> int:
    """A day and an hour before; someone registering inside the last hour gets only the second."""
    now = now or timezone.now()
    sent = 0
    upcoming = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        webinar__state=Webinar.State.SCHEDULED,
        webinar__starts_at__gt=now,
    )
    for index, (field, hours) in enumerate(REMINDERS):
        due = upcoming.filter(webinar__starts_at__lte=now + timedelta(hours=hours), **{field: None})
        if index + 1 < len(REMINDERS):
            due = due.filter(webinar__starts_at__gt=now + timedelta(hours=REMINDERS[index + 1][1]))
        for registration_id in due.values_list("pk", flat=True):
            sent += send_reminder(registration_id, field=field, hours=hours, now=now)
    return sent
