"""A circle after it started: a member leaves, two small circles merge, an organizer ends one.

Each change locks the round first (as backfills do), records a ReviewEvent, and tells Slack what
it should look like through the desired state: a member who leaves is withdrawn from the channel,
merged members move to the other circle's channel, an ended circle's channel is archived.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from circles import domain
from circles.composition import circle_violations
from circles.models import Backfill, Circle, CircleMember, Round, SignUp
from circles.services import backfills, meetings, review
from community.models import User
from community.services import slack_state

RUNNING = (Circle.Status.INVITING, Circle.Status.ACTIVE)
LEAVABLE = (CircleMember.Status.INVITED, CircleMember.Status.ACCEPTED)


def _lock(circle: Circle) -> Circle:
    Round.objects.select_for_update().get(pk=circle.round_id)
    return Circle.objects.select_for_update(of=("self",)).select_related("round").get(pk=circle.pk)


def _current(circle: Circle) -> list[CircleMember]:
    return list(review.current_members().filter(circle=circle).select_related("signup__user"))


@transaction.atomic
def leave_circle(member: CircleMember, *, by: User) -> Backfill | None:
    """The member leaves: out of the channel, and their place offered to the waitlist."""
    circle = _lock(member.circle)
    member = CircleMember.objects.select_related("signup__user").get(pk=member.pk)
    if member.status not in LEAVABLE:
        raise ValidationError(f"You are no longer in {circle}.")
    member.status, member.left_at = CircleMember.Status.LEFT, timezone.now()
    member.save(update_fields=["status", "left_at", "updated_at"])
    if circle.facilitator_id == member.pk:
        Circle.objects.filter(pk=circle.pk).update(facilitator=None)
    if circle.slack_channel_id and member.signup.user_id:
        slack_state.withdraw_membership(circle.slack_channel, member.signup.user)
    review.record(
        circle.round,
        actor=by,
        action="member.left",
        circle=circle.pk,
        number=circle.number,
        member=member.pk,
        signup=member.signup_id,
    )
    return backfills.open_vacancy(member) if circle.status in RUNNING else None


def _people(members) -> list[domain.SignUp]:
    return [member.signup.to_domain() for member in members]


def merge_partners(circle: Circle) -> list[Circle]:
    """The other running circles of the round this one could merge with: same format, together
    no bigger than the largest circle, and every rule holding on the union."""
    if circle.status not in RUNNING:
        return []
    rules, format = circle.round.rules(), domain.Format(circle.format)
    current = review.current_members().select_related("signup")
    others = (
        circle.round.circles.filter(status__in=RUNNING, format=circle.format)
        .exclude(pk=circle.pk)
        .prefetch_related(Prefetch("members", queryset=current, to_attr="current"))
    )
    mine = _people(_current(circle))
    partners = []
    for other in others:
        theirs = _people(other.current)
        union = mine + theirs
        if theirs and len(union) <= rules.max_size and not circle_violations(union, format, rules):
            partners.append(other)
    return partners


def _move_channel(members: list[CircleMember], *, source: Circle, into: Circle) -> None:
    for member in members:
        user = member.signup.user
        if user is None or member.status != CircleMember.Status.ACCEPTED:
            continue  # only those who consented are in a channel
        if source.slack_channel_id:
            slack_state.withdraw_membership(source.slack_channel, user)
        if into.slack_channel_id and member.consented_at:
            try:
                slack_state.declare_membership(into.slack_channel, user)
            except ValidationError:  # no longer an active member: nothing to add
                continue


def _close(circle: Circle, *, reason: str, by: User | None, **fields) -> None:
    Circle.objects.filter(pk=circle.pk).update(
        status=Circle.Status.ENDED, ended_at=timezone.now(), end_reason=reason, **fields
    )
    backfills.close_open_backfills(circle, by=by)
    if circle.slack_channel_id:
        slack_state.request_archive(circle.slack_channel)


@transaction.atomic
def merge_circles(source: Circle, *, into: Circle, by: User) -> Circle:
    """Move `source`'s people into `into` (channel membership too); `source` ends, merged."""
    source, into = _lock(source), _lock(into)
    if into.pk not in {partner.pk for partner in merge_partners(source)}:
        raise ValidationError(f"{source} and {into} cannot merge: together they break a rule.")
    _cancel_meetings(source, by=by)
    moved = _current(source)
    CircleMember.objects.filter(pk__in=[m.pk for m in moved]).update(circle=into)
    _move_channel(moved, source=source, into=into)
    _close(source, reason=f"Merged into {into}.", by=by, merged_into=into)
    review.refresh_circle(into, rules=into.round.rules())
    if into.first_meeting_at and not into.series_cancelled_at:
        for member in moved:  # the circle they join: its meetings go in their calendars
            if member.status == CircleMember.Status.ACCEPTED:
                meetings.send_series_invitation(into, member)
    review.record(
        into.round,
        actor=by,
        action="circle.merged",
        circle=source.pk,
        number=source.number,
        into=into.pk,
        into_number=into.number,
        signups=[m.signup_id for m in moved],
    )
    into.refresh_from_db()
    return into


def _cancel_meetings(circle: Circle, *, by: User) -> None:
    """Its meetings still to come are cancelled, and every member's calendar drops the series."""
    if circle.first_meeting_at and not circle.series_cancelled_at:
        meetings.cancel_series(circle, by=by)


@transaction.atomic
def end_circle(
    circle: Circle, *, reason: str, by: User, carry_to: Round | None = None
) -> list[SignUp]:
    """End the circle: its channel is archived and its people go back on the waitlist, of the
    round `carry_to` if given (a sign-up there pointing back at this one, their history)."""
    circle = _lock(circle)
    if circle.status not in RUNNING:
        raise ValidationError(f"{circle} is {circle.get_status_display().lower()}: it cannot end.")
    if not reason.strip():
        raise ValidationError("Say why the circle ends; its members' history keeps it.")
    _cancel_meetings(circle, by=by)
    members = _current(circle)
    ids = [member.signup_id for member in members]
    CircleMember.objects.filter(pk__in=[m.pk for m in members]).update(
        status=CircleMember.Status.ENDED
    )
    SignUp.objects.filter(pk__in=ids).update(waitlist_reason=f"Their circle ({circle}) ended.")
    _close(circle, reason=reason.strip(), by=by)
    carried = []
    if carry_to is not None and carry_to.pk != circle.round_id:
        carried = review.copy_signups(SignUp.objects.filter(pk__in=ids), to=carry_to)
        review.record(
            carry_to,
            actor=by,
            action="waitlist.received",
            from_round=circle.round_id,
            people=len(carried),
        )
    review.record(
        circle.round,
        actor=by,
        action="circle.ended",
        circle=circle.pk,
        number=circle.number,
        signups=ids,
        carried_to=carry_to.pk if carry_to else None,
        carried=len(carried),
    )
    return carried
