"""Several processes with a per-process rate-limit cache refuse to start
(system check shop_accounts.E001, also run by the WSGI entry point)."""

from shop_accounts.core.checks import rate_limit_cache_is_shared

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATABASE = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "shop_cache"}
}


def test_several_processes_with_a_per_process_cache_are_an_error(settings, monkeypatch):
    settings.DEBUG, settings.CACHES = False, LOCMEM
    monkeypatch.setenv("GRANIAN_WORKERS", "4")

    [error] = rate_limit_cache_is_shared(None)

    assert error.id == "shop_accounts.E001"
    assert error.is_serious()
    assert "4 processes serve" in error.msg
    assert "createcachetable" in error.hint


def test_web_concurrency_counts_too(settings, monkeypatch):
    settings.DEBUG, settings.CACHES = False, LOCMEM
    monkeypatch.delenv("GRANIAN_WORKERS", raising=False)
    monkeypatch.setenv("WEB_CONCURRENCY", "2")

    assert [e.id for e in rate_limit_cache_is_shared(None)] == ["shop_accounts.E001"]


def test_a_shared_cache_one_process_or_the_demo_are_fine(settings, monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    settings.DEBUG, settings.CACHES = False, DATABASE
    monkeypatch.setenv("GRANIAN_WORKERS", "4")
    assert rate_limit_cache_is_shared(None) == []

    settings.CACHES = LOCMEM
    monkeypatch.setenv("GRANIAN_WORKERS", "1")
    assert rate_limit_cache_is_shared(None) == []

    settings.DEBUG = True
    monkeypatch.setenv("GRANIAN_WORKERS", "4")
    assert rate_limit_cache_is_shared(None) == []
