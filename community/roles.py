"""Roles are groups with permissions; superuser is kept for operators.

Each app declares what its models let each role do, as `role_permissions` on its AppConfig, next
to its models: community never imports circles, mentoring or content to learn them. The groups are
synced once every app has migrated, when every declared permission exists.
"""

from django.apps import apps as global_apps
from django.core.exceptions import ImproperlyConfigured

ORGANIZERS = "Organizers"
COACHES = "Coaches"
EDITORS = "Editors"
ROLES = (ORGANIZERS, COACHES, EDITORS)

# Community's own share, declared on CommunityConfig like every other app's.
COMMUNITY_ROLE_PERMISSIONS = {
    ORGANIZERS: [
        "community.view_application",
        "community.change_application",
        "community.view_decision",
        "community.view_member",
        "community.change_member",
        "community.view_email",
        "community.view_user",
        "community.view_slackaccount",
        "community.change_slackaccount",
        "community.view_slackchannel",
        "community.change_slackchannel",
        "community.hand_over_slackchannel",
        "community.view_slacksyncrun",
    ],
}


def role_permissions() -> dict[str, set[str]]:
    """Each role's permissions ("app_label.codename"), as the installed apps declare them."""
    declared: dict[str, set[str]] = {role: set() for role in ROLES}
    for config in global_apps.get_app_configs():
        for role, permissions in getattr(config, "role_permissions", {}).items():
            if role not in declared:
                raise ImproperlyConfigured(
                    f"The {config.label} app gives permissions to {role!r}, which is not a role "
                    f"(the roles are {', '.join(ROLES)})."
                )
            declared[role].update(permissions)
    return declared


def sync_role_groups(group_model, permission_model, *, using: str = "default") -> None:
    """Create the role groups and give each exactly its declared permissions (idempotent)."""
    existing = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in permission_model.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role, permissions in role_permissions().items():
        if missing := sorted(permissions - existing.keys()):
            raise ImproperlyConfigured(
                f"The {role} role is given permissions that do not exist: {', '.join(missing)}."
            )
        group, _ = group_model.objects.using(using).get_or_create(name=role)
        group.permissions.set([existing[permission] for permission in permissions])


def sync_role_groups_after_migrate(sender, app_config, using, **kwargs) -> None:
    """`post_migrate` receiver: sync in the last app's turn, when every app's permissions exist.

    Django sends `post_migrate` once for each app with models, in INSTALLED_APPS order, and
    django.contrib.auth creates an app's permissions in that app's turn, so only the last turn sees
    them all. https://docs.djangoproject.com/en/5.2/ref/signals/#post-migrate
    """
    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if app_config is not with_models[-1]:
        return
    apps = kwargs.get("apps") or global_apps  # `flush` sends no `apps`
    sync_role_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), using=using
    )
