"""Placeholder: vacancies are filled by the backfill work; until then a vacancy is only recorded."""

from circles.models import Backfill, CircleMember

PLACEHOLDER_REASON = "Backfill proposals are not available yet."


def open_vacancy(member: CircleMember) -> Backfill:
    """Record that this member's place needs filling."""
    backfill, _ = Backfill.objects.get_or_create(
        vacancy=member,
        status__in=[Backfill.Status.PROPOSED, Backfill.Status.NONE_FITS],
        defaults={
            "circle": member.circle,
            "status": Backfill.Status.NONE_FITS,
            "reason": PLACEHOLDER_REASON,
        },
    )
    return backfill
