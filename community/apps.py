from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_role_groups(sender, **kwargs):
    from django.contrib.auth.models import Group, Permission

    from community.roles import sync_role_groups

    sync_role_groups(Group, Permission)


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self):
        # After every migrate (and every test-database flush) the role groups exist with their
        # permissions, so an operator never has to set them up by hand.
        post_migrate.connect(_sync_role_groups, sender=self)
        from community import checks  # noqa: F401  (registers the deployment checks)
