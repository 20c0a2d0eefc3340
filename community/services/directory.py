"""The directory's cards, and what every directory page needs but rarely changes.

The city filter and the member count are read on every page and change only when a member joins,
leaves or edits their profile, so they are cached; this process forgets them on every such change,
others within two minutes.
"""

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from community.models import Member
from community.models.members import initials, shown_to_members

FACTS_KEY = "directory:facts"
FACTS_SECONDS = 120


def _facts() -> dict:
    listed = Member.objects.listed()
    return {"cities": listed.shown_cities(), "listed": listed.count()}


def directory_facts() -> dict:
    """{"cities": cities listed members show, "listed": how many members are listed}."""
    return cache.get_or_set(FACTS_KEY, _facts, FACTS_SECONDS)


def forget_directory_facts() -> None:
    cache.delete(FACTS_KEY)
    transaction.on_commit(lambda: cache.delete(FACTS_KEY))


# What a directory card may show, before each member's choices are applied.
CARD_FIELDS = ("pk", "full_name", "job_title", "company", "show_company", "city", "show_city")


def directory_cards(rows) -> list[dict]:
    """Cards for `rows` (dicts of CARD_FIELDS) showing only what each member chose to show.

    Plain values rather than members: the template reads each card's fields from a dict at a
    fraction of what an attribute of a model instance costs it.
    """
    profile_url = reverse("member_detail", args=[0]).replace("/0/", "/{}/", 1)
    return [_card(shown_to_members(row), profile_url) for row in rows]


def _card(shown: dict, profile_url: str) -> dict:
    return {
        "name": shown["full_name"],
        "url": profile_url.format(shown["pk"]),
        "initials": initials(shown["full_name"]),
        "job_title": shown["job_title"],
        "company": shown.get("company", ""),
        "city": shown.get("city", ""),
    }
