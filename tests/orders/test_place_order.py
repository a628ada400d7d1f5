"""Placing an order: totals per tax rate, snapshots that later changes do not
rewrite, and every refusal typed, with nothing ordered."""

from decimal import Decimal

import pytest
from django.utils import translation

from shop_accounts.catalog.actions import create_product, update_product
from shop_accounts.catalog.models import Product
from shop_accounts.customers import actions as customer_actions
from shop_accounts.orders.errors import (
    CustomerOfAnotherRealm,
    EmptyOrder,
    IdempotencyKeyReused,
    InvalidCheckoutKey,
    InvalidOrderAddress,
    InvalidQuantity,
    OutOfStock,
    PriceChange,
    ProductUnavailable,
    TotalChanged,
    UnknownPaymentMethod,
)
from shop_accounts.orders.models import Order, OrderCounter, OrderEvent, OrderLine
from tests.orders.conftest import ADDRESS


def nothing_ordered() -> bool:
    return not Order.objects.exists() and not OrderLine.objects.exists()


def test_totals_add_the_lines_and_compute_the_tax_once_per_rate(place, towel, bread, stamp):
    order = place((towel, 2), (bread, 3), (stamp, 1))

    # Nets 24.80 (21 %), 7.05 (9 %), 1.00 (0 %): tax 5.208 → 5.21 and 0.6345 → 0.63.
    assert order.tax_breakdown == [
        {"rate": "21.00", "net": "24.80", "tax": "5.21"},
        {"rate": "9.00", "net": "7.05", "tax": "0.63"},
        {"rate": "0.00", "net": "1.00", "tax": "0.00"},
    ]
    saved = Order.objects.get(pk=order.pk)
    assert (saved.total_net, saved.total_tax, saved.total_gross) == (
        Decimal("32.85"),
        Decimal("5.84"),
        Decimal("38.69"),
    )
    assert saved.currency == "EUR"
    assert [
        (line.name, line.sku, line.quantity, line.unit_price_net, line.tax_rate, line.line_net)
        for line in saved.lines.all()
    ] == [
        ("Linen towel", "TW-1", 2, Decimal("12.40"), Decimal("21.00"), Decimal("24.80")),
        ("Rye bread", "BR-1", 3, Decimal("2.35"), Decimal("9.00"), Decimal("7.05")),
        ("Stamp", "ST-1", 1, Decimal("1.00"), Decimal("0.00"), Decimal("1.00")),
    ]


def test_tax_per_rate_differs_from_adding_each_lines_rounded_tax(store, place):
    cheap = [create_product(store, name=f"Clip {n}", price=Decimal("0.07")) for n in range(3)]

    order = place(*((product, 1) for product in cheap))

    # Per line 0.0147 → 0.01, three times 0.03; per rate 0.21 × 21 % → 0.04.
    assert (order.total_net, order.total_tax, order.total_gross) == (
        Decimal("0.21"),
        Decimal("0.04"),
        Decimal("0.25"),
    )


def test_orders_are_numbered_per_store_from_1001_with_an_unguessable_link(
    place, towel, other_store
):
    first = place((towel, 1))
    second = place((towel, 1))
    guest = customer_actions.create_customer(store=other_store, email="bo@example.com", actor=None)
    elsewhere = place(
        (create_product(other_store, name="Chair", price=Decimal("80.00")), 1),
        store=other_store,
        customer=guest,
    )

    assert (first.number, second.number, elsewhere.number) == (1001, 1002, 1001)
    assert len(first.public_token) >= 43
    assert first.public_token != second.public_token
    assert str(first.number) not in first.public_token


def test_the_order_copies_addresses_email_company_and_vat_number(store, place, towel, customer):
    customer = customer_actions.update_customer(
        customer, actor=None, company_name="Jansen Studio", vat_number="NL004495445B01"
    )
    shipping = {**ADDRESS, "street": "Prinsengracht", "house_number": "7"}

    order = place((towel, 1), customer=customer, shipping=shipping)
    customer_actions.update_customer(
        customer, actor=None, company_name="Other BV", vat_number="", first_name="Ann"
    )
    customer_actions.change_customer_email(customer, email="ann@example.com", actor=None)

    saved = Order.objects.get(pk=order.pk)
    assert (saved.email, saved.company_name, saved.vat_number) == (
        "anna@example.com",
        "Jansen Studio",
        "NL004495445B01",
    )
    assert saved.billing_address["street"] == "Keizersgracht"
    assert saved.shipping_address["street"] == "Prinsengracht"
    assert saved.shipping_address["country"] == "NL"
    assert saved.language == "en"


def test_shipping_defaults_to_billing_and_a_saved_address_can_be_used(place, towel, customer):
    address = customer_actions.add_address(
        customer, actor=None, street="Damrak", house_number="1", city="Amsterdam", country="NL"
    )

    order = place((towel, 1), billing=address)

    assert order.billing_address == order.shipping_address
    assert order.billing_address["street"] == "Damrak"
    assert order.billing_address["name"] == "Anna Jansen"


def test_a_later_price_or_name_change_does_not_change_the_order(place, towel, bread):
    order = place((towel, 2), (bread, 1))

    update_product(towel, price=Decimal("99.00"), name="Silk towel", sku="TW-9")
    bread.delete()

    saved = Order.objects.get(pk=order.pk)
    assert saved.total_gross == Decimal("32.57")
    lines = list(saved.lines.all())
    assert [(line.name, line.sku, line.unit_price_net) for line in lines] == [
        ("Linen towel", "TW-1", Decimal("12.40")),
        ("Rye bread", "BR-1", Decimal("2.35")),
    ]
    assert lines[1].product is None


def test_a_price_changed_since_the_shopper_looked_is_refused_naming_it(place, towel, bread):
    seen_towel = Product.objects.get(pk=towel.pk)  # what the checkout page showed
    update_product(towel, price=Decimal("13.00"))

    with pytest.raises(TotalChanged) as refused:
        place((seen_towel, 2), (bread, 1), expected_total=Decimal("32.57"))

    assert refused.value.changes == [
        PriceChange(towel.pk, "Linen towel", Decimal("12.40"), Decimal("13.00"))
    ]
    assert refused.value.total == Decimal("34.02")
    assert refused.value.text() == (
        "The total changed from 32.57 to 34.02 EUR since you looked. "
        "Nothing was ordered: check the order and confirm it again."
    )
    assert nothing_ordered()
    assert not OrderCounter.objects.exists()


def test_the_new_total_confirmed_again_places_the_order(place, towel):
    seen = Product.objects.get(pk=towel.pk)
    update_product(towel, price=Decimal("13.00"))

    order = place((seen, 1), expected_total=Decimal("15.73"))

    assert order.total_gross == Decimal("15.73")
    assert order.lines.get().unit_price_net == Decimal("13.00")


def test_an_inactive_product_is_refused_with_a_translated_message(place, towel, bread):
    seen = Product.objects.get(pk=towel.pk)
    update_product(towel, is_published=False)

    with pytest.raises(ProductUnavailable) as refused:
        place((bread, 1), (seen, 1))

    assert refused.value.product_id == towel.pk
    assert refused.value.text() == "“Linen towel” is no longer available."
    with translation.override("de"):
        assert refused.value.text() == "„Linen towel“ ist nicht mehr erhältlich."
    assert nothing_ordered()


def test_a_product_of_another_store_or_one_deleted_is_unavailable(place, other_store, towel):
    foreign = create_product(other_store, name="Chair", price=Decimal("80.00"))
    with pytest.raises(ProductUnavailable):
        place((foreign, 1))

    gone = Product.objects.get(pk=towel.pk)
    towel.delete()
    with pytest.raises(ProductUnavailable):
        place((gone, 1))
    assert nothing_ordered()


@pytest.mark.parametrize("quantity", [0, -1, 1000, True, "2", 2.0])
def test_a_quantity_outside_1_to_999_is_refused(place, towel, quantity):
    with pytest.raises(InvalidQuantity) as refused:
        place((towel, quantity))

    assert refused.value.text() == (
        "The quantity of “Linen towel” must be a whole number from 1 to 999."
    )
    with translation.override("nl"):
        assert "1 tot en met 999" in refused.value.text()
    assert nothing_ordered()


def test_the_same_product_twice_is_one_line_within_the_bounds(place, towel):
    order = place((towel, 400), (towel, 599))
    assert [(line.name, line.quantity) for line in order.lines.all()] == [("Linen towel", 999)]

    with pytest.raises(InvalidQuantity):
        place((towel, 500), (towel, 500))


def test_tracked_stock_is_taken_and_never_oversold(store, place):
    lamp = create_product(store, name="Lamp", price=Decimal("40.00"), track_stock=True, stock=3)

    place((lamp, 2))
    with pytest.raises(OutOfStock) as refused:
        place((lamp, 2))

    assert refused.value.available == 1
    assert refused.value.text() == "“Lamp”: only 1 left in stock."
    lamp.refresh_from_db()
    assert lamp.stock == 1
    assert Order.objects.count() == 1


def test_untracked_stock_is_never_short(place, towel):
    place((towel, 999))
    towel.refresh_from_db()
    assert (towel.track_stock, towel.stock) == (False, 0)


def test_an_empty_order_is_refused(place):
    with pytest.raises(EmptyOrder):
        place()
    assert nothing_ordered()


def test_an_unknown_payment_method_is_refused(place, towel):
    with pytest.raises(UnknownPaymentMethod):
        place((towel, 1), payment_method="card")
    assert nothing_ordered()


def test_an_address_missing_fields_or_with_an_unknown_country_is_refused_per_field(place, towel):
    billing = {"name": "Anna", "street": " ", "city": "Amsterdam", "country": "XX"}
    shipping = {**ADDRESS, "postal_code": "1" * 21, "floor": "3"}

    with pytest.raises(InvalidOrderAddress) as refused:
        place((towel, 1), billing=billing, shipping=shipping)

    assert refused.value.errors == {
        "billing.street": ["This field is required."],
        "billing.country": ["Choose a country from the list."],
        "shipping.floor": ["This field is not part of an address."],
        "shipping.postal_code": ["Use at most 20 characters."],
    }
    assert nothing_ordered()


def test_a_customer_of_another_realm_cannot_order_in_the_store(place, towel, other_store):
    stranger = customer_actions.create_customer(
        store=other_store, email="anna@example.com", actor=None
    )

    with pytest.raises(CustomerOfAnotherRealm):
        place((towel, 1), customer=stranger)
    assert nothing_ordered()


def test_placing_again_with_the_same_key_returns_the_first_order(place, store, towel):
    lamp = create_product(store, name="Lamp", price=Decimal("40.00"), track_stock=True, stock=5)
    first = place((towel, 1), (lamp, 2), idempotency_key="checkout-twice")

    again = place((towel, 1), (lamp, 2), idempotency_key="checkout-twice")

    assert again.pk == first.pk
    assert Order.objects.count() == 1
    assert OrderEvent.objects.filter(kind=OrderEvent.Kind.PLACED).count() == 1
    lamp.refresh_from_db()
    assert lamp.stock == 3


def test_another_customers_checkout_key_is_refused(place, store, towel):
    place((towel, 1), idempotency_key="checkout-shared")
    bert = customer_actions.create_customer(store=store, email="bert@example.com", actor=None)

    with pytest.raises(IdempotencyKeyReused):
        place((towel, 1), customer=bert, idempotency_key="checkout-shared")
    assert Order.objects.count() == 1


def test_placing_records_the_event_with_ids(place, towel, customer, store):
    order = place((towel, 1))

    event = OrderEvent.objects.get(order=order)
    assert event.kind == OrderEvent.Kind.PLACED
    assert event.actor is None
    assert event.data == {
        "store_id": store.pk,
        "customer_id": customer.pk,
        "total": "15.00",
        "payment_method": "bank_transfer",
    }


@pytest.mark.parametrize("key", ["", "k" * 101])
def test_a_missing_or_overlong_checkout_key_is_refused(place, towel, key):
    with pytest.raises(InvalidCheckoutKey) as refused:
        place((towel, 1), idempotency_key=key)

    assert refused.value.text() == "This checkout has expired. Start the checkout again."
    assert nothing_ordered()


def test_an_overlong_company_or_vat_number_is_refused_per_field(place, towel):
    with pytest.raises(InvalidOrderAddress) as refused:
        place((towel, 1), company_name="C" * 201, vat_number="V" * 41)

    assert refused.value.errors == {
        "company_name": ["Use at most 200 characters."],
        "vat_number": ["Use at most 40 characters."],
    }
    assert nothing_ordered()
