"""The one accessor for the store of a request (stores/context.py): the store
the middleware found from the host, a clear error when the middleware did
not run, and the context variable for code that may run without a request."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from shop_accounts.stores.context import (
    NoRequestStore,
    request_store,
    request_store_or_none,
    reset_current_store,
    set_current_store,
)
from shop_accounts.stores.models import Store


@contextmanager
def serving(store: Store) -> Iterator[None]:
    """The context variable set as CurrentStoreMiddleware sets it."""
    token = set_current_store(store)
    try:
        yield
    finally:
        reset_current_store(token)


def test_a_served_request_has_the_store_of_its_host(store, other_store):
    response = Client().get(reverse("storefront:home"), HTTP_HOST="other.testserver")

    assert response.status_code == 200
    assert request_store(response.wsgi_request) == other_store
    assert request_store_or_none(response.wsgi_request) == other_store


def test_a_request_the_middleware_did_not_see_raises_a_clear_error(store):
    request = RequestFactory().get("/")

    with pytest.raises(NoRequestStore, match="CurrentStoreMiddleware"):
        request_store(request)


def test_without_a_request_store_the_store_being_served_is_used(store, other_store):
    request = RequestFactory().get("/")
    assert request_store_or_none(request) is None
    assert request_store_or_none(None) is None

    with serving(other_store):
        assert request_store_or_none(request) == other_store
        assert request_store_or_none(None) == other_store


def test_the_request_store_wins_over_the_store_being_served(store, other_store):
    request = RequestFactory().get("/")
    request.store = store  # type: ignore[attr-defined]  # as CurrentStoreMiddleware does

    with serving(other_store):
        assert request_store(request) == store
        assert request_store_or_none(request) == store
