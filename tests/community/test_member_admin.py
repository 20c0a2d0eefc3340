"""Organizers revoke and restore memberships from the admin, with a reason; Slack follows."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from community.models import Email, Member, MembershipChange, SlackAccount, User
from community.services import slack_state
from community.services.members import restore_membership, revoke_membership
from tests.conftest import give_totp, make_user

CHANGELIST = reverse("admin:community_member_changelist")


def act(client, action: str, member: Member, **extra):
    data = {"action": action, "_selected_action": [member.pk], **extra}
    return client.post(CHANGELIST, data, follow=True)


def confirm(client, action: str, member: Member, reason: str):
    return act(client, action, member, confirm="yes", reason=reason)


def change_page(client, member: Member):
    return client.get(reverse("admin:community_member_change", args=[member.pk]))


def staff_with(*codenames: str):
    """A staff user holding only these permissions (and two-factor, as the admin requires)."""
    user = make_user("clerk@example.com", name="Carl Clerk", staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    give_totp(user)
    return user


def test_revoking_asks_for_a_reason_before_changing_anything(client_for, organizer, member):
    response = act(client_for(organizer), "revoke", member.member)

    assert "Revoke membership: 1 member" in response.text
    assert 'name="reason"' in response.text
    assert Member.objects.get(user=member).status == Member.Status.ACTIVE


def test_revoking_without_a_reason_changes_nothing(client_for, organizer, member):
    response = confirm(client_for(organizer), "revoke", member.member, reason="   ")

    assert "Please give a reason for this change." in response.text
    assert Member.objects.get(user=member).status == Member.Status.ACTIVE
    assert not MembershipChange.objects.exists()


def test_revoking_a_membership_closes_the_directory_and_queues_slack_offboarding(
    client_for, organizer, member
):
    account = slack_state.record_new_member(member.member)
    version = SlackAccount.objects.get(pk=account.pk).version

    response = confirm(client_for(organizer), "revoke", member.member, reason="Left the company")

    assert "1 membership revoked." in response.text
    assert Member.objects.get(user=member).status == Member.Status.REVOKED
    assert SlackAccount.objects.get(pk=account.pk).version == version + 1
    assert client_for(member).get(reverse("member_list")).status_code == 403


def test_restoring_a_membership_opens_the_directory_again(client_for, organizer, member):
    Member.objects.filter(user=member).update(status=Member.Status.REVOKED)

    response = confirm(
        client_for(organizer), "restore", Member.objects.get(user=member), reason="Came back"
    )

    assert "1 membership restored." in response.text
    assert client_for(member).get(reverse("member_list")).status_code == 200
    assert SlackAccount.objects.filter(user=member).exists()


def test_revoking_twice_says_so_and_changes_nothing_more(client_for, organizer, member):
    Member.objects.filter(user=member).update(status=Member.Status.REVOKED)

    response = confirm(
        client_for(organizer), "revoke", Member.objects.get(user=member), reason="Again"
    )

    assert "is already revoked" in response.text
    assert not MembershipChange.objects.exists()


def test_the_member_page_shows_who_revoked_and_restored_when_and_why(client_for, organizer, member):
    client = client_for(organizer)
    confirm(client, "revoke", member.member, reason="Shared members' posts outside")
    confirm(client, "restore", member.member, reason="Apologised; the board agreed")

    page = change_page(client, member.member).text

    assert page.count("Olivia Organizer") == 2
    assert "Shared members&#x27; posts outside" in page
    assert "Apologised; the board agreed" in page
    assert page.index("Shared members") < page.index("Apologised")
    assert "Membership revoked" in page and "Active" in page
    changes = list(member.member.changes.values_list("from_status", "to_status", "changed_by"))
    assert changes == [("active", "revoked", organizer.pk), ("revoked", "active", organizer.pk)]


def test_the_history_cannot_be_added_changed_or_deleted_in_the_admin(client_for, organizer, member):
    revoke_membership(member.member, by=organizer, reason="Left the company")

    page = change_page(client_for(organizer), member.member).text

    assert 'name="changes-0-reason"' not in page
    assert "changes-0-DELETE" not in page
    assert "Add another membership change" not in page


@pytest.mark.parametrize("change", [revoke_membership, restore_membership])
def test_a_membership_change_needs_a_reason(organizer, member, change):
    if change is restore_membership:
        Member.objects.filter(user=member).update(status=Member.Status.REVOKED)
    with pytest.raises(ValidationError, match="Please give a reason"):
        change(Member.objects.get(user=member), by=organizer, reason="")
    assert not MembershipChange.objects.exists()


def test_the_status_cannot_be_edited_around_the_service(client_for, organizer, member):
    page = change_page(client_for(organizer), member.member)
    assert page.status_code == 200
    assert 'name="status"' not in page.text


# Permissions: each action needs the permission it uses, not only the right to look.


@pytest.mark.parametrize("action", ["revoke", "restore"])
def test_a_staff_user_who_may_only_view_members_is_not_offered_membership_actions(
    client_for, member, action
):
    page = client_for(staff_with("view_member")).get(CHANGELIST)

    assert page.status_code == 200
    assert "Maya Member" in page.text
    assert f'value="{action}"' not in page.text


@pytest.mark.parametrize("action", ["revoke", "restore"])
def test_a_crafted_action_from_a_staff_user_who_may_only_view_members_changes_nothing(
    client_for, member, action
):
    if action == "restore":
        Member.objects.filter(user=member).update(status=Member.Status.REVOKED)
    before = Member.objects.get(user=member).status

    response = confirm(
        client_for(staff_with("view_member")), action, member.member, reason="Because"
    )

    assert response.status_code == 200
    assert Member.objects.get(user=member).status == before
    assert not MembershipChange.objects.exists()


def test_a_staff_user_who_may_change_members_is_offered_the_actions(client_for, member):
    page = client_for(staff_with("view_member", "change_member")).get(CHANGELIST)

    assert 'value="revoke"' in page.text and 'value="restore"' in page.text


def test_the_outbox_offers_no_action_and_a_crafted_delete_deletes_nothing(client_for, organizer):
    email = Email.objects.create(key="a", to="a@example.com", subject="Hello", body_text="x")
    url = reverse("admin:community_email_changelist")
    client = client_for(organizer)

    assert 'name="action"' not in client.get(url).text
    client.post(url, {"action": "delete_selected", "_selected_action": [email.pk], "post": "yes"})

    assert Email.objects.filter(pk=email.pk).exists()


def test_organizers_who_may_only_view_accounts_are_offered_no_action_on_them(
    client_for, organizer, member
):
    url = reverse("admin:community_user_changelist")
    client = client_for(organizer)

    assert 'name="action"' not in client.get(url).text
    client.post(url, {"action": "delete_selected", "_selected_action": [member.pk], "post": "yes"})

    assert User.objects.filter(pk=member.pk).exists()
