"""Locked sign-in methods on the customer's page: the merchant sees which of
the customer's methods (password, authenticator app, recovery codes, emailed
code) are locked after too many failures in a row and since when, and
unlocks one with a button: a staff-only POST that starts its count again and
records FACTOR_UNLOCKED with the merchant as the actor. The other locks stay."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.identity.factor_locks import record_factor_failure
from shop_accounts.identity.models import FactorFailures
from tests.conftest import PASSWORD

Factor = FactorFailures.Factor
Kind = CustomerEvent.Kind
WRONG = "not the password at all"
LOCKED_AT = datetime(2026, 11, 20, 7, 30, tzinfo=UTC)  # 08:30 in Amsterdam


@pytest.fixture(autouse=True)
def limit_of_three(monkeypatch):
    monkeypatch.setenv("SHOP_FACTOR_FAILURE_LIMIT", "3")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anna(store, make_account_holder) -> Customer:
    """A customer whose password and authenticator app are locked."""
    anna = make_account_holder(store, "anna@example.com", first_name="Anna")
    with time_machine.travel(LOCKED_AT, tick=False):
        for _attempt in range(3):
            Client().post(reverse("account_login"), {"login": anna.email, "password": WRONG})
            record_factor_failure(anna, Factor.TOTP, store=store)
    return anna


def change_url(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_change", args=[customer.pk])


def unlock_url(customer: Customer, factor: str) -> str:
    return reverse("backoffice:customers_customer_unlock_factor", args=[customer.pk, factor])


def locked(customer: Customer) -> list[str]:
    return sorted(
        FactorFailures.objects.filter(customer=customer, locked_at__isnull=False).values_list(
            "factor", flat=True
        )
    )


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def signs_in(email: str, password: str = PASSWORD) -> bool:
    client = Client()
    client.post(reverse("account_login"), {"login": email, "password": password})
    return client.get(reverse("storefront:my-account")).wsgi_request.user.is_authenticated


def test_the_customer_page_shows_each_locked_method_and_since_when(anna, merchant_client):
    page = merchant_client.get(change_url(anna)).content.decode()

    assert "Sign-in methods and devices" in page
    assert '<th scope="row" id="locked-password">Password</th>' in page
    assert '<th scope="row" id="locked-totp">Authenticator app</th>' in page
    assert "Nov. 20, 2026, 8:30 a.m." in page
    assert f'formaction="{unlock_url(anna, Factor.PASSWORD)}"' in page
    assert f'formaction="{unlock_url(anna, Factor.TOTP)}"' in page
    assert unlock_url(anna, Factor.EMAIL_CODE) not in page
    assert unlock_url(anna, Factor.RECOVERY_CODE) not in page


def test_a_customer_without_locks_shows_that_nothing_is_locked(
    store, make_account_holder, merchant_client
):
    ben = make_account_holder(store, "ben@example.com")

    page = merchant_client.get(change_url(ben)).content.decode()

    assert "No sign-in method is locked." in page


def test_unlocking_the_password_lets_it_sign_in_again_and_records_the_merchant(
    anna, merchant, merchant_client
):
    assert not signs_in("anna@example.com")

    response = merchant_client.post(unlock_url(anna, Factor.PASSWORD))

    assert response.status_code == 302
    assert response["Location"] == change_url(anna)
    assert told(response) == ["Signing in with a password works again for anna@example.com."]
    assert locked(anna) == [Factor.TOTP]
    counter = FactorFailures.objects.get(customer=anna, factor=Factor.PASSWORD)
    assert (counter.consecutive, counter.locked_at) == (0, None)
    event = anna.events.get(kind=Kind.FACTOR_UNLOCKED)
    assert (event.actor, event.data) == (merchant, {"factor": Factor.PASSWORD})
    assert signs_in("anna@example.com")


def test_unlocking_a_method_that_is_not_locked_says_so_and_changes_nothing(anna, merchant_client):
    response = merchant_client.post(unlock_url(anna, Factor.EMAIL_CODE))

    assert told(response) == ["This sign-in method is not locked."]
    assert locked(anna) == [Factor.PASSWORD, Factor.TOTP]
    assert not anna.events.filter(kind=Kind.FACTOR_UNLOCKED).exists()


def test_an_unknown_sign_in_method_is_not_found(anna, merchant_client):
    assert merchant_client.post(unlock_url(anna, "carrier-pigeon")).status_code == 404
    assert locked(anna) == [Factor.PASSWORD, Factor.TOTP]


def test_unlock_answers_only_to_post(anna, merchant_client):
    assert merchant_client.get(unlock_url(anna, Factor.PASSWORD)).status_code == 405
    assert locked(anna) == [Factor.PASSWORD, Factor.TOTP]
    assert not anna.events.filter(kind=Kind.FACTOR_UNLOCKED).exists()


def test_unlock_is_only_for_staff(anna, store, make_account_holder):
    shopper = make_account_holder(store, "shopper@example.com")
    client = Client()
    client.force_login(shopper)

    response = client.post(unlock_url(anna, Factor.PASSWORD))

    assert response.status_code == 302
    assert not response["Location"].startswith(change_url(anna))
    assert locked(anna) == [Factor.PASSWORD, Factor.TOTP]
    assert not anna.events.filter(kind=Kind.FACTOR_UNLOCKED).exists()
