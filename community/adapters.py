"""django-allauth hooks: its emails go through our outbox, and people land where they belong."""

import uuid
from types import SimpleNamespace
from urllib.parse import urlparse

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import passthrough_next_redirect_url
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.hashers import make_password
from django.http import HttpResponseRedirect
from django.urls import reverse

from community.models import User
from community.services.emails import queue_rendered_email


def current_site() -> SimpleNamespace:
    """What allauth's email templates call the site (we do not use django.contrib.sites)."""
    return SimpleNamespace(name=settings.SITE_NAME, domain=urlparse(settings.SITE_URL).netloc)


def _recipient(email: str, context: dict) -> User | None:
    """The account an allauth email is for: the one it names, else the one the address is on."""
    user = context.get("user")
    if isinstance(user, User) and user.pk:
        return user
    return User.objects.filter(emailaddress__email__iexact=email).first()


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Queue allauth's email in the outbox, marked sensitive: every one of them is about
        signing in (reset and confirmation links, codes, two-factor and address changes)."""
        request = allauth_context.request
        site = {"current_site": current_site(), "site_name": settings.SITE_NAME}
        context = {"request": request, "email": email, **context, **site}
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (body for body, kind in getattr(message, "alternatives", []) if kind == "text/html"), ""
        )
        queue_rendered_email(
            to=email,
            subject=message.subject,
            text=message.body,
            html=html,
            key=f"account:{template_prefix}:{uuid.uuid4()}",
            user=_recipient(email, context),
            sensitive=True,
        )

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # allauth leaves the user out of a notification's context; the outbox needs to know it.
        context = {"user": user, **(context or {})}
        return super().send_notification_mail(template_prefix, user, context, email)

    def respond_email_verification_sent(self, request, user):
        if user is None:
            # A sign-up with a taken address creates no account (ACCOUNT_PREVENT_ENUMERATION), so
            # it would skip hashing the password and answer ten times faster than a real sign-up,
            # telling anyone with a stopwatch who has an account. Pay the same cost, as Django's
            # ModelBackend does for unknown users.
            make_password(request.POST.get("password1", ""))
        # Keep where the person was going, so that asking for the link again on that page does too.
        url = passthrough_next_redirect_url(
            request, reverse("account_email_verification_sent"), REDIRECT_FIELD_NAME
        )
        return HttpResponseRedirect(url)

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_organizer:
            return reverse("admin:index")
        if user.is_member:
            return reverse("member_list")
        return reverse("application_status")
