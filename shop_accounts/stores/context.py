"""The store of the request being served, for code that has no request at
hand (allauth's forms and backends look users up by email through it)."""

from contextvars import ContextVar

from shop_accounts.stores.models import Store

_current_store: ContextVar[Store | None] = ContextVar("current_store", default=None)


def current_store() -> Store | None:
    return _current_store.get()


def set_current_store(store: Store | None):
    return _current_store.set(store)


def reset_current_store(token) -> None:
    _current_store.reset(token)
