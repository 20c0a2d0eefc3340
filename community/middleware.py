import zoneinfo

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone


class ViewerTimezoneMiddleware:
    """Show dates and times in the viewer's own timezone when we know it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = getattr(request.user, "timezone", "") or request.COOKIES.get("tz", "")
        try:
            timezone.activate(zoneinfo.ZoneInfo(name)) if name else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


class OrganizerTwoFactorMiddleware:
    """Organizers must set up two-factor authentication before they can do anything else."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.ORGANIZER_MFA_REQUIRED
            and user.is_authenticated
            and user.is_organizer
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
        ):
            messages.warning(
                request, "Organizers must turn on two-factor authentication before continuing."
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
