"""Authentication: allauth's email login, loading the member profile with the user."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

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

    def get_all_permissions(self, user_obj, obj=None):
        """The user's own and their groups' permissions in one query (Django's backend uses two)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            names = permissions.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{label}.{codename}" for label, codename in names}
        return user_obj._perm_cache
