"""After a session: each side's private notes and the action items both of them see."""

from django.core.exceptions import ValidationError
from django.db import transaction

from community.models import User
from mentoring.models import ActionItem, Booking, SessionNote


def _check_side(booking: Booking, *, by: User) -> Booking:
    """The booking as it is now (locked), if `by` is one of its two sides and it is not off."""
    booking = Booking.objects.select_for_update().select_related("coach").get(pk=booking.pk)
    if by.pk not in {booking.member_id, booking.coach.user_id}:
        raise ValidationError("Only the coach and the member of a session keep notes on it.")
    if booking.status == Booking.Status.CANCELLED:
        raise ValidationError("A cancelled session has no notes or action items.")
    return booking


def note_for(booking: Booking, *, user: User) -> SessionNote | None:
    """The user's own note on the session: nobody else's is ever read here."""
    return SessionNote.objects.filter(booking=booking, author=user).first()


@transaction.atomic
def save_note(booking: Booking, *, by: User, text: str) -> SessionNote | None:
    """Keep (or, when emptied, drop) the author's own note; the other side never sees it."""
    booking = _check_side(booking, by=by)
    if not text.strip():
        SessionNote.objects.filter(booking=booking, author=by).delete()
        return None
    note, _ = SessionNote.objects.update_or_create(
        booking=booking, author=by, defaults={"text": text.strip()}
    )
    return note


@transaction.atomic
def add_action_item(booking: Booking, *, by: User, text: str) -> ActionItem:
    booking = _check_side(booking, by=by)
    if not text.strip():
        raise ValidationError("Write what is to be done.")
    return ActionItem.objects.create(booking=booking, text=text.strip(), added_by=by)


def earlier_action_items(booking: Booking, *, limit: int = 20) -> list[ActionItem]:
    """What the pair agreed in their earlier sessions, latest first, for the next booking."""
    items = ActionItem.objects.earlier_with(booking).select_related("booking")
    return list(items.order_by("-booking__starts_at", "pk")[:limit])
