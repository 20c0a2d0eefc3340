"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs) -> list[CheckMessage]:
    """allauth's rate limits and used two-factor codes must be seen by every web process."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            f"The default cache ({backend.rsplit('.', 1)[-1]}) is not shared between processes: "
            "each web worker keeps its own rate-limit counters and its own memory of used "
            "two-factor codes, so limits are looser and a code can be replayed on another worker.",
            hint="Set REDIS_URL, or CACHE_URL (e.g. redis://redis:6379/1).",
            id="community.W001",
        )
    ]
