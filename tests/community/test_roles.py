"""The role groups get every permission the apps declare for them, whichever app declares it."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from community.models import User


def permissions_of(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def migrate() -> None:
    call_command("migrate", verbosity=0, interactive=False)


@pytest.fixture
def late_app():
    """An app after community in INSTALLED_APPS whose permissions only exist once it has migrated."""
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.community.late_app"]):
        yield apps.get_app_config("late_app")
    ContentType.objects.clear_cache()


@pytest.fixture
def circles(monkeypatch):
    config = apps.get_app_config("circles")
    monkeypatch.setattr(config, "role_permissions", {}, raising=False)
    return config


@pytest.mark.django_db
def test_migrate_gives_a_role_the_permissions_of_an_app_installed_after_community(late_app):
    migrate()

    assert {"late_app.view_booking", "late_app.change_booking"} <= permissions_of(User.COACHES)


@pytest.mark.django_db
def test_organizers_keep_community_permissions_once_every_app_has_migrated(late_app):
    migrate()

    assert "community.change_application" in permissions_of(User.ORGANIZERS)
    assert not any(p.startswith("late_app.") for p in permissions_of(User.ORGANIZERS))


@pytest.mark.django_db
def test_an_app_gives_a_role_a_permission_from_its_own_app_config(circles):
    circles.role_permissions = {User.EDITORS: ["community.view_member"]}
    migrate()
    assert "community.view_member" in permissions_of(User.EDITORS)

    circles.role_permissions = {}
    migrate()
    assert "community.view_member" not in permissions_of(User.EDITORS)  # content's own stay


@pytest.mark.django_db
def test_a_permission_that_does_not_exist_is_named_when_migrating(circles):
    circles.role_permissions = {User.ORGANIZERS: ["circles.view_unicorn"]}

    with pytest.raises(ImproperlyConfigured, match="circles.view_unicorn"):
        migrate()


@pytest.mark.django_db
def test_a_permission_for_a_role_that_does_not_exist_is_refused(circles):
    circles.role_permissions = {"Moderators": ["community.view_member"]}

    with pytest.raises(ImproperlyConfigured, match="Moderators"):
        migrate()
