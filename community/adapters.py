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

from community.services.emails import queue_rendered_email


def current_site() -> SimpleNamespace:
    """What allauth's email templates call the site (we do not use django.contrib.sites)."""
    return SimpleNamespace(name=settings.SITE_NAME, domain=urlparse(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": current_site(), **context}
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
        )

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
