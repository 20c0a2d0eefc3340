from html import escape

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

from community.access import member_required
from community.forms import DirectoryFilterForm
from community.models import Member
from community.services.directory import CARD_FIELDS, directory_cards, directory_facts


@member_required
def member_list(request):
    listed = Member.objects.listed()
    facts = directory_facts()
    form = DirectoryFilterForm(request.GET or None, cities=facts["cities"])
    filters = form.filters()
    members = listed.search(filters["q"]).with_role(filters["role"]).in_city(filters["city"])
    paginator = Paginator(members.values(*CARD_FIELDS), settings.DIRECTORY_PAGE_SIZE)
    if not any(filters.values()):
        paginator.count = facts["listed"]  # the unfiltered total is known: no COUNT(*) per page
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "cards": (cards := directory_cards(page)),
        "cards_html": cards_html(cards),
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


# The cards are most of the page; formatting them here rather than in a template loop saves about
# a millisecond a page (the template engine spends ~10 µs on each variable and condition).
CARD = (
    '<li><article class="member-card"><header class="member-card-header">'
    '<span class="avatar" aria-hidden="true">{initials}</span>'
    '<h3 class="member-card-name"><a href="{url}">{name}</a></h3></header>{title}{city}</article></li>'
)
TITLE = '<p class="member-card-title">{}</p>'
CITY = '<p class="muted member-card-city"><span class="visually-hidden">City: </span>{}</p>'


def cards_html(cards: list[dict]) -> SafeString:
    return mark_safe("\n".join(_card_html(card) for card in cards))


def _card_html(card: dict) -> str:
    text = {key: escape(value) for key, value in card.items()}
    title = ' <span class="muted">at</span> '.join(
        part for part in (text["job_title"], text["company"]) if part
    )
    return CARD.format(
        initials=text["initials"],
        url=text["url"],
        name=text["name"],
        title=TITLE.format(title) if title else "",
        city=CITY.format(text["city"]) if card["city"] else "",
    )
