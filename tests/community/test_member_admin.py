"""Organizers revoke and restore memberships from the admin; Slack follows."""

from django.urls import reverse

from community.models import Member, SlackAccount
from community.services import slack_state

CHANGELIST = reverse("admin:community_member_changelist")


def act(client, action: str, member: Member):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [member.pk]}, follow=True)


def test_revoking_a_membership_closes_the_directory_and_queues_slack_offboarding(
    client_for, organizer, member
):
    account = slack_state.record_new_member(member.member)
    version = SlackAccount.objects.get(pk=account.pk).version

    response = act(client_for(organizer), "revoke", member.member)

    assert "1 membership revoked." in response.content.decode()
    assert Member.objects.get(user=member).status == Member.Status.REVOKED
    assert SlackAccount.objects.get(pk=account.pk).version == version + 1
    assert client_for(member).get(reverse("member_list")).status_code == 403


def test_restoring_a_membership_opens_the_directory_again(client_for, organizer, member):
    Member.objects.filter(user=member).update(status=Member.Status.REVOKED)

    response = act(client_for(organizer), "restore", Member.objects.get(user=member))

    assert "1 membership restored." in response.content.decode()
    assert client_for(member).get(reverse("member_list")).status_code == 200
    assert SlackAccount.objects.filter(user=member).exists()


def test_revoking_twice_says_so_and_changes_nothing_more(client_for, organizer, member):
    Member.objects.filter(user=member).update(status=Member.Status.REVOKED)

    response = act(client_for(organizer), "revoke", Member.objects.get(user=member))

    assert "is already revoked" in response.content.decode()


def test_the_status_cannot_be_edited_around_the_service(client_for, organizer, member):
    page = client_for(organizer).get(
        reverse("admin:community_member_change", args=[member.member.pk])
    )
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
