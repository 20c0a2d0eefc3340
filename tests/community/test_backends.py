"""Loading the signed-in user: what comes with them, and their permissions."""

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.backends import AuthenticationBackend


def test_an_organizers_permissions_are_their_groups_and_their_own(organizer):
    extra = Permission.objects.get(codename="delete_email")
    organizer.user_permissions.add(extra)
    user = type(organizer).objects.get(pk=organizer.pk)

    with CaptureQueriesContext(connection) as queries:
        permissions = AuthenticationBackend().get_all_permissions(user)
        assert user.has_perm("community.change_application")

    assert "community.change_application" in permissions  # from the Organizers group
    assert "community.delete_email" in permissions  # given to the user directly
    assert "community.delete_application" not in permissions
    assert len(queries) == 1


def test_a_member_without_groups_has_no_permissions(member):
    user = type(member).objects.get(pk=member.pk)
    assert AuthenticationBackend().get_all_permissions(user) == set()
    assert not user.has_perm("community.view_application")


def test_an_inactive_user_has_no_permissions(organizer):
    organizer.is_active = False
    organizer.save()
    assert AuthenticationBackend().get_all_permissions(organizer) == set()
