"""Authentication: allauth's email login, loading the member profile with the user."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from community.models import User


class AuthenticationBackend(AllauthBackend):
    """Nearly every page asks whether the visitor is a member, so the profile comes with the user
    in one query instead of a second one on each request."""

    def get_user(self, user_id):
        try:
            user = User.objects.select_related("member").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
