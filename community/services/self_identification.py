"""Optional self-identification: stored only with consent, used only to compose circles."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from community.models import SelfIdentification, User


@transaction.atomic
def save_self_identification(
    user: User, *, gender: str, underrepresented: str, consent: bool
) -> SelfIdentification | None:
    """Store the answers; with nothing to store, or no consent, keep nothing at all."""
    gender = gender.strip()
    unsaid = SelfIdentification.Underrepresented.UNSAID
    if not gender and underrepresented in ("", unsaid):
        withdraw_self_identification(user)
        return None
    if not consent:
        raise ValidationError(
            "Please tick the consent box to store your self-identification, or leave it blank."
        )
    record, _ = SelfIdentification.objects.update_or_create(
        user=user,
        defaults={
            "gender": gender,
            "underrepresented": underrepresented or unsaid,
            "consented_at": timezone.now(),
        },
    )
    return record


def withdraw_self_identification(user: User) -> bool:
    """Erase the answers entirely (not just hide them)."""
    deleted, _ = SelfIdentification.objects.filter(user=user).delete()
    return bool(deleted)
