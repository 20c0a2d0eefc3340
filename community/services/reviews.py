"""Keeping organizers aware of applications that wait for them."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from community.models import Application, User
from community.services.emails import queue_email

DIGEST_LIMIT = 50


def organizers() -> list[User]:
    found = User.objects.filter(is_active=True, groups__name=User.ORGANIZERS).distinct()
    return list(found.order_by("email"))


def send_review_digest() -> int:
    """Email each organizer, at most once a day, the applications waiting for a decision.

    Returns how many applications are waiting. Running it twice on one day sends nothing more:
    the outbox key holds the date.
    """
    waiting = Application.objects.waiting().order_by("submitted_at", "pk")
    oldest = list(waiting.select_related("user")[:DIGEST_LIMIT])
    if not oldest:
        return 0
    total = waiting.count()
    today = timezone.localdate()
    context = {"applications": oldest, "total": total}
    applicants = [application.user for application in oldest]
    for organizer in organizers():
        queue_email(
            to=organizer.email,
            template="review_digest",
            context=context,
            key=f"digest:{today.isoformat()}:{organizer.email}",
            user=organizer,
            about=applicants,
        )
    return total


@transaction.atomic
def notify_overdue_applications() -> int:
    """Tell organizers, once per application, that it has waited past the review deadline.

    Returns how many applications were reported. With no organizer to tell, nothing is marked, so
    the applications are reported as soon as there is one.
    """
    recipients = organizers()
    if not recipients:
        return 0
    overdue = list(
        Application.objects.overdue()
        .filter(overdue_notified_at__isnull=True)
        .order_by("submitted_at", "pk")
        .select_for_update(skip_locked=True)
    )
    for application in overdue:
        for organizer in recipients:
            queue_email(
                to=organizer.email,
                template="review_overdue",
                context={"application": application, "days": settings.REVIEW_DEADLINE_DAYS},
                key=f"overdue:{application.pk}:{organizer.email}",
                user=organizer,
                about=[application.user],
            )
    Application.objects.filter(pk__in=[a.pk for a in overdue]).update(
        overdue_notified_at=timezone.now()
    )
    return len(overdue)
