"""System checks of the installation (run by `manage.py check`, `migrate`,
`runserver`, and by the WSGI entry point before granian serves)."""

import os

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def serving_processes() -> int:
    """How many app processes serve, as the production command declares it:
    granian's GRANIAN_WORKERS (the environment form of `--workers`), else the
    common WEB_CONCURRENCY; 1 when neither is set."""
    for name in ("GRANIAN_WORKERS", "WEB_CONCURRENCY"):
        value = os.environ.get(name, "").strip()
        if value.isdigit():
            return int(value)
    return 1


@checks.register(checks.Tags.caches)
def rate_limit_cache_is_shared(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Rate limits (and the TOTP replay guard) live in the default cache. A
    per-process cache with several processes gives each process its own
    counters, so a client spreading its attempts gets several times the limit.
    The demo (DEBUG) serves from one process."""
    backend = settings.CACHES["default"]["BACKEND"]
    processes = serving_processes()
    if settings.DEBUG or backend not in PER_PROCESS_CACHES or processes < 2:
        return []
    return [
        checks.Error(
            f"{processes} processes serve (GRANIAN_WORKERS / WEB_CONCURRENCY) but the cache "
            f"({backend}) belongs to each process, so every process would count rate limits "
            "on its own.",
            hint=(
                "Set CACHE_URL to a shared cache: redis://host:6379/0, or db://shop_cache "
                "followed by `manage.py createcachetable`."
            ),
            id="shop_accounts.E001",
        )
    ]


def refuse_to_serve_on_errors() -> None:
    """Run the system checks as runserver does before it serves, and refuse
    to start on an error, with the checks' own message. For the WSGI and ASGI
    entry points, which granian loads without running them."""
    errors = [issue for issue in checks.run_checks() if issue.is_serious()]
    errors = [issue for issue in errors if not issue.is_silenced()]
    if errors:
        raise ImproperlyConfigured("\n".join(str(issue) for issue in errors))
