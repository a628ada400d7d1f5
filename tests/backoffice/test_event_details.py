"""The audit trail on the customer page reads as sentences in the merchant's
language, not as stored keys and values; an event of a kind the page does not
know yet still shows everything it holds."""

import re
from html import unescape

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shop_accounts.backoffice.customers.event_details import describe
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.identity import factor_locks
from shop_accounts.identity.models import FactorFailures
from shop_accounts.stores import actions as store_actions


def trail(merchant_client: Client, customer: Customer, language: str = "en") -> list[list[str]]:
    """The rows of the events table as the merchant reads them: event and details."""
    merchant_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = merchant_client.get(
        reverse("backoffice:customers_customer_change", args=[customer.pk])
    )
    assert response.status_code == 200
    return [[row[1], row[3]] for row in rows_of_events_table(response.content.decode())]


def rows_of_events_table(html: str) -> list[list[str]]:
    start = html.index('<table class="customer-events')
    table = html[start : html.index("</table>", start)]
    rows = re.findall(r"<tr>\s*(.*?)\s*</tr>", table, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [[unescape(cell).strip() for cell in row] for row in cells if row]


def test_the_trail_says_what_changed_in_words(store, merchant, merchant_client):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=merchant)
    actions.update_customer(anna, actor=merchant, first_name="Anna", vat_number="NL123")
    actions.change_customer_email(anna, email="anna.berg@example.com", actor=merchant)
    actions.set_marketing_consent(anna, accepts=True, source="my_account", actor=anna)

    rows = trail(merchant_client, anna)

    assert ["Record created", "By the merchant"] in rows
    assert ["Data changed", "Changed: first name, VAT number"] in rows
    assert ["Data changed", "Changed: email (was anna@example.com)"] in rows
    assert ["Marketing consent changed", "Given: In My Account"] in rows


def test_the_trail_words_sign_up_security_and_sign_outs(
    store, merchant, merchant_client, make_account_holder, monkeypatch
):
    monkeypatch.setenv("SHOP_FACTOR_FAILURE_LIMIT", "3")
    store = store_actions.update_store(store, signup_mode="approval")
    bea = actions.register_customer(
        store=store, email="bea@example.com", password=None, language="en", company_name="Bea BV"
    )
    actions.approve_registration(bea, actor=merchant)
    for _failure in range(3):
        factor_locks.record_factor_failure(bea, FactorFailures.Factor.PASSWORD, store=store)
    actions.deactivate_account(bea, actor=merchant)

    rows = trail(merchant_client, bea)

    assert ["Signed up", "Free sign-up with manual approval; given: company name: Bea BV"] in rows
    assert ["Registration approved", ""] in rows
    assert [
        "Sign-in method locked after too many failures",
        "Password, after 3 failures in a row",
    ] in rows
    assert ["Account deactivated", "Was: Active"] in rows


def test_the_trail_is_worded_in_the_merchants_language(store, merchant, merchant_client):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=merchant)
    actions.update_customer(anna, actor=merchant, first_name="Anna")

    rows = trail(merchant_client, anna, language="de")

    assert ["Daten geändert", "Geändert: Vorname"] in rows


def test_a_kind_the_page_does_not_know_shows_its_data_as_stored(store):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=None)
    event = CustomerEvent(customer=anna, kind="future_kind", data={"order": "1001", "total": "9"})

    with translation.override("en"):
        assert describe(event) == "order: 1001; total: 9"


def test_a_realm_change_names_the_store_by_its_current_name(store, merchant, merchant_client):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=merchant)
    actions.set_account_sharing(store, shares_accounts=True, actor=merchant)
    store_actions.update_store(store, name="Renamed Shop")

    rows = trail(merchant_client, anna)

    assert [
        "Moved to another account realm",
        "Renamed Shop now shares accounts with other stores",
    ] in rows


def test_a_realm_change_recorded_with_the_store_name_still_reads_as_before(store):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=None)
    old_row = CustomerEvent(
        customer=anna,
        kind=CustomerEvent.Kind.REALM_CHANGED,
        data={"store": "Old Shop", "shared": False},
    )

    with translation.override("en"):
        assert describe(old_row) == "Old Shop now keeps its own accounts"


def test_an_address_on_the_trail_names_its_country_in_the_merchants_language(
    store, merchant, merchant_client
):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=merchant)
    actions.add_address(
        anna,
        actor=merchant,
        street="Keizersgracht",
        house_number="12",
        postal_code="1015 CX",
        city="Amsterdam",
        country="NL",
    )

    rows = trail(merchant_client, anna, language="de")

    assert ["Adresse hinzugefügt", "Keizersgracht 12, 1015 CX Amsterdam, Niederlande"] in rows


def test_an_address_recorded_with_its_country_written_out_still_reads_as_before(store):
    anna = actions.create_customer(store=store, email="anna@example.com", actor=None)
    old_row = CustomerEvent(
        customer=anna,
        kind=CustomerEvent.Kind.ADDRESS_ADDED,
        data={"address_id": 1, "address": "Keizersgracht 12, 1015 CX Amsterdam, Netherlands"},
    )

    with translation.override("de"):
        assert describe(old_row) == "Keizersgracht 12, 1015 CX Amsterdam, Netherlands"
