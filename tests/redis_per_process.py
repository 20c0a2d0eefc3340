"""With the suite spread over processes (pytest-xdist), each gets a Redis database of its own.

The worker tests flush their database and read its queues; sharing one would let the Celery worker
of one process consume another's tasks. The URL is changed before Django's settings are read (this
plugin is loaded with `-p`, and its hook runs before pytest-django's), so that the settings, the
Celery app and the tests' fixtures all name the same database.
"""

import os
from urllib.parse import urlparse

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args) -> None:
    index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    url = os.environ.get("REDIS_URL")
    if index and url:
        parsed = urlparse(url)
        database = (int(parsed.path.strip("/") or 0) + index) % 16
        os.environ["REDIS_URL"] = parsed._replace(path=f"/{database}").geturl()
