"""Keeping organizers aware of applications that wait for them."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from community.models import Application, User
from community.services.emails import queue_email


def organizer_emails() -> list[str]:
    organizers = User.objects.filter(is_active=True, groups__name=User.ORGANIZERS).distinct()
    return list(organizers.values_list("email", flat=True))


def send_review_digest() -> int:
    """One email per organizer per day listing the applications waiting for a decision."""
    waiting = list(Application.objects.waiting().order_by("submitted_at")[:50])
    if not waiting:
        return 0
    total = Application.objects.waiting().count()
    today = timezone.localdate()
    for address in organizer_emails():
        queue_email(
            to=address,
            template="review_digest",
            context={"applications": waiting, "total": total},
            key=f"digest:{today.isoformat()}:{address}",
        )
    return total


@transaction.atomic
def notify_overdue_applications() -> int:
    """Tell organizers, once per application, that it has waited past the review deadline."""
    overdue = list(
        Application.objects.overdue()
        .filter(overdue_notified_at__isnull=True)
        .select_for_update(skip_locked=True)
    )
    for application in overdue:
        for address in organizer_emails():
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
