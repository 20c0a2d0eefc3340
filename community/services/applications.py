"""The membership application workflow: apply, review, decide."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from community.models import Application, Decision, Member, User
from community.services import slack_state
from community.services.emails import queue_email

Status = Application.Status


def open_application(user: User) -> Application | None:
    return user.applications.filter(status__in=Application.OPEN).first()


def latest_application(user: User) -> Application | None:
    return user.applications.order_by("-created_at", "-pk").first()


def previous_answers(user: User) -> dict:
    """The answers of the applicant's last closed application, to start a new one from.

    The code of conduct is accepted afresh on each application, so it is not carried over.
    """
    last = latest_application(user)
    if last is None or last.status not in (Status.WITHDRAWN, Status.REJECTED):
        return {}
    return {field: getattr(last, field) for field in Application.ANSWERS}


def reapply_available_at(user: User):
    """When a rejected applicant may apply again, or None if they may apply now."""
    last = latest_application(user)
    if last is None or last.status != Status.REJECTED or last.decided_at is None:
        return None
    available = last.decided_at + timedelta(days=settings.REAPPLY_COOLDOWN_DAYS)
    return available if available > timezone.now() else None


def _record(application: Application, to_status: str, *, by: User | None, reason: str = ""):
    Decision.objects.create(
        application=application,
        from_status=application.status,
        to_status=to_status,
        reason=reason,
        decided_by=by,
        decided_by_name=str(by) if by else "",
    )
    application.status = to_status


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _notify(application: Application, template: str, **context) -> None:
    queue_email(
        to=application.email,
        template=template,
        context={"application": application, **context},
        key=f"application:{application.pk}:{application.decisions.count()}:{template}",
        user=application.user,
    )


@transaction.atomic
def save_application(user: User, *, data: dict, submit: bool) -> Application:
    """Create or update the applicant's open application; submit it when asked."""
    if user.is_member:
        raise ValidationError("You are already a member.")
    application = open_application(user)
    if application is None:
        if available := reapply_available_at(user):
            raise ValidationError(
                f"You can apply again from {available:%d %B %Y}.", code="cooldown"
            )
        application = Application(user=user, email=user.email)
    else:
        application = _lock(application)
        if not application.is_editable:
            raise ValidationError("This application can no longer be changed.", code="locked")
    for field, value in data.items():
        if field in Application.ANSWERS:
            setattr(application, field, value)
    if "timezone" in data:  # the applicant's own, kept on their account
        user.timezone = data["timezone"]
        user.save(update_fields=["timezone"])
    if data.get("accepts_code_of_conduct") and not application.code_of_conduct_accepted_at:
        application.code_of_conduct_accepted_at = timezone.now()
    application.email = user.email
    application.refresh_keys()
    just_submitted = submit and application.status == Status.DRAFT
    if just_submitted:
        if not application.code_of_conduct_accepted_at:
            raise ValidationError("Please accept the code of conduct to submit.")
        application.submitted_at = timezone.now()
        if application.pk is None:
            application.save()
        _record(application, Status.SUBMITTED, by=user)
    application.save()
    if just_submitted:
        _notify(application, "application_received")
    return application


@transaction.atomic
def withdraw_application(application: Application, *, by: User) -> Application:
    """Withdraw a submitted application; a draft, which nobody has seen, is discarded instead."""
    application = _lock(application)
    if not application.is_withdrawable:
        raise ValidationError("This application can no longer be withdrawn.")
    if application.status == Status.DRAFT:
        application.delete()
        return application
    _record(application, Status.WITHDRAWN, by=by)
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at", "updated_at"])
    _notify(application, "application_withdrawn")
    return application


def _refuse_own(application: Application, reviewed_by: User) -> None:
    if application.user_id is not None and application.user_id == reviewed_by.pk:
        raise ValidationError(
            f"Application {application.pk} is your own: another organizer must decide on it.",
            code="own_application",
        )


@transaction.atomic
def start_review(application: Application, *, reviewed_by: User) -> Application:
    application = _lock(application)
    _refuse_own(application, reviewed_by)
    if application.status != Status.SUBMITTED:
        raise ValidationError("Only submitted applications can be taken into review.")
    _record(application, Status.IN_REVIEW, by=reviewed_by)
    application.save(update_fields=["status", "updated_at"])
    return application


def _decide(application: Application, to_status: str, *, reviewed_by: User, reason: str):
    if not reason.strip():
        raise ValidationError("Please give a reason for this decision.")
    application = _lock(application)
    _refuse_own(application, reviewed_by)
    if application.status not in Application.DECIDABLE or application.status == to_status:
        raise ValidationError(
            f"Application {application.pk} is {application.get_status_display().lower()} "
            f"and cannot be {Status(to_status).label.lower()}."
        )
    _record(application, to_status, by=reviewed_by, reason=reason.strip())
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at", "updated_at"])
    return application


@transaction.atomic
def approve_application(application: Application, *, reviewed_by: User, reason: str) -> Member:
    """Approve: the applicant becomes a member, is listed in the directory and welcomed."""
    application = _decide(application, Status.APPROVED, reviewed_by=reviewed_by, reason=reason)
    if application.user is None:
        raise ValidationError("The applicant's account no longer exists.")
    member, _ = Member.objects.update_or_create(
        user=application.user,
        defaults={
            "application": application,
            "status": Member.Status.ACTIVE,
            **{field: getattr(application, field) for field in Member.FROM_APPLICATION},
        },
    )
    user = application.user
    user.first_name, _, user.last_name = application.full_name.partition(" ")
    user.save(update_fields=["first_name", "last_name"])
    slack_state.record_new_member(member)
    _notify(
        application, "welcome", member=member, slack_invite_url=slack_state.welcome_invite_url()
    )
    return member


@transaction.atomic
def waitlist_application(application: Application, *, reviewed_by: User, reason: str):
    application = _decide(application, Status.WAITLISTED, reviewed_by=reviewed_by, reason=reason)
    _notify(application, "application_waitlisted")
    return application


REJECTION_MESSAGE = """Thank you for applying to Roundtable.

We have read your application carefully and decided not to offer you a place at this time.

{reason}

You are welcome to apply again once {cooldown_days} days have passed."""


def rejection_message(reason: str, template: str = REJECTION_MESSAGE) -> str:
    return template.format(reason=reason, cooldown_days=settings.REAPPLY_COOLDOWN_DAYS)


@transaction.atomic
def reject_application(
    application: Application, *, reviewed_by: User, reason: str, message: str = ""
) -> Application:
    """Reject; the applicant receives `message` (the templated rejection, editable by the organizer)."""
    application = _decide(application, Status.REJECTED, reviewed_by=reviewed_by, reason=reason)
    body = message.strip() or rejection_message(reason.strip())
    body = body.replace("{reason}", reason.strip())
    _notify(application, "application_rejected", message=body)
    return application
