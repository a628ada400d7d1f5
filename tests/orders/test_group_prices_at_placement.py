"""A customer group's member pays their group price when the order is placed:
the line keeps the price paid and its discount, the order the sum of the
discounts; a group price changed since the shopper looked is a TotalChanged
like any price change, and nothing is ordered."""

from decimal import Decimal

import pytest

from shop_accounts.catalog import groups
from shop_accounts.catalog.actions import update_product
from shop_accounts.catalog.models import CustomerGroup
from shop_accounts.catalog.pricing import customer_prices
from shop_accounts.core.money import TaxBreakdown, line_total
from shop_accounts.orders.errors import PriceChange, TotalChanged
from shop_accounts.orders.models import Order, OrderLine


@pytest.fixture
def trade(store, customer) -> CustomerGroup:
    group = groups.create_customer_group(store, name="Trade", discount_percent=Decimal("10"))
    groups.set_customer_group(customer, store=store, group=group, actor=None)
    return group


def confirmed_total(store, customer, *lines) -> Decimal:
    """The gross total the shopper confirmed, as the checkout computes it."""
    prices = customer_prices([product for product, _ in lines], store, customer)
    return TaxBreakdown.from_lines(
        store.currency,
        (
            (Decimal("21.00"), line_total(prices[product.pk].net, quantity, store.currency))
            for product, quantity in lines
        ),
    ).gross


def test_a_member_pays_the_group_price_and_the_line_keeps_its_discount(place, trade, towel, stamp):
    groups.set_group_price(trade, stamp, Decimal("0.80"))

    order = place((towel, 3), (stamp, 5))

    # Towel 12.40 − 10 % = 11.16 a unit, saving 1.24 × 3; the stamp's fixed 0.80 saves 0.20 × 5.
    assert [
        (line.name, line.unit_price_net, line.discount, line.line_net)
        for line in OrderLine.objects.filter(order=order)
    ] == [
        ("Linen towel", Decimal("11.16"), Decimal("3.72"), Decimal("33.48")),
        ("Stamp", Decimal("0.80"), Decimal("1.00"), Decimal("4.00")),
    ]
    saved = Order.objects.get(pk=order.pk)
    assert saved.discount_total == Decimal("4.72")
    # 33.48 at 21 % (7.03) and 4.00 at 0 %.
    assert (saved.total_net, saved.total_tax, saved.total_gross) == (
        Decimal("37.48"),
        Decimal("7.03"),
        Decimal("44.51"),
    )


def test_a_customer_outside_every_group_pays_the_products_price(place, towel):
    order = place((towel, 2))

    line = order.lines.get()
    assert (line.unit_price_net, line.discount, line.line_net) == (
        Decimal("12.40"),
        Decimal("0.00"),
        Decimal("24.80"),
    )
    assert order.discount_total == Decimal("0.00")


def test_another_customers_group_does_not_lower_this_customers_price(
    store, place, trade, towel, make_account_holder
):
    other = make_account_holder(store, "olga@example.com")

    order = place((towel, 1), customer=other)

    assert order.lines.get().unit_price_net == Decimal("12.40")
    assert order.discount_total == Decimal("0.00")


def test_the_confirmed_total_with_the_group_price_is_accepted(store, customer, place, trade, towel):
    expected = confirmed_total(store, customer, (towel, 2))

    order = place((towel, 2), expected_total=expected)

    # 11.16 × 2 = 22.32, with 21 %: 27.01.
    assert order.total_gross == expected == Decimal("27.01")


def test_a_group_discount_changed_since_the_shopper_looked_is_a_total_changed(
    store, customer, place, trade, towel
):
    expected = confirmed_total(store, customer, (towel, 2))
    groups.update_customer_group(trade, discount_percent=Decimal("5"))

    with pytest.raises(TotalChanged) as changed:
        place((towel, 2), expected_total=expected)

    # 12.40 − 5 % = 11.78, × 2 = 23.56, with 21 %: 28.51.
    assert (changed.value.expected, changed.value.total) == (Decimal("27.01"), Decimal("28.51"))
    assert changed.value.changes == []  # no product's own price changed
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()


def test_a_fixed_group_price_changed_since_the_shopper_looked_is_a_total_changed(
    store, customer, place, trade, towel
):
    groups.set_group_price(trade, towel, Decimal("10.00"))
    expected = confirmed_total(store, customer, (towel, 1))
    groups.set_group_price(trade, towel, Decimal("11.00"))

    with pytest.raises(TotalChanged) as changed:
        place((towel, 1), expected_total=expected)

    assert (changed.value.expected, changed.value.total) == (Decimal("12.10"), Decimal("13.31"))
    assert not Order.objects.exists()


def test_leaving_the_group_since_the_shopper_looked_is_a_total_changed(
    store, customer, place, trade, towel
):
    expected = confirmed_total(store, customer, (towel, 1))
    groups.set_customer_group(customer, store=store, group=None, actor=None)

    with pytest.raises(TotalChanged):
        place((towel, 1), expected_total=expected)

    assert not Order.objects.exists()


def test_a_changed_product_price_names_the_members_prices_seen_and_now(
    store, customer, place, trade, towel
):
    expected = confirmed_total(store, customer, (towel, 1))
    # The shopper's towel object still says 12.40; the row now says 14.00.
    update_product(towel, price=Decimal("14.00"))

    with pytest.raises(TotalChanged) as changed:
        place((towel, 1), expected_total=expected)

    # 12.40 − 10 % = 11.16 seen, 14.00 − 10 % = 12.60 now.
    assert changed.value.changes == [
        PriceChange(towel.pk, "Linen towel", Decimal("11.16"), Decimal("12.60"))
    ]
    assert not Order.objects.exists()


def test_the_price_is_read_from_the_product_row_not_the_object_given(
    store, customer, place, trade, towel
):
    update_product(towel, price=Decimal("20.00"))
    stale = towel  # still 12.40 in memory

    order = place((stale, 1))

    line = order.lines.get()
    assert (line.unit_price_net, line.discount) == (Decimal("18.00"), Decimal("2.00"))
