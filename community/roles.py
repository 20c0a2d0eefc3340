"""Roles are groups with permissions; superuser is kept for operators."""

ROLE_PERMISSIONS = {
    "Organizers": [
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
    "Coaches": [],
    "Editors": [],
}


def sync_role_groups(group_model, permission_model) -> None:
    """Create the role groups and give each exactly its permissions (idempotent)."""
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = [
            permission_model.objects.get(content_type__app_label=label, codename=codename)
            for label, codename in (perm.split(".") for perm in codenames)
        ]
        group.permissions.set(permissions)
