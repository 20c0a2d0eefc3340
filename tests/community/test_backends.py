"""Loading the signed-in user: what comes with them, and their permissions."""

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.backends import AuthenticationBackend
from tests.conftest import give_totp, make_user


def test_an_organizers_permissions_are_their_groups_and_their_own(organizer):
    extra = Permission.objects.get(codename="delete_email")
    organizer.user_permissions.add(extra)
    user = AuthenticationBackend().get_user(organizer.pk)

    with CaptureQueriesContext(connection) as queries:
        permissions = AuthenticationBackend().get_all_permissions(user)
        assert user.has_perm("community.change_application")

    assert "community.change_application" in permissions  # from the Organizers group
    assert "community.delete_email" in permissions  # given to the user directly
    assert "community.delete_application" not in permissions
    assert len(queries) == 1


def test_a_member_without_groups_has_no_permissions(member):
    user = AuthenticationBackend().get_user(member.pk)
    assert AuthenticationBackend().get_all_permissions(user) == set()
    assert not user.has_perm("community.view_application")


def test_an_inactive_user_has_no_permissions_and_cannot_be_loaded(organizer):
    organizer.is_active = False
    organizer.save()
    assert AuthenticationBackend().get_all_permissions(organizer) == set()
    assert AuthenticationBackend().get_user(organizer.pk) is None


def test_membership_and_two_factor_come_with_the_user_in_one_query(db, member):
    organizer = make_user("second.organizer@example.com")
    give_totp(organizer)
    with CaptureQueriesContext(connection) as queries:
        loaded_member = AuthenticationBackend().get_user(member.pk)
        loaded_organizer = AuthenticationBackend().get_user(organizer.pk)
        assert loaded_member.is_member and not loaded_organizer.is_member
        assert loaded_organizer.has_totp and not loaded_member.has_totp
    assert len(queries) == 2
