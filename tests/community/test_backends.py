"""Loading the signed-in user: their roles, their permissions and their two-factor set-up."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import get_backends
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import User


def fresh(user: User) -> User:
    """The user as the next request loads them."""
    return User.objects.get(pk=user.pk)


def test_permissions_are_read_by_djangos_own_model_backend():
    assert all(isinstance(backend, ModelBackend) for backend in get_backends())


def test_an_organizers_permissions_are_their_groups_and_their_own(organizer):
    organizer.user_permissions.add(Permission.objects.get(codename="delete_email"))
    user = fresh(organizer)
    assert user.has_perm("community.change_application")  # from the Organizers group
    assert user.has_perm("community.delete_email")  # given to the user directly
    assert not user.has_perm("community.delete_application")


def test_a_member_without_groups_has_no_permissions_and_no_roles(member):
    user = fresh(member)
    assert user.get_all_permissions() == set()
    assert not (user.is_organizer or user.is_coach or user.is_editor)
    assert not is_mfa_enabled(user, [Authenticator.Type.TOTP])


def test_an_inactive_user_has_no_permissions_and_no_roles(organizer):
    organizer.is_active = False
    organizer.save()
    user = fresh(organizer)
    assert user.get_all_permissions() == set()
    assert not user.is_organizer


def test_roles_and_permissions_are_read_once_per_request(organizer):
    user = fresh(organizer)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert user.is_organizer and not user.is_coach and not user.is_editor
            assert user.has_perm("community.change_application")
    assert len(queries) == 3  # the groups, then Django's two permission queries


def test_a_group_given_in_the_admin_counts_from_the_next_request(organizer, member):
    assert not fresh(member).is_coach
    member.groups.add(Group.objects.get(name=User.COACHES))
    assert fresh(member).is_coach


def test_an_organizer_with_an_authenticator_app_is_let_through(client_for, organizer):
    assert is_mfa_enabled(fresh(organizer), [Authenticator.Type.TOTP])
    response = client_for(organizer).get(reverse("admin:community_application_changelist"))
    assert response.status_code == 200


def test_an_organizer_without_an_authenticator_app_is_sent_to_set_one_up(client_for, organizer):
    Authenticator.objects.filter(user=organizer).delete()
    response = client_for(organizer).get(reverse("admin:community_application_changelist"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
