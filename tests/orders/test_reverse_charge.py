"""EU reverse charge: a business customer with a format-valid VAT number of
another EU member state than the store's pays 0 %, and the order carries the
legal note; anyone else pays the store country's VAT."""

from decimal import Decimal

import pytest

from shop_accounts.customers import actions as customer_actions
from shop_accounts.orders.tax import vat_number_country, vat_treatment
from shop_accounts.stores import actions as store_actions

NOTE = "Reverse charge: VAT to be accounted for by the recipient, Art. 196 Directive 2006/112/EC"
GERMAN_VAT = "DE136695976"
DUTCH_VAT = "NL004495445B01"


def business(customer, vat_number: str, **fields):
    return customer_actions.update_customer(
        customer,
        actor=None,
        customer_type="business",
        company_name="Muster GmbH",
        vat_number=vat_number,
        **fields,
    )


def test_a_business_of_another_member_state_pays_no_vat_and_gets_the_note(
    place, customer, towel, bread
):
    order = place((towel, 2), (bread, 1), customer=business(customer, GERMAN_VAT))

    assert order.reverse_charge is True
    assert order.reverse_charge_note == NOTE
    assert order.vat_number == GERMAN_VAT
    assert (order.total_net, order.total_tax, order.total_gross) == (
        Decimal("27.15"),
        Decimal("0.00"),
        Decimal("27.15"),
    )
    assert {line.tax_rate for line in order.lines.all()} == {Decimal("0.00")}
    assert order.tax_breakdown == [{"rate": "0.00", "net": "27.15", "tax": "0.00"}]


def test_the_note_is_in_the_customers_language(place, customer, towel):
    order = place((towel, 1), customer=business(customer, GERMAN_VAT, language="de"))

    assert order.reverse_charge_note == (
        "Steuerschuldnerschaft des Leistungsempfängers: Die Umsatzsteuer schuldet der "
        "Leistungsempfänger, Art. 196 Richtlinie 2006/112/EG"
    )


def test_a_vat_number_written_with_spaces_is_kept_compact(place, customer, towel):
    order = place((towel, 1), customer=business(customer, "de 136 695 976"))

    assert order.reverse_charge is True
    assert order.vat_number == GERMAN_VAT


def test_a_business_of_the_stores_own_country_pays_vat(place, customer, towel):
    order = place((towel, 1), customer=business(customer, DUTCH_VAT))

    assert order.reverse_charge is False
    assert order.reverse_charge_note == ""
    assert order.total_tax == Decimal("2.60")


@pytest.mark.parametrize("vat_number", ["DE123456789", "DE13669597", "", "US123456789"])
def test_a_number_that_is_not_valid_in_form_means_normal_vat(place, customer, towel, vat_number):
    order = place((towel, 1), customer=business(customer, vat_number))

    assert order.reverse_charge is False
    assert order.total_tax == Decimal("2.60")


def test_a_private_customer_with_a_vat_number_pays_vat(place, customer, towel):
    customer = customer_actions.update_customer(customer, actor=None, vat_number=GERMAN_VAT)

    order = place((towel, 1), customer=customer)

    assert order.reverse_charge is False
    assert order.total_tax == Decimal("2.60")


def test_a_store_outside_the_eu_never_applies_reverse_charge(store, place, customer, towel):
    store_actions.update_store(store, country="NO", currency="NOK")
    store.refresh_from_db()

    order = place((towel, 1), store=store, customer=business(customer, GERMAN_VAT))

    assert order.reverse_charge is False
    assert order.currency == "NOK"
    assert order.lines.get().tax_rate == Decimal("25.00")
    assert order.total_tax == Decimal("3.10")


def test_the_vat_number_given_at_checkout_wins_over_the_records(place, customer, towel):
    customer = business(customer, DUTCH_VAT)

    order = place((towel, 1), customer=customer, vat_number=GERMAN_VAT)

    assert order.reverse_charge is True
    assert order.vat_number == GERMAN_VAT


@pytest.mark.parametrize(
    ("number", "country"),
    [
        (GERMAN_VAT, "DE"),
        ("EL094259216", "GR"),
        ("ATU13585627", "AT"),
        ("XI123456782", "XI"),
        ("NO123456785", None),
        ("DE123", None),
    ],
)
def test_the_country_of_a_vat_number(number, country):
    assert vat_number_country(number) == country


def test_northern_irish_numbers_are_not_a_member_states():
    treatment = vat_treatment(store_country="NL", is_business=True, vat_number="XI123456782")

    assert treatment.reverse_charge is False
