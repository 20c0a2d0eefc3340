"""Keeping organizers aware of applications that wait for them."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from community.models import Application, User
from community.services.emails import queue_email

DIGEST_LIMIT = 50


def organizer_emails() -> list[str]:
    organizers = User.objects.filter(is_active=True, groups__name=User.ORGANIZERS).distinct()
    return list(organizers.order_by("email").values_list("email", flat=True))


def send_review_digest() -> int:
    """Email each organizer, at most once a day, the applications waiting for a decision.

    Returns how many applications are waiting. Running it twice on one day sends nothing more:
    the outbox key holds the date.
    """
    waiting = Application.objects.waiting().order_by("submitted_at", "pk")
    oldest = list(waiting[:DIGEST_LIMIT])
    if not oldest:
        return 0
    total = waiting.count()
    today = timezone.localdate()
    context = {"applications": oldest, "total": total}
    for address in organizer_emails():
        queue_email(
            to=address,
            template="review_digest",
            context=context,
            key=f"digest:{today.isoformat()}:{address}",
        )
    return total


@transaction.atomic
def notify_overdue_applications() -> int:
    """Tell organizers, once per application, that it has waited past the review deadline.

    Returns how many applications were reported. With no organizer to tell, nothing is marked, so
    the applications are reported as soon as there is one.
    """
    addresses = organizer_emails()
    if not addresses:
        return 0
    overdue = list(
        Application.objects.overdue()
        .filter(overdue_notified_at__isnull=True)
        .order_by("submitted_at", "pk")
        .select_for_update(skip_locked=True)
    )
    for application in overdue:
        for address in addresses:
            queue_email(
                to=address,
                template="review_overdue",
                context={"application": application, "days": settings.REVIEW_DEADLINE_DAYS},
                key=f"overdue:{application.pk}:{address}",
            )
    Application.objects.filter(pk__in=[a.pk for a in overdue]).update(
        overdue_notified_at=timezone.now()
    )
    return len(overdue)
