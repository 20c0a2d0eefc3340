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


def test_roles_permissions_and_two_factor_set_up_are_read_in_one_query(organizer):
    user = type(organizer).objects.get(pk=organizer.pk)
    with CaptureQueriesContext(connection) as queries:
        assert user.is_organizer
        assert not user.is_coach
        assert user.has_perm("community.change_application")
        assert user.access.has_totp  # the organizer persona has an authenticator app
    assert len(queries) == 1


def test_a_member_has_no_roles_and_no_authenticator_app(member):
    access = type(member).objects.get(pk=member.pk).access
    assert access == (frozenset(), frozenset(), False)
