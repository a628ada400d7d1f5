"""Reads of stores."""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from shop_accounts.conf import shop_settings
from shop_accounts.stores.models import Store

# Every request looks its store up by host name, so the answer is kept in
# Django's cache. Each entry carries the stores' generation it was read under;
# saving any store gives the stores a new generation, which retires every
# entry at once (a changed host name or default store changes what other host
# names answer too). With a shared cache (CACHE_URL: Redis, db) that reaches
# every process at once; with the per-process locmem cache other processes
# notice within STORE_CACHE_SECONDS, when their entries expire.
_GENERATION_KEY = "shop:stores:generation"
_HOST_KEY = "shop:stores:host:{}"


def _hostname(host: str) -> str:
    return host.split(":", 1)[0].lower().rstrip(".")


def _read_store_for_host(hostname: str) -> Store | None:
    stores = list(
        Store.objects.select_related("account_realm").filter(hostname=hostname)
        | Store.objects.select_related("account_realm").filter(is_default=True)
    )
    for store in stores:
        if store.hostname == hostname:
            return store
    return stores[0] if stores else None


def store_for_host(host: str) -> Store | None:
    """The store answering on `host` (port ignored), else the default store.
    Cached per host name until a store is saved (`forget_cached_stores`); each
    caller gets its own copy."""
    hostname = _hostname(host)
    key = _HOST_KEY.format(hostname)
    found = cache.get_many([_GENERATION_KEY, key])
    generation = found.get(_GENERATION_KEY)
    if generation is None:
        # Evicted or never set: a new generation, so no entry cached under an
        # earlier one can ever match again.
        generation = _new_generation()
    cached = found.get(key)
    if cached is not None and cached[0] == generation:
        return cached[1]
    store = _read_store_for_host(hostname)
    if store is not None:
        cache.set(key, (generation, store), shop_settings.STORE_CACHE_SECONDS)
    return store


def _new_generation() -> str:
    generation = uuid.uuid4().hex
    cache.set(_GENERATION_KEY, generation, None)
    return generation


def forget_cached_stores() -> None:
    """Retire every cached store lookup. Called by each action that saves a
    store: at once, so the rest of this transaction reads the new row, and
    again after the commit, so a request that read the old row meanwhile
    cannot leave it cached."""
    _new_generation()
    transaction.on_commit(_new_generation)


def stores_in_realm(realm_id: int) -> QuerySet[Store]:
    """The stores whose customers share the accounts of one realm."""
    return Store.objects.filter(account_realm_id=realm_id)
