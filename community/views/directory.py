from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from community.forms import DirectoryFilterForm
from community.models import Member
from community.services.directory import CARD_FIELDS, directory_cards


def member_required(view):
    """Members only: anonymous people sign in first, others get a page that explains why not."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_member:
            return render(request, "community/members_only.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


@member_required
def member_list(request):
    listed = Member.objects.listed()
    form = DirectoryFilterForm(request.GET or None, cities=listed.shown_cities())
    filters = form.filters()
    members = listed.search(filters["q"]).with_role(filters["role"]).in_city(filters["city"])
    paginator = Paginator(members.values(*CARD_FIELDS), settings.DIRECTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "cards": directory_cards(page),
        "filtered": any(filters.values()),
        "query": query,
    }
    return render(request, "community/member_list.html", context)


@member_required
def member_detail(request, pk):
    own = request.user.member
    if pk == own.pk:
        profile = own
    else:
        profile = Member.objects.listed().filter(pk=pk).first()
    if profile is None:
        raise Http404("No member here.")
    context = {"profile": profile, "shown": profile.visible_fields(), "is_own": profile == own}
    return render(request, "community/member_detail.html", context)
