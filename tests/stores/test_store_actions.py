"""Stores: created and changed through actions, found by host name (unknown
hosts get the default store), and moved in or out of the shared account realm,
which is refused when an email would exist twice in one realm."""

import pytest
from django.test import Client
from django.urls import reverse

from shop_accounts.core.errors import UnknownField
from shop_accounts.customers import actions, queries
from shop_accounts.customers.errors import EmailTaken, RealmChangeConflict
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.errors import HostnameTaken
from shop_accounts.stores.models import AccountRealm, Store
from shop_accounts.stores.queries import store_for_host, stores_in_realm

Kind = CustomerEvent.Kind


# --- create_store / update_store ---------------------------------------------------------


def test_new_store_has_accounts_of_its_own_and_the_documented_default_policy(db):
    store = store_actions.create_store(name="Demo Shop", hostname="  Shop.Example.COM ")

    store.refresh_from_db()
    assert store.hostname == "shop.example.com"
    assert not store.shares_accounts
    assert not store.account_realm.is_shared
    assert list(stores_in_realm(store.account_realm_id)) == [store]
    assert store.checkout_accounts == Store.CheckoutAccounts.OPTIONAL
    assert store.signup_mode == Store.SignupMode.FREE
    assert store.shop_visibility == Store.ShopVisibility.EVERYONE
    assert store.guest_prices == Store.GuestPrices.SHOWN
    assert store.show_account_link
    assert (store.default_language, store.currency, store.prices_include_tax) == (
        "en",
        "EUR",
        True,
    )


def test_two_stores_without_sharing_have_separate_realms(store, other_store):
    assert store.account_realm_id != other_store.account_realm_id


def test_stores_that_share_accounts_use_the_one_shared_realm(db):
    north = store_actions.create_store(name="North", hostname="north.test", shares_accounts=True)
    south = store_actions.create_store(name="South", hostname="south.test", shares_accounts=True)

    assert north.account_realm_id == south.account_realm_id
    assert north.account_realm.is_shared
    assert AccountRealm.objects.filter(is_shared=True).count() == 1
    assert set(stores_in_realm(north.account_realm_id)) == {north, south}


def test_a_store_with_a_host_name_already_in_use_is_refused(store):
    with pytest.raises(HostnameTaken):
        store_actions.create_store(name="Copy", hostname="TestServer")

    assert list(Store.objects.all()) == [store]
    assert AccountRealm.objects.count() == 1


def test_a_new_default_store_takes_over_from_the_old_one(store):
    b2b = store_actions.create_store(name="B2B", hostname="b2b.testserver", is_default=True)

    store.refresh_from_db()
    assert not store.is_default
    assert b2b.is_default
    assert store_for_host("unknown.example") == b2b


def test_store_policy_changes_are_saved(store):
    store_actions.update_store(
        store,
        name="Renamed Shop",
        hostname="Shop.Example.com",
        checkout_accounts=Store.CheckoutAccounts.REQUIRED,
        signup_mode=Store.SignupMode.APPROVAL,
        shop_visibility=Store.ShopVisibility.SIGNED_IN,
        guest_prices=Store.GuestPrices.HIDDEN,
        show_account_link=False,
        prices_include_tax=False,
        currency="NOK",
        default_language="nb",
    )

    store.refresh_from_db()
    assert store.name == "Renamed Shop"
    assert store.hostname == "shop.example.com"
    assert store.checkout_accounts == Store.CheckoutAccounts.REQUIRED
    assert store.signup_mode == Store.SignupMode.APPROVAL
    assert store.shop_visibility == Store.ShopVisibility.SIGNED_IN
    assert store.guest_prices == Store.GuestPrices.HIDDEN
    assert not store.show_account_link
    assert not store.prices_include_tax
    assert (store.currency, store.default_language) == ("NOK", "nb")


def test_changing_to_another_stores_host_name_is_refused_and_changes_nothing(store, other_store):
    with pytest.raises(HostnameTaken):
        store_actions.update_store(other_store, name="Hijack", hostname="TESTSERVER")

    other_store.refresh_from_db()
    assert (other_store.name, other_store.hostname) == ("Other Shop", "other.testserver")


def test_account_sharing_is_not_a_plain_store_setting(store):
    with pytest.raises(UnknownField, match="shares_accounts"):
        store_actions.update_store(store, shares_accounts=True)

    store.refresh_from_db()
    assert not store.shares_accounts
    assert not store.account_realm.is_shared


def test_making_another_store_the_default_unsets_the_old_default(store, other_store):
    store_actions.update_store(other_store, is_default=True)

    store.refresh_from_db()
    other_store.refresh_from_db()
    assert (store.is_default, other_store.is_default) == (False, True)


# --- the store of a request ---------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["other.testserver", "OTHER.testserver", "other.testserver:8000", "other.testserver."]
)
def test_store_is_found_by_its_host_name(store, other_store, host):
    assert store_for_host(host) == other_store


def test_an_unknown_host_gets_the_default_store(store, other_store):
    assert store_for_host("nowhere.example:8000") == store


def test_without_a_default_store_an_unknown_host_has_no_store(other_store):
    assert store_for_host("nowhere.example") is None


def test_each_host_shows_its_own_store_and_an_unknown_one_the_default(store, other_store):
    client = Client()

    def title(host: str) -> str:
        response = client.get(reverse("storefront:home"), HTTP_HOST=host)
        assert response.status_code == 200
        return response.wsgi_request.store.name

    assert title("other.testserver") == "Other Shop"
    assert title("testserver") == "Test Shop"
    assert title("unknown.testserver") == "Test Shop"
    assert "Other Shop" in client.get("/", HTTP_HOST="other.testserver").content.decode()
    assert "Test Shop" in client.get("/", HTTP_HOST="unknown.testserver").content.decode()


# --- set_account_sharing ------------------------------------------------------------------


@pytest.fixture
def shared(db) -> Store:
    """A store that already shares accounts."""
    return store_actions.create_store(
        name="Shared Shop", hostname="shared.testserver", shares_accounts=True
    )


def test_a_store_joining_the_shared_realm_brings_its_customers(store, shared, merchant):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=None)
    old_realm_id = store.account_realm_id

    joined = actions.set_account_sharing(store, shares_accounts=True, actor=merchant)

    store.refresh_from_db()
    anna.refresh_from_db()
    merchant.refresh_from_db()
    assert joined.shares_accounts
    assert store.shares_accounts
    assert store.account_realm_id == shared.account_realm_id
    assert anna.realm_id == shared.account_realm_id
    assert merchant.realm_id == shared.account_realm_id
    assert not AccountRealm.objects.filter(pk=old_realm_id).exists()
    event = anna.events.get(kind=Kind.REALM_CHANGED)
    assert (event.actor, event.data) == (merchant, {"store_id": store.pk, "shared": True})
    assert queries.customer_by_email(shared, "anna@example.com") == anna


def test_joining_is_refused_when_an_email_is_in_both_realms_and_nothing_changes(
    store, shared, merchant
):
    here = actions.create_customer(store=store, email="anna@example.com", actor=None)
    there = actions.create_customer(store=shared, email="anna@example.com", actor=None)
    old_realm_id = store.account_realm_id
    assert queries.account_sharing_conflict(store, shares_accounts=True)

    with pytest.raises(RealmChangeConflict):
        actions.set_account_sharing(store, shares_accounts=True, actor=merchant)

    store.refresh_from_db()
    here.refresh_from_db()
    there.refresh_from_db()
    assert not store.shares_accounts
    assert store.account_realm_id == old_realm_id
    assert here.realm_id == old_realm_id
    assert there.realm_id == shared.account_realm_id
    assert not CustomerEvent.objects.filter(kind=Kind.REALM_CHANGED).exists()
    assert AccountRealm.objects.filter(pk=old_realm_id).exists()


def test_no_conflict_is_reported_when_the_emails_differ(store, shared):
    actions.create_customer(store=store, email="anna@example.com", actor=None)
    actions.create_customer(store=shared, email="ben@example.com", actor=None)

    assert not queries.account_sharing_conflict(store, shares_accounts=True)
    assert not queries.account_sharing_conflict(store, shares_accounts=False)


def test_a_store_leaving_the_shared_realm_takes_only_the_customers_first_recorded_there(
    db, merchant
):
    north = store_actions.create_store(
        name="North", hostname="north.testserver", shares_accounts=True
    )
    south = store_actions.create_store(
        name="South", hostname="south.testserver", shares_accounts=True
    )
    anna = actions.create_customer(store=north, email="anna@example.com", actor=None)
    ben = actions.create_customer(store=south, email="ben@example.com", actor=None)

    actions.set_account_sharing(south, shares_accounts=False, actor=merchant)

    south.refresh_from_db()
    anna.refresh_from_db()
    ben.refresh_from_db()
    assert not south.shares_accounts
    assert not south.account_realm.is_shared
    assert south.account_realm_id != north.account_realm_id
    assert ben.realm_id == south.account_realm_id
    assert anna.realm_id == north.account_realm_id
    assert queries.customer_by_email(south, "anna@example.com") is None
    assert queries.customer_by_email(south, "ben@example.com") == ben
    assert ben.events.get(kind=Kind.REALM_CHANGED).data == {"store_id": south.pk, "shared": False}
    assert not anna.events.filter(kind=Kind.REALM_CHANGED).exists()


def test_setting_the_sharing_a_store_already_has_changes_nothing(store, merchant):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=None)
    realm_id = store.account_realm_id

    actions.set_account_sharing(store, shares_accounts=False, actor=merchant)

    store.refresh_from_db()
    assert store.account_realm_id == realm_id
    assert not anna.events.filter(kind=Kind.REALM_CHANGED).exists()


def test_after_joining_the_same_email_cannot_be_recorded_twice_across_the_sharing_stores(
    store, shared, merchant
):
    store = actions.set_account_sharing(store, shares_accounts=True, actor=merchant)
    actions.create_customer(store=store, email="anna@example.com", actor=None)

    with pytest.raises(EmailTaken):
        actions.create_customer(store=shared, email="anna@example.com", actor=None)

    assert Customer.objects.filter(email="anna@example.com").count() == 1
