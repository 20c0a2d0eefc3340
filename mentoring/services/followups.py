"""After a session: each side's private notes and the action items both of them see."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from community.models import Member, User
from mentoring.models import ActionItem, Booking, SessionNote


def offerable_members(coach) -> QuerySet[User]:
    """Members a coach may offer a follow-up to: those the directory shows them, and those they
    have had a session with. One who keeps out of the directory is not found by their id."""
    met = Booking.objects.filter(coach=coach).values("member")
    reachable = Q(member__in=Member.objects.listed()) | Q(pk__in=met, member__isnull=False)
    return User.objects.filter(reachable).exclude(pk=coach.user_id)


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
    # The same open item sent twice (a double click, the back button) is kept once.
    item, _ = ActionItem.objects.get_or_create(
        booking=booking, text=text.strip(), done_at=None, defaults={"added_by": by}
    )
    return item


def action_items_of(booking: Booking) -> list[ActionItem]:
    """The session's own items, the open ones first."""
    items = booking.action_items.select_related("done_by")
    return list(items.open_first("created_at", "pk"))


def earlier_action_items(booking: Booking, *, limit: int = 20) -> list[ActionItem]:
    """What the pair agreed in their earlier sessions, for the next booking: the open items
    first, each group latest session first."""
    items = ActionItem.objects.earlier_with(booking).select_related("booking", "done_by")
    return list(items.open_first("-booking__starts_at", "pk")[:limit])


@transaction.atomic
def set_action_item_done(booking: Booking, *, by: User, item_id: int, done: bool) -> ActionItem:
    """Tick an item off (or undo it) from a session's page: one of the session's own items or of
    the pair's earlier sessions, which the page shows. Ticking a done item again keeps who did
    it first, and when."""
    booking = _check_side(booking, by=by)
    shown = Q(booking=booking) | Q(pk__in=ActionItem.objects.earlier_with(booking).values("pk"))
    item = ActionItem.objects.select_for_update().filter(shown, pk=item_id).first()
    if item is None:
        raise ValidationError("That action item is not one of this session's.")
    if done and not item.is_done:
        item.done_at, item.done_by = timezone.now(), by
    elif not done:
        item.done_at = item.done_by = None
    item.save(update_fields=["done_at", "done_by"])
    return item
