from django.apps import AppConfig
from django.db.models.signals import post_migrate

from community.roles import COMMUNITY_ROLE_PERMISSIONS, sync_role_groups_after_migrate


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"
    role_permissions = COMMUNITY_ROLE_PERMISSIONS

    def ready(self):
        # After every migrate (and every test-database flush) the role groups exist with their
        # permissions, so an operator never has to set them up by hand.
        post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="community.roles")

        from community.services.account import register_privacy_parts

        register_privacy_parts()
        from community import checks  # noqa: F401  (registers the deployment checks)
