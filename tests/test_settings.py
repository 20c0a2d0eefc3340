"""Production mode: it refuses to start half-configured, and Django's deployment checks pass."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

A_REAL_SECRET_KEY = secrets.token_urlsafe(64)
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": A_REAL_SECRET_KEY,
    "ALLOWED_HOSTS": "roundtable.example.com",
    "REDIS_URL": "redis://redis:6379/0",
}


def manage(*args: str, **environment: str | None) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with only the given settings in its environment."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    env.update({name: value for name, value in {**PRODUCTION, **environment}.items() if value})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name: str, **environment: str | None) -> str:
    """The value of one setting, as a fresh process with the given environment sees it."""
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = manage("shell", "--no-imports", "-c", code, **environment)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def test_a_production_configuration_passes_the_deployment_checks_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_the_deployment_checks_fail_when_debug_is_left_on_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="1")
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "secret_key",
    [None, "too-short", "dev-only-insecure-secret-key-do-not-use-in-production"],
    ids=["missing", "short", "the development key"],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    result = manage("check", SECRET_KEY=secret_key)
    assert result.returncode != 0
    assert (
        "SECRET_KEY must be set to a random value of at least 50 characters in production."
        in result.stderr
    )


def test_production_refuses_to_start_without_its_host_names():
    result = manage("check", ALLOWED_HOSTS=None)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list the site's host names in production." in result.stderr


def test_development_starts_without_any_configuration():
    result = manage("check", DJANGO_ENV=None, SECRET_KEY=None, ALLOWED_HOSTS=None)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_number_of_trusted_proxies_comes_from_the_environment():
    assert setting("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="1") == "1"
    # Without a proxy in front, X-Forwarded-For is the client's to invent: trust none by default.
    assert setting("ALLAUTH_TRUSTED_PROXY_COUNT") == "0"


def test_production_shares_one_cache_between_processes_through_redis():
    assert "redis.RedisCache" in setting("CACHES['default']['BACKEND']")
    assert setting("CACHES['default']['LOCATION']") == "'redis://redis:6379/0'"
    cache_url = "redis://cache:6379/1"
    assert setting("CACHES['default']['LOCATION']", CACHE_URL=cache_url) == repr(cache_url)


def test_development_keeps_the_cache_in_memory_even_with_redis_for_tasks():
    backend = setting("CACHES['default']['BACKEND']", DJANGO_ENV=None, SECRET_KEY=None)
    assert "locmem.LocMemCache" in backend


@pytest.mark.parametrize(
    "environment",
    [{"CACHE_URL": "locmemcache://"}, {"REDIS_URL": None}],
    ids=["memory cache chosen", "no Redis"],
)
def test_the_deployment_checks_warn_when_each_process_keeps_its_own_cache(environment):
    result = manage("check", "--deploy", **environment)

    # Each gunicorn worker would have its own rate-limit counters and memory of used codes.
    assert "community.W001" in result.stdout + result.stderr
    assert "not shared between processes" in result.stdout + result.stderr


def test_the_contact_address_comes_from_the_environment_or_the_sender_address():
    assert setting("CONTACT_EMAIL", CONTACT_EMAIL="help@example.com") == "'help@example.com'"
    sender = "Roundtable <hello@roundtable.example.com>"
    assert setting("CONTACT_EMAIL", DEFAULT_FROM_EMAIL=sender) == "'hello@roundtable.example.com'"


def test_the_site_refuses_to_start_with_a_contact_address_that_is_not_one():
    result = manage("check", CONTACT_EMAIL="our office")
    assert result.returncode != 0
    assert "CONTACT_EMAIL must be an email address" in result.stderr


def test_the_days_to_confirm_a_mentoring_group_place_come_from_the_environment():
    assert setting("MENTORING_GROUP_CONFIRM_DAYS") == "7"
    assert setting("MENTORING_GROUP_CONFIRM_DAYS", MENTORING_GROUP_CONFIRM_DAYS="3") == "3"
    result = manage("check", MENTORING_GROUP_CONFIRM_DAYS="0")
    assert result.returncode != 0
    assert "MENTORING_GROUP_CONFIRM_DAYS must be 1 or more, not 0." in result.stderr
