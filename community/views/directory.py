from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from community.access import member_required
from community.forms import DirectoryFilterForm
from community.models import Member
from community.services.directory import CARD_FIELDS, directory_cards


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
