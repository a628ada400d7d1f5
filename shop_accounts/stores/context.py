"""The store being served. `request_store(request)` is the one way to read
the store of a request (`CurrentStoreMiddleware` finds it from the host name
and sets it on the request); `current_store()` is the same store for code that
has no request at hand (allauth's forms and backends look users up by email
through it)."""

from contextvars import ContextVar

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from shop_accounts.stores.models import Store

_current_store: ContextVar[Store | None] = ContextVar("current_store", default=None)


class NoRequestStore(ImproperlyConfigured):
    """The request has no store: CurrentStoreMiddleware did not run for it
    (missing from MIDDLEWARE, or a request built by hand without one). A
    programming error, not a refusal: it is not a DomainError."""


def request_store(request: HttpRequest) -> Store:
    """The store serving `request`, for views and anything that only runs
    behind CurrentStoreMiddleware. Raises NoRequestStore when it did not run."""
    store = getattr(request, "store", None)
    if not isinstance(store, Store):
        raise NoRequestStore(
            "This request has no store: add "
            "shop_accounts.stores.middleware.CurrentStoreMiddleware to MIDDLEWARE "
            "(or set request.store on a request built by hand)."
        )
    return store


def request_store_or_none(request: HttpRequest | None) -> Store | None:
    """The store serving `request`, else the store being served (the context
    variable), else None: for code that may run without a request or before
    the store is known (allauth's adapter and forms, middleware placed before
    or around CurrentStoreMiddleware, CAPTCHA forms)."""
    store = getattr(request, "store", None) if request is not None else None
    return store if isinstance(store, Store) else current_store()


def current_store() -> Store | None:
    """The store being served, for code with no request at hand."""
    return _current_store.get()


def set_current_store(store: Store | None):
    return _current_store.set(store)


def reset_current_store(token) -> None:
    _current_store.reset(token)
