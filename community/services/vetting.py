"""Deciding on many applications at once, as organizers do from the review queue."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import TextChoices

from community.models import Application, User
from community.services import applications as service


class Verdict(TextChoices):
    """What an organizer can do to an application from the queue (value, past participle)."""

    START_REVIEW = "start_review", "taken into review"
    APPROVE = "approve", "approved"
    WAITLIST = "waitlist", "waitlisted"
    REJECT = "reject", "rejected"


@dataclass
class Outcome:
    done: list[Application] = field(default_factory=list)
    failed: list[tuple[Application, str]] = field(default_factory=list)


def _action(
    verdict: str, *, by: User, reason: str, message: str
) -> Callable[[Application], object]:
    if verdict == Verdict.START_REVIEW:
        return lambda application: service.start_review(application, reviewed_by=by)
    if verdict == Verdict.APPROVE:
        return lambda a: service.approve_application(a, reviewed_by=by, reason=reason)
    if verdict == Verdict.WAITLIST:
        return lambda a: service.waitlist_application(a, reviewed_by=by, reason=reason)
    if verdict == Verdict.REJECT:
        return lambda a: service.reject_application(
            a, reviewed_by=by, reason=reason, message=message
        )
    raise ValueError(f"Unknown verdict {verdict!r}")


def decide_applications(
    applications: Iterable[Application],
    *,
    verdict: str,
    reviewed_by: User,
    reason: str = "",
    message: str = "",
) -> Outcome:
    """Apply one verdict to each application in its own transaction.

    One application that cannot take the verdict (already approved, say) is reported in
    `Outcome.failed` and does not stop or undo the others.
    """
    if verdict != Verdict.START_REVIEW and not reason.strip():
        raise ValidationError("Please give a reason for this decision.")
    act = _action(verdict, by=reviewed_by, reason=reason, message=message)
    outcome = Outcome()
    for application in applications:
        try:
            act(application)
        except ValidationError as error:
            outcome.failed.append((application, " ".join(error.messages)))
        else:
            outcome.done.append(application)
    return outcome
