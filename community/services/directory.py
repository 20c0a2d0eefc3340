"""What every directory page needs but rarely changes: the city filter and the member count.

Both are read on every page and change only when a member joins, leaves or edits their profile,
so they are cached; this process forgets them on every such change, others within two minutes.
"""

from django.core.cache import cache
from django.db import transaction

from community.models import Member

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
