"""A customer's addresses: several, each for billing and/or shipping, with one
default billing and one default shipping address that switch as they change."""

import pytest

from shop_accounts.customers import actions, queries
from shop_accounts.customers.errors import InvalidAddress
from shop_accounts.customers.models import Address, Customer, CustomerEvent

Kind = CustomerEvent.Kind

HOME = {
    "street": "Keizersgracht",
    "house_number": "12",
    "house_number_extension": "A",
    "postal_code": "1015 CX",
    "city": "Amsterdam",
    "country": "NL",
}
OFFICE = {
    "company": "Berg BV",
    "attention_of": "Purchasing",
    "street": "Stationsplein",
    "house_number": "1",
    "postal_code": "3511 ED",
    "city": "Utrecht",
    "country": "NL",
    "phone": "+31 30 123 4567",
}
WAREHOUSE = {"street": "Industrieweg", "house_number": "40", "city": "Tilburg", "country": "NL"}


@pytest.fixture
def anna(store) -> Customer:
    return actions.create_customer(store=store, email="anna@example.com", actor=None)


def defaults(customer: Customer) -> tuple[str | None, str | None]:
    """The streets of the default billing and default shipping address."""
    billing = Address.objects.filter(customer=customer, is_default_billing=True).first()
    shipping = Address.objects.filter(customer=customer, is_default_shipping=True).first()
    return (billing.street if billing else None, shipping.street if shipping else None)


def test_first_address_becomes_the_default_for_billing_and_shipping(anna, merchant):
    address = actions.add_address(anna, actor=merchant, **HOME)

    assert defaults(anna) == ("Keizersgracht", "Keizersgracht")
    assert address.lines() == [
        "",
        "",
        "Keizersgracht 12 A",
        "",
        "1015 CX Amsterdam",
        "",
        "Netherlands",
    ]
    event = anna.events.get(kind=Kind.ADDRESS_ADDED)
    assert event.actor == merchant
    assert event.data == {
        "address_id": address.pk,
        "address": "Keizersgracht 12 A, 1015 CX Amsterdam",
        "country": "NL",
    }


def test_a_second_address_does_not_take_over_the_defaults_unless_asked(anna, merchant):
    actions.add_address(anna, actor=merchant, **HOME)

    actions.add_address(anna, actor=merchant, **OFFICE)

    assert defaults(anna) == ("Keizersgracht", "Keizersgracht")
    assert queries.addresses_for(anna).count() == 2


def test_new_default_billing_address_replaces_the_old_one_and_shipping_stays(anna, merchant):
    actions.add_address(anna, actor=merchant, **HOME)

    actions.add_address(anna, actor=merchant, default_billing=True, **OFFICE)

    assert defaults(anna) == ("Stationsplein", "Keizersgracht")


def test_a_shipping_only_address_never_becomes_the_billing_default(anna, merchant):
    actions.add_address(anna, actor=merchant, use_for_billing=False, **WAREHOUSE)

    assert defaults(anna) == (None, "Industrieweg")

    actions.add_address(anna, actor=merchant, use_for_shipping=False, **OFFICE)

    assert defaults(anna) == ("Stationsplein", "Industrieweg")


def test_making_an_address_the_default_for_shipping_also_makes_it_usable_for_shipping(
    anna, merchant
):
    actions.add_address(anna, actor=merchant, **HOME)
    office = actions.add_address(anna, actor=merchant, use_for_shipping=False, **OFFICE)

    actions.update_address(office, actor=merchant, default_shipping=True)

    office.refresh_from_db()
    assert office.use_for_shipping
    assert defaults(anna) == ("Keizersgracht", "Stationsplein")


def test_address_change_is_saved_and_recorded(anna, merchant):
    home = actions.add_address(anna, actor=merchant, **HOME)

    actions.update_address(home, actor=merchant, city="Haarlem", postal_code="2011 AB")

    home.refresh_from_db()
    assert (home.postal_code, home.city) == ("2011 AB", "Haarlem")
    assert home.is_default_billing and home.is_default_shipping
    event = anna.events.get(kind=Kind.ADDRESS_CHANGED)
    assert (event.data["address"], event.data["country"]) == (
        "Keizersgracht 12 A, 2011 AB Haarlem",
        "NL",
    )


def test_an_address_no_longer_used_for_billing_stops_being_the_billing_default(anna, merchant):
    home = actions.add_address(anna, actor=merchant, **HOME)

    actions.update_address(home, actor=merchant, use_for_billing=False)

    home.refresh_from_db()
    assert not home.is_default_billing
    assert home.is_default_shipping


def test_removing_the_default_address_makes_another_one_of_the_same_use_the_default(anna, merchant):
    home = actions.add_address(anna, actor=merchant, **HOME)
    actions.add_address(anna, actor=merchant, use_for_shipping=False, **OFFICE)
    actions.add_address(anna, actor=merchant, use_for_billing=False, **WAREHOUSE)

    actions.remove_address(home, actor=merchant)

    assert not Address.objects.filter(pk=home.pk).exists()
    assert defaults(anna) == ("Stationsplein", "Industrieweg")
    event = anna.events.get(kind=Kind.ADDRESS_REMOVED)
    assert event.actor == merchant
    assert event.data == {
        "address_id": home.pk,
        "address": "Keizersgracht 12 A, 1015 CX Amsterdam",
        "country": "NL",
    }


def test_removing_the_last_address_leaves_no_default(anna, merchant):
    home = actions.add_address(anna, actor=merchant, **HOME)

    actions.remove_address(home, actor=merchant)

    assert defaults(anna) == (None, None)
    assert not queries.addresses_for(anna).exists()


def test_an_address_for_neither_billing_nor_shipping_is_refused(anna, merchant):
    with pytest.raises(InvalidAddress):
        actions.add_address(
            anna, actor=merchant, use_for_billing=False, use_for_shipping=False, **HOME
        )

    assert not Address.objects.exists()
    assert not anna.events.filter(kind=Kind.ADDRESS_ADDED).exists()


@pytest.mark.parametrize(
    ("field", "value"), [("street", ""), ("city", ""), ("country", ""), ("country", "XX")]
)
def test_an_incomplete_address_is_refused(anna, merchant, field, value):
    with pytest.raises(InvalidAddress) as refused:
        actions.add_address(anna, actor=merchant, **{**HOME, field: value})

    assert field in refused.value.errors
    assert refused.value.code == "invalid_address"
    assert not Address.objects.exists()
    assert not anna.events.filter(kind=Kind.ADDRESS_ADDED).exists()


def test_an_invalid_change_leaves_the_address_as_it_was(anna, merchant):
    home = actions.add_address(anna, actor=merchant, **HOME)

    with pytest.raises(InvalidAddress):
        actions.update_address(home, actor=merchant, city="", country="XX")

    home.refresh_from_db()
    assert (home.city, home.country.code) == ("Amsterdam", "NL")
    assert not anna.events.filter(kind=Kind.ADDRESS_CHANGED).exists()


def test_an_address_is_found_only_for_its_own_customer(store, anna, merchant):
    ben = actions.create_customer(store=store, email="ben@example.com", actor=None)
    home = actions.add_address(anna, actor=merchant, **HOME)

    assert queries.address_of(anna, home.pk) == home
    assert queries.address_of(ben, home.pk) is None
