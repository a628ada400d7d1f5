"""The store of a request is read from the database once per host name and
then cached; every save of a store (its actions, also behind the back
office's store form and the account-sharing switch) retires the cached
lookups, so the next request sees the change."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop_accounts.customers import actions
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from shop_accounts.stores.queries import store_for_host
from tests.backoffice.test_store_admin import change_url, form_data, with_changes

HOME = reverse("storefront:home")
MEMBERS_ONLY = {"shop_visibility": Store.ShopVisibility.SIGNED_IN}


def store_queries(host: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        store_for_host(host)
    return sum("stores_store" in query["sql"] for query in captured.captured_queries)


def test_each_host_name_is_read_once(store, other_store):
    first = [store_queries("testserver"), store_queries("other.testserver:8000")]
    again = [store_queries("testserver"), store_queries("OTHER.testserver")]

    assert (first, again) == ([1, 1], [0, 0])


def test_a_changed_policy_is_seen_by_the_next_request(store):
    guest = Client()
    assert guest.get(HOME).status_code == 200

    store_actions.update_store(store, **MEMBERS_ONLY)
    response = guest.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_policy_saved_in_the_back_office_is_seen_by_the_next_request(store, merchant_client):
    guest = Client()
    assert guest.get(HOME).status_code == 200
    data = with_changes(form_data(merchant_client.get(change_url(store))), MEMBERS_ONLY)

    assert merchant_client.post(change_url(store), data).status_code == 302
    response = guest.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_host_name_given_to_another_store_is_seen_at_once(store, other_store):
    assert store_for_host("shop.example") == store  # the default, for now

    store_actions.update_store(other_store, hostname="shop.example")

    assert store_for_host("shop.example") == other_store
    assert store_for_host("other.testserver") == store


def test_a_new_default_store_is_seen_at_once(store, other_store):
    assert store_for_host("nowhere.example") == store

    store_actions.update_store(other_store, is_default=True)

    assert store_for_host("nowhere.example") == other_store


def test_a_store_that_starts_sharing_accounts_is_seen_in_its_new_realm(store, other_store):
    assert store_for_host("other.testserver").account_realm_id == other_store.account_realm_id

    moved = actions.set_account_sharing(other_store, shares_accounts=True, actor=None)

    found = store_for_host("other.testserver")
    assert found.account_realm_id == moved.account_realm_id != other_store.account_realm_id
    assert found.account_realm.is_shared


def test_each_request_gets_its_own_copy_of_the_store(store):
    first = store_for_host("testserver")
    first.name = "Changed in one request only"

    assert store_for_host("testserver").name == "Test Shop"
