"""django-allauth hooks: its emails go through our outbox, and people land where they belong."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from community.services.emails import queue_rendered_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
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

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_organizer:
            return reverse("admin:index")
        if user.is_member:
            return reverse("member_list")
        return reverse("application_status")
