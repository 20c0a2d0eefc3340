import json

from allauth.account.decorators import reauthentication_required
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from community.forms import AccountDeleteForm, ProfileForm
from community.services.account import delete_account, export_user_data, update_profile


@login_required
def profile_edit(request):
    if not request.user.is_member:
        return redirect("application_status")
    member = request.user.member
    form = ProfileForm(
        request.POST or None, instance=member, initial={"timezone": request.user.timezone}
    )
    if request.method == "POST" and form.is_valid():
        update_profile(member, data=form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect("profile_edit")
    return render(request, "community/profile_form.html", {"form": form, "member": member})


@never_cache
@login_required
def data_export(request):
    if request.method != "POST":
        return render(request, "community/data_export.html")
    data = export_user_data(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    filename = f"roundtable-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
# A POST asks for the password again first, then carries on with what was typed.
# https://docs.allauth.org/en/latest/account/decorators.html
@reauthentication_required(allow_get=True)
def account_delete(request):
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        delete_account(request.user)
        logout(request)
        messages.success(
            request, "Your account has been deleted. Thank you for being part of Roundtable."
        )
        return redirect("home")
    return render(request, "community/account_delete.html", {"form": form})


@login_required
def account_overview(request):
    """Everything a person can do with their account, whatever their role, from one page."""
    context = {"mfa_enabled": is_mfa_enabled(request.user)}
    return render(request, "community/account.html", context)
