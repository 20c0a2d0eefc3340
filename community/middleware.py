import zoneinfo

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseForbidden
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
    """Everyone who can reach the admin must set up two-factor authentication before anything else.

    Only a page a browser navigates to is redirected to the set-up page. An image, a script or a
    call from one (the browser's own `GET /favicon.ico` after every page) is refused instead:
    following a redirect to the set-up page would load it again behind the person's back.
    """

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/favicon.ico")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.ALLOWED_PREFIXES) or not must_set_up_two_factor(
            request.user
        ):
            return self.get_response(request)
        if not is_page_request(request):
            return HttpResponseForbidden(
                "Turn on two-factor authentication first.", content_type="text/plain"
            )
        messages.warning(
            request, "Organizers must turn on two-factor authentication before continuing."
        )
        return redirect(reverse("mfa_activate_totp"))


def must_set_up_two_factor(user) -> bool:
    """Whether this account can reach the admin or organizer pages without an authenticator app."""
    return (
        settings.ORGANIZER_MFA_REQUIRED
        and user.is_authenticated
        and (user.is_staff or user.is_superuser or user.is_organizer)
        and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
    )


def is_page_request(request) -> bool:
    """Whether a browser is loading a page, as opposed to an image, a script or a fetch() call.

    Browsers say what they load in `Sec-Fetch-Dest` and list `text/html` in `Accept` only for
    documents; a client that sends no `Accept` at all accepts anything, a page included.
    https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Sec-Fetch-Dest
    """
    if request.method not in ("GET", "HEAD"):
        return False
    if request.headers.get("Sec-Fetch-Dest", "document") != "document":
        return False
    if "Accept" not in request.headers:
        return True
    return any(
        media.main_type == "text" and media.sub_type == "html" for media in request.accepted_types
    )
