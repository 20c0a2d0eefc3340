"""Authentication: allauth's email login, with a user's permissions read with their groups."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend


class AuthenticationBackend(AllauthBackend):
    def get_all_permissions(self, user_obj, obj=None):
        """The user's own and their groups' permissions, from `User.access` (Django uses two
        queries of its own; the access query is usually made anyway)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        return set(user_obj.access.permissions)
