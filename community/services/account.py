"""A member's own account: their profile, a copy of their data, and erasing it.

Community's own parts of the export and the deletion are registered with `community.privacy`
(see `register_privacy_parts`), as every other app registers its own.
"""

import uuid
from datetime import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from community import privacy
from community.models import (
    Application,
    Decision,
    Email,
    Member,
    SelfIdentification,
    SlackAccount,
    User,
)
from community.services import emails, slack_state
from community.services.emails import queue_email

# What the applicant told us, as opposed to what we derived or what organizers wrote.
APPLICATION_FIELDS = (*Application.ANSWERS, "email", "code_of_conduct_accepted_at")
APPLICATION_DATES = ("created_at", "updated_at", "submitted_at", "decided_at")
# Blanked when the account is deleted: the application stays as an anonymous record of the decision,
# keeping only its status, dates and coarse categories (role kind, company size, interests).
APPLICATION_PERSONAL_FIELDS = {
    "full_name": "",
    "email": "",
    "job_title": "",
    "company": "",
    "team_size": None,
    "linkedin_url": "",
    "city": "",
    "leadership": "",
    "interests": "",
    "referred_by": "",
    "pronouns": "",
    "organizer_note": "",
    "email_key": "",
    "linkedin_key": "",
    "name_company_key": "",
}
DELETION_CONFIRMATION_KEY = "account-deleted:"


@transaction.atomic
def update_profile(member: Member, *, data: dict) -> Member:
    """Save the member's profile and visibility choices, and their name and timezone on the account."""
    member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
    for field in Member.EDITABLE:
        if field in data:
            setattr(member, field, data[field])
    member.save()
    user = member.user
    user.first_name, _, user.last_name = member.full_name.partition(" ")
    user.timezone = data.get("timezone", user.timezone)
    user.save(update_fields=["first_name", "last_name", "timezone"])
    return member


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _export_account(user: User) -> dict:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "timezone": user.timezone,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }


def _export_email_addresses(user: User) -> list[dict]:
    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("email")
    ]


def _export_two_factor_methods(user: User) -> list[dict]:
    return [
        {"type": kind, "created_at": _iso(created_at)}
        for kind, created_at in user.authenticator_set.values_list("type", "created_at")
    ]


def _export_roles(user: User) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


def _export_application(application: Application) -> dict:
    data = {"id": application.pk, "status": application.status}
    for field in APPLICATION_FIELDS + APPLICATION_DATES:
        value = getattr(application, field)
        data[field] = _iso(value) if isinstance(value, datetime) else value
    # Who decided and the organizers' note are the organizers' working notes, not the applicant's data.
    data["status_history"] = [
        {
            "from_status": decision.from_status,
            "to_status": decision.to_status,
            "at": _iso(decision.created_at),
            "reason": decision.reason,
        }
        for decision in application.decisions.all()
    ]
    return data


def _export_applications(user: User) -> list[dict]:
    applications = user.applications.order_by("created_at", "pk").prefetch_related("decisions")
    return [_export_application(application) for application in applications]


def _export_member(user: User) -> dict | None:
    member = Member.objects.filter(user=user).first()
    if member is None:
        return None
    data = {field: getattr(member, field) for field in Member.EDITABLE}
    data.update(
        status=member.status, joined_at=_iso(member.joined_at), updated_at=_iso(member.updated_at)
    )
    # As with decisions on applications, who made a change is the organizers' record, not theirs.
    data["status_history"] = [
        {
            "from_status": change.from_status,
            "to_status": change.to_status,
            "at": _iso(change.created_at),
            "reason": change.reason,
        }
        for change in member.changes.all()
    ]
    return data


def _export_self_identification(user: User) -> dict | None:
    record = SelfIdentification.objects.filter(user=user).first()
    if record is None:
        return None
    return {
        "gender": record.gender,
        "underrepresented": record.underrepresented,
        "consented_at": _iso(record.consented_at),
        "updated_at": _iso(record.updated_at),
    }


def _export_slack(user: User) -> dict | None:
    account = SlackAccount.objects.filter(user=user).first()
    if account is None:
        return None
    channels = account.channel_memberships.order_by("channel__name")
    return {
        "state": account.state,
        "slack_user_id": account.slack_user_id,
        "invited_at": _iso(account.invited_at),
        "linked_at": _iso(account.linked_at),
        "offboarded_at": _iso(account.offboarded_at),
        "last_synced_at": _iso(account.last_synced_at),
        "created_at": _iso(account.created_at),
        "channels": list(channels.values_list("channel__name", flat=True)),
    }


def export_user_data(user: User) -> dict:
    """Everything we hold about this person, from every app, as JSON-ready data."""
    return {"exported_at": _iso(timezone.now()), **privacy.export_user(user)}


def _end_sessions(user: User) -> int:
    """Delete every stored session signed in as this user (sessions are not linked by a key)."""
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def _close_open_applications(user: User) -> None:
    """Nobody is left to review: drafts go, waiting or waitlisted applications are withdrawn."""
    open_statuses = Application.WITHDRAWABLE
    for application in user.applications.select_for_update().filter(status__in=open_statuses):
        if application.status == Application.Status.DRAFT:
            application.delete()
            continue
        Decision.objects.create(
            application=application,
            from_status=application.status,
            to_status=Application.Status.WITHDRAWN,
            reason="The applicant deleted their account.",
        )
        application.status = Application.Status.WITHDRAWN
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decided_at", "updated_at"])


def _anonymise_applications(user: User) -> None:
    _close_open_applications(user)
    ids = list(
        Application.objects.select_for_update().filter(user=user).values_list("pk", flat=True)
    )
    # The applicant's own steps (submitting, withdrawing) name them; organizers' decisions keep
    # the organizer's name, as the decision record requires.
    Decision.objects.filter(application__in=ids, decided_by=user).update(
        decided_by=None, decided_by_name=""
    )
    Application.objects.filter(pk__in=ids).update(
        user=None, updated_at=timezone.now(), **APPLICATION_PERSONAL_FIELDS
    )


def _erase_email_addresses(user: User) -> None:
    EmailAddress.objects.filter(user=user).delete()


def _erase_member(user: User) -> None:
    Member.objects.filter(user=user).delete()


def _erase_self_identification(user: User) -> None:
    SelfIdentification.objects.filter(user=user).delete()


def _erase_slack(user: User) -> None:
    slack_state.record_offboarding(user)  # the Slack ID outlives the user, to remove them


def register_privacy_parts() -> None:
    """Community's parts of the export, in this order; they are erased in the reverse order."""
    privacy.register("account", export=_export_account, erase=_end_sessions)
    privacy.register("roles", export=_export_roles)  # group memberships go with the user row
    privacy.register(
        "email_addresses", export=_export_email_addresses, erase=_erase_email_addresses
    )
    privacy.register("two_factor_methods", export=_export_two_factor_methods)
    privacy.register("applications", export=_export_applications, erase=_anonymise_applications)
    privacy.register("member_profile", export=_export_member, erase=_erase_member)
    privacy.register(
        "self_identification", export=_export_self_identification, erase=_erase_self_identification
    )
    privacy.register("slack", export=_export_slack, erase=_erase_slack)
    privacy.register("emails_sent_to_you", export=emails.export_emails, erase=emails.erase_emails)


@transaction.atomic
def delete_account(user: User) -> None:
    """Erase this person's personal data in every app; their applications remain as anonymous
    records.

    The confirmation email is the one row we keep that holds their address, because the outbox
    must hold a message until it is delivered. It belongs to no user, its key and body carry no
    name, and `forget_deletion_confirmations` erases it once it has been sent.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    queue_email(
        to=user.email,
        template="account_deleted",
        context={"had_applications": user.applications.exists()},
        key=f"{DELETION_CONFIRMATION_KEY}{uuid.uuid4()}",
        user=None,
    )
    privacy.erase_user(user)
    user.delete()


def forget_deletion_confirmations() -> int:
    """Erase account-deletion confirmations that have been sent or have given up (run periodically)."""
    done = (Email.Status.SENT, Email.Status.FAILED)
    deleted, _ = Email.objects.filter(
        key__startswith=DELETION_CONFIRMATION_KEY, status__in=done
    ).delete()
    return deleted
