"""Authentication: allauth's email login, loading the member profile with the user."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef

from community.models import User


class AuthenticationBackend(AllauthBackend):
    """Nearly every page asks whether the visitor is a member (and, for organizers, whether they
    have two-factor authentication), so the answers come with the user in one query."""

    def get_user(self, user_id):
        totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        try:
            user = (
                User.objects.select_related("member")
                .annotate(has_totp=Exists(totp))
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
