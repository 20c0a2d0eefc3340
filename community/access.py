"""Who may open a page: the decorators and mixins every app's views use.

Anonymous people are sent to sign in first. A signed-in person without the role gets a 403: for
members-only pages, the page that explains who they are for and where to go instead.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

MEMBERS_ONLY_TEMPLATE = "community/members_only.html"


def members_only(request):
    return render(request, MEMBERS_ONLY_TEMPLATE, status=403)


def forbidden(request):
    raise PermissionDenied


def role_required(role: str, *, denied: Callable = forbidden) -> Callable:
    """A view decorator: signed in, and `user.<role>` (e.g. "is_member") is true."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not getattr(request.user, role):
                return denied(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


member_required = role_required("is_member", denied=members_only)
organizer_required = role_required("is_organizer")
coach_required = role_required("is_coach")
editor_required = role_required("is_editor")


class RoleRequiredMixin(AccessMixin):
    """The class-based view form of `role_required`: set `role`, and `denied` if not a 403."""

    role = ""
    denied = staticmethod(forbidden)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()  # to the sign-in page, then back here
        if not getattr(request.user, self.role):
            return self.denied(request)
        return super().dispatch(request, *args, **kwargs)


class MemberRequiredMixin(RoleRequiredMixin):
    role = "is_member"
    denied = staticmethod(members_only)


class OrganizerRequiredMixin(RoleRequiredMixin):
    role = "is_organizer"


class CoachRequiredMixin(RoleRequiredMixin):
    role = "is_coach"


class EditorRequiredMixin(RoleRequiredMixin):
    role = "is_editor"
