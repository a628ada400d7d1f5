"""`place_order` with a shipping charge and the guest flag: shipping is
taxed at the store's standard rate (0 % under reverse charge) and counts in
the totals and the tax per rate."""

from decimal import Decimal

import pytest

from shop_accounts.customers import actions as customer_actions
from shop_accounts.orders.actions import ShippingCharge, place_order
from shop_accounts.orders.errors import InvalidShippingCharge, TotalChanged
from shop_accounts.orders.models import Order
from tests.checkout.conftest import ADDRESS, new_key

pytestmark = pytest.mark.django_db


def place(shop, customer, *lines, **options) -> Order:
    options.setdefault("billing", ADDRESS)
    options.setdefault("payment_method", Order.PaymentMethod.BANK_TRANSFER)
    options.setdefault("idempotency_key", new_key())
    return place_order(shop, customer, lines=list(lines), **options)


def test_shipping_is_taxed_at_the_standard_rate_and_counts_in_the_totals(shop, guest, towel, bread):
    order = place(
        shop,
        guest,
        (towel, 1),
        (bread, 2),
        shipping_charge=ShippingCharge(name="Standard", net=Decimal("4.00")),
    )

    saved = Order.objects.get(pk=order.pk)
    # Goods 12.40 (21 %) + 4.70 (9 %), shipping 4.00 (21 %): 16.40 × 21 % = 3.444 → 3.44.
    assert saved.tax_breakdown == [
        {"rate": "21.00", "net": "16.40", "tax": "3.44"},
        {"rate": "9.00", "net": "4.70", "tax": "0.42"},
    ]
    assert (saved.shipping_name, saved.shipping_net, saved.shipping_tax_rate) == (
        "Standard",
        Decimal("4.00"),
        Decimal("21.00"),
    )
    assert (saved.total_net, saved.total_tax, saved.total_gross) == (
        Decimal("21.10"),
        Decimal("3.86"),
        Decimal("24.96"),
    )
    assert saved.placed_as_guest is False


def test_free_shipping_is_a_zero_charge_with_its_name(shop, guest, towel):
    order = place(
        shop, guest, (towel, 1), shipping_charge=ShippingCharge(name="Standard", net=Decimal("0"))
    )

    saved = Order.objects.get(pk=order.pk)
    assert (saved.shipping_name, saved.shipping_net) == ("Standard", Decimal("0.00"))
    assert saved.total_gross == Decimal("15.00")


def test_without_a_charge_an_order_has_no_shipping(shop, guest, towel):
    saved = Order.objects.get(pk=place(shop, guest, (towel, 1)).pk)

    assert (saved.shipping_name, saved.shipping_net, saved.shipping_tax_rate) == (
        "",
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert saved.total_gross == Decimal("15.00")


def test_shipping_is_zero_rated_under_reverse_charge(shop, towel):
    buyer = customer_actions.create_customer(
        store=shop,
        email="buyer@example.de",
        actor=None,
        customer_type="business",
        company_name="Käufer GmbH",
    )

    order = place(
        shop,
        buyer,
        (towel, 1),
        vat_number="DE136695976",
        shipping_charge=ShippingCharge(name="Neighbours", net=Decimal("7.00")),
    )

    saved = Order.objects.get(pk=order.pk)
    assert saved.reverse_charge is True
    assert saved.shipping_tax_rate == Decimal("0.00")
    assert saved.tax_breakdown == [{"rate": "0.00", "net": "19.40", "tax": "0.00"}]
    assert saved.total_gross == Decimal("19.40")


def test_the_confirmed_total_includes_shipping(shop, guest, towel):
    charge = ShippingCharge(name="Express", net=Decimal("9.00"))

    with pytest.raises(TotalChanged) as refused:
        place(shop, guest, (towel, 1), shipping_charge=charge, expected_total=Decimal("15.00"))

    assert refused.value.total == Decimal("25.89")
    assert not Order.objects.exists()
    order = place(shop, guest, (towel, 1), shipping_charge=charge, expected_total=Decimal("25.89"))
    assert order.total_gross == Decimal("25.89")


def test_a_negative_shipping_charge_is_refused(shop, guest, towel):
    with pytest.raises(InvalidShippingCharge):
        place(shop, guest, (towel, 1), shipping_charge=ShippingCharge("Odd", Decimal("-1.00")))

    assert not Order.objects.exists()


def test_an_order_placed_without_signing_in_is_marked_as_a_guests(shop, guest, towel):
    order = place(shop, guest, (towel, 1), placed_as_guest=True)

    assert Order.objects.get(pk=order.pk).placed_as_guest is True
