"""The version of the library that cached fragments of its pages are stored under.

Any change to a piece sets a new version, so the next request renders afresh. The version lives in
the cache (Redis in production, shared by every process); where it is a per-process memory cache,
a fragment is at most FRAGMENT_SECONDS old. Fragments hold what any reader of their kind may see:
list fragments only titles and summaries, article fragments are keyed by whether the reader may
read the whole text.
"""

import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "content:library-version"
FRAGMENT_SECONDS = 60


def library_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return version


def _new_version() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def bump_library_version() -> None:
    """Now, and again once the change is committed, so no request caches the state in between."""
    _new_version()
    transaction.on_commit(_new_version)
