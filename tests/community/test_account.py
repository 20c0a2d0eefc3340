"""A person's own account: editing the profile, changing email, exporting and deleting their data."""

import json
from datetime import UTC, datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community import privacy
from community.models import (
    Application,
    Decision,
    Email,
    Member,
    SelfIdentification,
    SlackAccount,
    SlackChannel,
    SlackChannelMembership,
    User,
)
from community.services.account import delete_account, forget_deletion_confirmations
from community.services.applications import approve_application, save_application
from community.services.emails import deliver_email, queue_email
from community.services.reviews import notify_overdue_applications, send_review_digest
from tests.conftest import PASSWORD, make_application, make_user

pytestmark = pytest.mark.django_db
PROFILE_URL = reverse("profile_edit")
EXPORT_URL = reverse("data_export")
DELETE_URL = reverse("account_delete")
REAUTH_URL = reverse("account_reauthenticate")
RESET_LINK = "/accounts/password/reset/key/"


def profile_data(**overrides) -> dict:
    data = {
        "full_name": "Maya Member-Jones",
        "pronouns": "she/her",
        "job_title": "CTO",
        "role_kind": "cto",
        "company": "Contoso",
        "company_size": "51-200",
        "city": "Lisbon",
        "timezone": "Europe/Lisbon",
        "linkedin_url": "https://www.linkedin.com/in/maya",
        "bio": "Scaling teams.",
        "listed_in_directory": "on",
        "show_company": "on",
        "show_city": "on",
        "show_linkedin": "on",
        "show_bio": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def reauthenticate(client) -> None:
    response = client.post(REAUTH_URL, {"password": PASSWORD})
    assert response.status_code == 302


# Editing the profile


def test_anonymous_visitors_are_sent_to_sign_in_from_every_account_page(client_for, db):
    for url in (PROFILE_URL, EXPORT_URL, DELETE_URL):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["outsider", "applicant"])
def test_non_members_are_sent_to_their_application_from_the_profile(client_for, persona, request):
    response = client_for(request.getfixturevalue(persona)).get(PROFILE_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("application_status")


def test_the_profile_page_links_to_email_two_factor_self_identification_export_and_delete(
    client_for, member
):
    html = client_for(member).get(PROFILE_URL).content.decode()
    for name in (
        "account_email",
        "mfa_index",
        "self_identification",
        "data_export",
        "account_delete",
    ):
        assert f'href="{reverse(name)}"' in html
    assert '<label for="id_full_name">' in html


def test_a_member_saves_their_profile_and_their_account_follows(client_for, member):
    response = client_for(member).post(PROFILE_URL, profile_data())
    assert response.status_code == 302
    profile = Member.objects.get(user=member)
    assert (profile.full_name, profile.company, profile.city) == (
        "Maya Member-Jones",
        "Contoso",
        "Lisbon",
    )
    assert profile.role_kind == "cto"
    member.refresh_from_db()
    assert (member.first_name, member.last_name) == ("Maya", "Member-Jones")
    assert member.timezone == "Europe/Lisbon"


def test_the_chosen_timezone_is_used_to_show_dates(client_for, member):
    joined = datetime(2024, 1, 31, 23, 30, tzinfo=UTC)  # already February in Tokyo
    Member.objects.filter(user=member).update(joined_at=joined)
    client = client_for(member)
    profile_url = member.member.get_absolute_url()
    assert "January 2024" in client.get(profile_url).content.decode()
    client.post(PROFILE_URL, profile_data(timezone="Asia/Tokyo"))
    assert "February 2024" in client.get(profile_url).content.decode()


def test_hiding_from_the_directory_takes_a_member_out_of_it(client_for, member, coach):
    client_for(member).post(PROFILE_URL, profile_data(listed_in_directory=None))
    assert Member.objects.get(user=member).listed_in_directory is False
    response = client_for(coach).get(reverse("member_list"))
    assert "Maya Member" not in response.content.decode()
    assert client_for(coach).get(member.member.get_absolute_url()).status_code == 404


def test_unchecked_visibility_switches_are_saved_as_hidden(client_for, member):
    data = profile_data(show_company=None, show_city=None, show_linkedin=None, show_bio=None)
    client_for(member).post(PROFILE_URL, data)
    profile = Member.objects.get(user=member)
    assert not any(
        (profile.show_company, profile.show_city, profile.show_linkedin, profile.show_bio)
    )


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"full_name": "   "}, "full_name"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"linkedin_url": "https://evil.example.com/in/maya"}, "linkedin_url"),
        ({"role_kind": "wizard"}, "role_kind"),
        ({"bio": "x" * 2001}, "bio"),
    ],
)
def test_bad_profile_input_changes_nothing_and_shows_the_error_inline(
    client_for, member, bad, field
):
    before = Member.objects.filter(user=member).values().get()
    response = client_for(member).post(PROFILE_URL, profile_data(**bad))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'class="errorlist' in response.content.decode()
    assert Member.objects.filter(user=member).values().get() == before
    member.refresh_from_db()
    assert member.timezone == ""


# Changing the email address


def test_changing_the_email_address_asks_for_the_password_first(client_for, member):
    client = client_for(member)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "maya.new@example.com"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH_URL)
    assert not EmailAddress.objects.filter(email="maya.new@example.com").exists()

    wrong = client.post(response["Location"], {"password": "not-my-password"})
    assert wrong.status_code == 200
    assert not EmailAddress.objects.filter(email="maya.new@example.com").exists()

    client.post(response["Location"], {"password": PASSWORD})
    added = EmailAddress.objects.get(email="maya.new@example.com")
    assert added.user == member
    assert not added.verified  # it replaces the old address once confirmed
    assert Email.objects.filter(to="maya.new@example.com").exists()


# Exporting my data


def full_history(user: User, organizer: User) -> Application:
    save_application(user, data={"full_name": "Alex Applicant"}, submit=False)
    application = user.applications.get()
    Application.objects.filter(pk=application.pk).update(
        company="Northwind", leadership="I lead 40 engineers.", team_size=40
    )
    application = save_application(
        user,
        data={"accepts_code_of_conduct": True, "timezone": "Europe/London"},
        submit=True,
    )
    Application.objects.filter(pk=application.pk).update(organizer_note="Secret organizer note")
    approve_application(application, reviewed_by=organizer, reason="Leads a large group.")
    return application


def export(client) -> dict:
    response = client.post(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="roundtable-data-')
    return json.loads(response.content)


def test_the_export_page_explains_and_downloads_only_on_request(client_for, member):
    response = client_for(member).get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Download my data" in response.content.decode()


def test_the_export_holds_everything_we_keep_about_a_member(client_for, applicant, organizer):
    Application.objects.filter(user=applicant).delete()
    application = full_history(applicant, organizer)
    SelfIdentification.objects.create(
        user=applicant, gender="woman", underrepresented="yes", consented_at=timezone.now()
    )
    data = export(client_for(applicant))

    assert data["account"]["email"] == "applicant@example.com"
    assert data["account"]["first_name"] == "Alex"
    assert data["email_addresses"] == [
        {"email": "applicant@example.com", "verified": True, "primary": True}
    ]
    [exported] = data["applications"]
    assert exported["id"] == application.pk
    assert exported["status"] == "approved"
    assert exported["company"] == "Northwind"
    assert exported["leadership"] == "I lead 40 engineers."
    assert exported["team_size"] == 40
    assert exported["submitted_at"] and exported["decided_at"]
    assert [(step["from_status"], step["to_status"]) for step in exported["status_history"]] == [
        ("draft", "submitted"),
        ("submitted", "approved"),
    ]
    assert exported["status_history"][1]["reason"] == "Leads a large group."
    assert data["member_profile"]["full_name"] == "Alex Applicant"
    assert data["member_profile"]["listed_in_directory"] is True
    assert data["self_identification"]["gender"] == "woman"
    subjects = {email["subject"] for email in data["emails_sent_to_you"]}
    assert "Welcome to Roundtable" in subjects


def test_the_export_leaves_out_organizers_identities_and_notes(client_for, applicant, organizer):
    Application.objects.filter(user=applicant).delete()
    full_history(applicant, organizer)
    text = json.dumps(export(client_for(applicant)))
    assert "Secret organizer note" not in text
    assert "Olivia" not in text
    assert "organizer@example.com" not in text


def test_an_outsider_can_export_their_account_too(client_for, outsider):
    data = export(client_for(outsider))
    assert data["account"]["email"] == "outsider@example.com"
    assert data["applications"] == []
    assert data["member_profile"] is None
    assert data["self_identification"] is None


# Deleting my account


def test_the_delete_page_explains_what_will_happen(client_for, member):
    response = client_for(member).get(DELETE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be undone" in html
    assert '<label for="id_confirmation">' in html


def test_deleting_asks_for_the_password_before_anything_is_erased(client_for, member):
    client = client_for(member)
    response = client.post(DELETE_URL, {"confirmation": "delete my account"})
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH_URL)
    assert User.objects.filter(pk=member.pk).exists()

    wrong = client.post(response["Location"], {"password": "wrong-password"})
    assert wrong.status_code == 200
    assert User.objects.filter(pk=member.pk).exists()


def test_a_wrong_confirmation_changes_nothing(client_for, member):
    client = client_for(member)
    reauthenticate(client)
    response = client.post(DELETE_URL, {"confirmation": "delete"})
    assert response.status_code == 200
    assert response.context["form"].errors["confirmation"]
    assert 'class="errorlist' in response.content.decode()
    assert Member.objects.filter(user=member).exists()


def test_deleting_my_account_erases_me_and_says_goodbye(
    client_for, member, mailoutbox, django_capture_on_commit_callbacks
):
    member_pk = member.member.pk
    client = client_for(member)
    response = client.post(DELETE_URL, {"confirmation": "Delete my account"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response["Location"], {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    html = response.content.decode()
    assert "Your account has been deleted" in html
    assert not response.context["user"].is_authenticated
    assert not User.objects.filter(email="member@example.com").exists()
    assert not Member.objects.filter(pk=member_pk).exists()
    assert not EmailAddress.objects.filter(email="member@example.com").exists()
    [sent] = mailoutbox
    assert sent.to == ["member@example.com"]
    assert "deleted" in sent.subject
    assert client.get(PROFILE_URL).status_code == 302  # signed out


def seed_personal_data(user: User) -> None:
    SelfIdentification.objects.create(
        user=user, gender="woman", underrepresented="yes", consented_at=timezone.now()
    )
    EmailAddress.objects.create(user=user, email="old.address@example.com", verified=True)
    queue_email(to="old.address@example.com", template="welcome", context={}, key="old", user=user)
    queue_email(to=user.email.upper(), template="welcome", context={}, key="upper", user=user)


def test_delete_account_keeps_applications_only_as_anonymous_records(member, organizer):
    application = member.applications.get()
    Decision.objects.create(
        application=application,
        from_status="draft",
        to_status="submitted",
        decided_by=member,
        decided_by_name="Maya Member",
    )
    Decision.objects.create(
        application=application,
        from_status="submitted",
        to_status="approved",
        reason="Leads 40 people.",
        decided_by=organizer,
        decided_by_name="Olivia Organizer",
    )
    Application.objects.filter(pk=application.pk).update(organizer_note="Met at a meetup.")
    delete_account(member)

    application.refresh_from_db()
    assert application.user is None
    assert application.status == "approved"
    assert application.submitted_at and application.decided_at
    for field in (
        "full_name",
        "email",
        "company",
        "city",
        "leadership",
        "interests",
        "linkedin_url",
    ):
        assert getattr(application, field) == "", field
    assert (application.organizer_note, application.email_key, application.name_company_key) == (
        "",
        "",
        "",
    )
    history = list(application.decisions.values_list("to_status", "reason", "decided_by_name"))
    assert history == [
        ("submitted", "", ""),
        ("approved", "Leads 40 people.", "Olivia Organizer"),
    ]


def test_delete_account_erases_every_trace_of_the_person(member, coach):
    seed_personal_data(member)
    other_client = Client()
    other_client.force_login(member)  # signed in on another device too
    coach_client = Client()
    coach_client.force_login(coach)
    delete_account(member)

    assert not User.objects.filter(pk=member.pk).exists()
    assert not SelfIdentification.objects.exists()
    assert not EmailAddress.objects.filter(
        email__in=["member@example.com", "old.address@example.com"]
    ).exists()
    assert list(Email.objects.values_list("subject", flat=True)) == [
        "Your Roundtable account has been deleted"
    ]
    assert Session.objects.count() == 1  # the coach's session only
    assert other_client.get(PROFILE_URL).status_code == 302
    assert coach_client.get(PROFILE_URL).status_code == 200


def test_the_deletion_confirmation_carries_no_name_and_is_forgotten_once_sent(member, mailoutbox):
    delete_account(member)
    confirmation = Email.objects.get()
    assert "Maya" not in confirmation.body_text
    assert "member" not in confirmation.key
    assert forget_deletion_confirmations() == 0  # not sent yet: kept so it is delivered
    deliver_email(confirmation.pk)
    assert mailoutbox[0].to == ["member@example.com"]
    assert forget_deletion_confirmations() == 1
    assert not Email.objects.exists()


def test_an_applicant_without_membership_can_delete_their_account(client_for, applicant):
    client = client_for(applicant)
    reauthenticate(client)
    response = client.post(DELETE_URL, {"confirmation": "delete my account"})
    assert response.status_code == 302
    assert not User.objects.filter(email="applicant@example.com").exists()
    assert Application.objects.get().user is None


def test_an_organizers_decisions_keep_their_name_after_they_leave(organizer):
    user = make_user("someone@example.com", name="Sam Someone")
    application = make_application(user)
    member = approve_application(application, reviewed_by=organizer, reason="Strong fit.")
    delete_account(organizer)
    decision = Decision.objects.get(application=member.application)
    assert decision.decided_by is None
    assert decision.decided_by_name == "Olivia Organizer"


def test_the_directory_city_filter_follows_a_profile_change_at_once(client_for, member):
    client = client_for(member)
    client.post(PROFILE_URL, profile_data(city="Lisbon"))
    assert '<option value="Lisbon"' in client.get(reverse("member_list")).content.decode()

    client.post(PROFILE_URL, profile_data(city="Lisbon", show_city=None))

    assert '<option value="Lisbon"' not in client.get(reverse("member_list")).content.decode()


def test_deleting_an_account_withdraws_a_waiting_application_so_nobody_reviews_a_blank(
    client_for, applicant
):
    application = applicant.applications.get()
    delete_account(applicant)

    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert not Application.objects.waiting().exists()
    last = application.decisions.last()
    assert (last.from_status, last.to_status) == ("submitted", "withdrawn")
    assert last.reason == "The applicant deleted their account."


def test_deleting_an_account_discards_a_draft(db):
    user = make_user("drafter@example.com")
    make_application(user, status=Application.Status.DRAFT, submitted_at=None)

    delete_account(user)

    assert not Application.objects.exists()


def test_anonymous_records_are_not_duplicates_of_each_other(db):
    for index in range(2):
        user = make_user(f"gone{index}@example.com", name=f"Gone {index}")
        make_application(user, status=Application.Status.REJECTED, decided_at=timezone.now())
        delete_account(user)

    assert not Application.objects.has_duplicates().exists()


# What other apps hold: the privacy registry


@pytest.fixture
def another_apps_part():
    """A part registered as circles, mentoring or content will register theirs."""
    seen = {"erased": []}

    def export_circles(user):
        return {"circle": "Lisbon leaders", "user_email": user.email}

    def erase_circles(user):
        # It runs while the person and their community records still exist.
        seen["erased"].append((user.pk, Member.objects.filter(user=user).exists()))

    privacy.register("circles_for_test", export=export_circles, erase=erase_circles)
    yield seen
    privacy.unregister("circles_for_test")


def test_the_export_includes_what_another_app_registered(client_for, member, another_apps_part):
    data = export(client_for(member))
    assert data["circles_for_test"] == {
        "circle": "Lisbon leaders",
        "user_email": "member@example.com",
    }
    assert data["account"]["email"] == "member@example.com"  # community's own parts too


def test_deleting_an_account_runs_another_apps_eraser_before_community_erases(
    member, another_apps_part
):
    member_pk = member.pk
    delete_account(member)
    assert another_apps_part["erased"] == [(member_pk, True)]
    assert not User.objects.filter(pk=member_pk).exists()


def test_registering_another_part_under_a_taken_name_is_refused():
    with pytest.raises(ImproperlyConfigured):
        privacy.register("applications", export=lambda user: {})


def test_the_export_includes_the_slack_link_and_the_persons_roles(client_for, coach):
    account = SlackAccount.objects.create(
        user=coach,
        state=SlackAccount.State.LINKED,
        slack_user_id="U0COACH",
        linked_at=timezone.now(),
    )
    channel = SlackChannel.objects.create(name="coaches")
    SlackChannelMembership.objects.create(channel=channel, account=account)

    data = export(client_for(coach))

    assert data["slack"]["state"] == "linked"
    assert data["slack"]["slack_user_id"] == "U0COACH"
    assert data["slack"]["linked_at"]
    assert data["slack"]["channels"] == ["coaches"]
    assert data["roles"] == [User.COACHES]


def test_someone_without_slack_or_roles_exports_none_of_either(client_for, outsider):
    data = export(client_for(outsider))
    assert (data["slack"], data["roles"]) == (None, [])


# Emails belong to the person they were sent for, not to an address


def test_an_old_address_taken_by_someone_else_brings_their_emails_into_neither_export_nor_deletion(
    client, client_for, db
):
    alex = make_user("alex.old@example.com", name="Alex Applicant")
    make_application(alex)  # the application keeps the address it was made with
    queue_email(
        to="alex.old@example.com", template="welcome", context={}, key="alex-welcome", user=alex
    )
    User.objects.filter(pk=alex.pk).update(email="alex.new@example.com")
    EmailAddress.objects.filter(user=alex).update(email="alex.new@example.com")
    bea = make_user("alex.old@example.com", name="Bea Newcomer")
    client.post("/accounts/password/reset/", {"email": "alex.old@example.com"})
    beas_reset = Email.objects.get(key__contains="password_reset_key")
    assert beas_reset.user == bea

    alex.refresh_from_db()
    subjects = [email["subject"] for email in export(client_for(alex))["emails_sent_to_you"]]
    assert subjects == ["Welcome to Roundtable"]
    delete_account(alex)

    beas_reset.refresh_from_db()
    assert beas_reset.status == Email.Status.QUEUED
    assert RESET_LINK in beas_reset.body_text
    assert not Email.objects.filter(key="alex-welcome").exists()


# What organizers were told about the person


def test_deleting_an_account_erases_the_person_from_organizers_digests_and_reminders(
    applicant, organizer, mailoutbox, settings
):
    other = make_user("sam@example.com", name="Sam Other")
    make_application(other, full_name="Sam Other", company="Contoso")
    sent_digest = send_digest_now()
    Email.objects.filter(key__startswith="overdue:").delete()
    settings.REVIEW_DEADLINE_DAYS = 0
    notify_overdue_applications()
    queued_reminders = list(Email.objects.filter(key__startswith="overdue:", status="queued"))
    assert {email.subject for email in queued_reminders} == {
        "Application from Alex Applicant is past the review deadline",
        "Application from Sam Other is past the review deadline",
    }

    delete_account(applicant)

    sent_digest.refresh_from_db()
    assert sent_digest.status == Email.Status.SENT and sent_digest.user == organizer
    stored = " ".join(
        f"{email.subject} {email.body_text} {email.body_html}" for email in Email.objects.all()
    )
    assert "Alex Applicant" not in stored
    assert "Northwind" not in stored
    assert "Sam Other" in stored  # the other applicant's reminder is still sent
    [reminder] = Email.objects.filter(key__startswith="overdue:")
    assert reminder.status == Email.Status.QUEUED and "Sam Other" in reminder.subject


def send_digest_now() -> Email:
    send_review_digest()
    digest = Email.objects.get(key__startswith="digest:")
    assert "Alex Applicant, VP Engineering at Northwind" in digest.body_text
    deliver_email(digest.pk)
    return digest


def test_the_export_lists_a_revoked_and_restored_membership_with_its_reasons_but_not_who(
    client_for, member, organizer
):
    from community.services.members import restore_membership, revoke_membership

    revoke_membership(member.member, by=organizer, reason="Shared a circle's notes publicly")
    restore_membership(member.member, by=organizer, reason="Apologised to the circle")

    history = export(client_for(member))["member_profile"]["status_history"]

    assert [(change["to_status"], change["reason"]) for change in history] == [
        ("revoked", "Shared a circle's notes publicly"),
        ("active", "Apologised to the circle"),
    ]
    assert "Olivia" not in json.dumps(history)


def test_what_an_applicant_wants_to_talk_through_follows_them_onto_their_profile(organizer):
    user = make_user("someone@example.com", name="Sam Someone")
    application = make_application(user, interests="Hiring, and burnout in my team")
    member = approve_application(application, reviewed_by=organizer, reason="Strong fit.")
    assert member.interests == "Hiring, and burnout in my team"
    assert privacy.export_user(user)["member_profile"]["interests"] == member.interests


def test_a_member_changes_what_they_want_to_talk_through_on_their_profile(client_for, member):
    client = client_for(member)
    page = client.get(PROFILE_URL).content.decode()
    assert "Topics you would like to talk through" in page and "other members do not see it" in page
    client.post(PROFILE_URL, profile_data(interests="Career ladders"))
    member.member.refresh_from_db()
    assert member.member.interests == "Career ladders"
    assert "Career ladders" not in client.get(f"/members/{member.member.pk}/").content.decode()
