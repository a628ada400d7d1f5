"""What may follow what: paid, shipped (partly or wholly, with tracking),
delivered, cancelled, refunded (some or all lines). Every change is an order
event; a refused change is typed and changes nothing."""

from decimal import Decimal

import pytest

from shop_accounts.catalog.actions import create_product
from shop_accounts.orders.actions import cancel, mark_delivered, mark_paid, refund, ship
from shop_accounts.orders.errors import (
    InvalidRefund,
    InvalidShipment,
    InvalidTracking,
    StatusConflict,
)
from shop_accounts.orders.models import Order, OrderEvent, Shipment

Payment = Order.PaymentStatus
Fulfilment = Order.FulfilmentStatus
Kind = OrderEvent.Kind


@pytest.fixture
def lamp(store):
    return create_product(store, name="Lamp", price=Decimal("40.00"), track_stock=True, stock=10)


def kinds(order: Order) -> list[str]:
    return list(
        OrderEvent.objects.filter(order=order).order_by("id").values_list("kind", flat=True)
    )


def statuses(order: Order) -> tuple[str, str]:
    order.refresh_from_db()
    return order.payment_status, order.fulfilment_status


def stock_of(product) -> int:
    product.refresh_from_db()
    return product.stock


def test_a_placed_order_is_pending_and_unfulfilled(place, towel):
    order = place((towel, 1))

    assert statuses(order) == (Payment.PENDING, Fulfilment.UNFULFILLED)
    assert kinds(order) == [Kind.PLACED]


def test_a_pending_order_is_paid_once(place, towel, merchant):
    order = place((towel, 1))

    mark_paid(order, actor=merchant)
    with pytest.raises(StatusConflict) as refused:
        mark_paid(order, actor=merchant)

    assert refused.value.text() == (
        "This cannot be done with order 1001 in its current state (Paid)."
    )
    assert statuses(order) == (Payment.PAID, Fulfilment.UNFULFILLED)
    assert order.paid_at is not None
    assert kinds(order) == [Kind.PLACED, Kind.PAID]
    assert OrderEvent.objects.get(order=order, kind=Kind.PAID).actor == merchant


def test_a_bank_transfer_ships_only_once_paid(place, towel):
    order = place((towel, 1))

    with pytest.raises(StatusConflict):
        ship(order, carrier="PostNL", tracking_number="3S123")
    assert not Shipment.objects.exists()

    mark_paid(order)
    shipment = ship(
        order,
        carrier="PostNL",
        tracking_number="3S123",
        tracking_url="https://postnl.example/track/3S123",
    )

    assert statuses(order) == (Payment.PAID, Fulfilment.SHIPPED)
    assert (shipment.carrier, shipment.tracking_number, shipment.tracking_url) == (
        "PostNL",
        "3S123",
        "https://postnl.example/track/3S123",
    )
    assert [(row.line.name, row.quantity) for row in shipment.lines.select_related("line")] == [
        ("Linen towel", 1)
    ]


def test_cash_on_delivery_ships_before_it_is_paid(place, towel):
    order = place((towel, 1), payment_method=Order.PaymentMethod.CASH_ON_DELIVERY)

    ship(order, carrier="DHL")
    mark_delivered(order)
    mark_paid(order)

    assert statuses(order) == (Payment.PAID, Fulfilment.DELIVERED)
    assert kinds(order) == [Kind.PLACED, Kind.SHIPPED, Kind.DELIVERED, Kind.PAID]


def test_a_partial_shipment_then_the_rest(place, towel, lamp):
    order = place((towel, 2), (lamp, 3), payment_method=Order.PaymentMethod.INVOICE)
    towel_line, lamp_line = order.lines.all()

    ship(order, quantities={towel_line.pk: 2, lamp_line.pk: 1}, carrier="DHL")
    assert statuses(order) == (Payment.PENDING, Fulfilment.PARTIALLY_SHIPPED)
    with pytest.raises(StatusConflict):
        mark_delivered(order)

    rest = ship(order, carrier="DHL", tracking_number="JD2")

    assert statuses(order) == (Payment.PENDING, Fulfilment.SHIPPED)
    assert [(row.line_id, row.quantity) for row in rest.lines.all()] == [(lamp_line.pk, 2)]
    event = OrderEvent.objects.filter(order=order, kind=Kind.SHIPPED).order_by("id").first()
    assert event.data["lines"] == {str(towel_line.pk): 2, str(lamp_line.pk): 1}
    assert event.data["fulfilment_status"] == "partially_shipped"


@pytest.mark.parametrize("count", [3, 0, -1, None])
def test_shipping_more_than_is_left_or_nothing_is_refused(place, towel, count):
    order = place((towel, 2), payment_method=Order.PaymentMethod.INVOICE)
    line = order.lines.get()

    with pytest.raises(InvalidShipment):
        ship(order, quantities={} if count is None else {line.pk: count})

    assert statuses(order) == (Payment.PENDING, Fulfilment.UNFULFILLED)
    assert not Shipment.objects.exists()


def test_a_line_of_another_order_cannot_ship_with_this_one(place, towel):
    order = place((towel, 1), payment_method=Order.PaymentMethod.INVOICE)
    other = place((towel, 1), payment_method=Order.PaymentMethod.INVOICE)

    with pytest.raises(InvalidShipment):
        ship(order, quantities={other.lines.get().pk: 1})
    assert not Shipment.objects.exists()


def test_a_shipped_order_ships_nothing_more(place, towel):
    order = place((towel, 1), payment_method=Order.PaymentMethod.INVOICE)
    ship(order)

    with pytest.raises(StatusConflict):
        ship(order)
    assert Shipment.objects.count() == 1


def test_a_pending_order_is_cancelled_and_its_stock_comes_back(place, towel, lamp, merchant):
    order = place((towel, 1), (lamp, 4))
    assert stock_of(lamp) == 6

    cancel(order, actor=merchant, reason="Customer called")

    assert statuses(order) == (Payment.CANCELLED, Fulfilment.UNFULFILLED)
    assert stock_of(lamp) == 10
    event = OrderEvent.objects.get(order=order, kind=Kind.CANCELLED)
    assert (event.actor, event.data) == (merchant, {"reason": "Customer called"})
    for action in (mark_paid, cancel, ship, mark_delivered, refund):
        with pytest.raises(StatusConflict):
            action(order)
    assert stock_of(lamp) == 10
    assert kinds(order) == [Kind.PLACED, Kind.CANCELLED]


def test_a_paid_or_shipped_order_is_not_cancelled(place, towel, lamp):
    paid = place((lamp, 1))
    mark_paid(paid)
    shipped = place((towel, 1), payment_method=Order.PaymentMethod.CASH_ON_DELIVERY)
    ship(shipped)

    with pytest.raises(StatusConflict):
        cancel(paid)
    with pytest.raises(StatusConflict) as refused:
        cancel(shipped)

    assert "(Shipped)" in refused.value.text()
    assert statuses(paid) == (Payment.PAID, Fulfilment.UNFULFILLED)
    assert statuses(shipped) == (Payment.PENDING, Fulfilment.SHIPPED)
    assert stock_of(lamp) == 9


def test_refunding_some_lines_then_the_rest(place, towel, bread, lamp):
    order = place((towel, 2), (bread, 3), (lamp, 1))  # gross 30.01 + 7.68 + 48.40 = 86.09
    mark_paid(order)
    towel_line, bread_line, lamp_line = order.lines.all()

    refund(order, lines=[bread_line, lamp_line.pk])
    order.refresh_from_db()
    assert order.payment_status == Payment.PARTIALLY_REFUNDED
    # 7.05 at 9 % (0.63) and 40.00 at 21 % (8.40).
    assert order.total_refunded == Decimal("56.08")
    assert stock_of(lamp) == 10

    refund(order)
    order.refresh_from_db()

    assert order.payment_status == Payment.REFUNDED
    assert order.total_refunded == order.total_gross == Decimal("86.09")
    events = OrderEvent.objects.filter(order=order, kind=Kind.REFUNDED).order_by("id")
    assert [(e.data["lines"], e.data["amount"]) for e in events] == [
        (sorted([bread_line.pk, lamp_line.pk]), "56.08"),
        ([towel_line.pk], "30.01"),
    ]
    with pytest.raises(StatusConflict):
        refund(order)


def test_a_pending_order_is_not_refunded(place, towel):
    order = place((towel, 1))

    with pytest.raises(StatusConflict):
        refund(order)
    assert statuses(order) == (Payment.PENDING, Fulfilment.UNFULFILLED)


def test_refunding_a_refunded_line_or_another_orders_line_is_refused(place, towel, bread):
    order = place((towel, 1), (bread, 1))
    other = place((towel, 1))
    mark_paid(order)
    towel_line = order.lines.first()
    refund(order, lines=[towel_line])

    for lines in ([towel_line], [other.lines.get()], []):
        with pytest.raises(InvalidRefund):
            refund(order, lines=lines)

    order.refresh_from_db()
    assert order.payment_status == Payment.PARTIALLY_REFUNDED
    assert order.total_refunded == Decimal("15.00")


def test_a_refunded_line_does_not_ship_and_the_rest_completes_the_shipment(place, towel, lamp):
    order = place((towel, 1), (lamp, 2))
    mark_paid(order)
    towel_line, lamp_line = order.lines.all()
    ship(order, quantities={lamp_line.pk: 1})
    refund(order, lines=[lamp_line])
    # One lamp left, the other never did: it goes back to stock.
    assert stock_of(lamp) == 9

    with pytest.raises(InvalidShipment):
        ship(order, quantities={lamp_line.pk: 1})
    shipment = ship(order)

    assert [(row.line_id, row.quantity) for row in shipment.lines.all()] == [(towel_line.pk, 1)]
    assert statuses(order) == (Payment.PARTIALLY_REFUNDED, Fulfilment.SHIPPED)


def test_delivered_follows_shipped_only(place, towel):
    order = place((towel, 1), payment_method=Order.PaymentMethod.INVOICE)

    with pytest.raises(StatusConflict):
        mark_delivered(order)
    ship(order)
    mark_delivered(order)
    with pytest.raises(StatusConflict):
        mark_delivered(order)

    assert statuses(order) == (Payment.PENDING, Fulfilment.DELIVERED)
    assert kinds(order) == [Kind.PLACED, Kind.SHIPPED, Kind.DELIVERED]


@pytest.mark.parametrize(
    ("details", "errors"),
    [
        (
            {"tracking_url": "javascript:alert(1)"},
            {"tracking_url": ["Enter a web address starting with https:// or http://."]},
        ),
        (
            {"carrier": "C" * 101, "tracking_number": "9" * 101},
            {
                "carrier": ["Use at most 100 characters."],
                "tracking_number": ["Use at most 100 characters."],
            },
        ),
    ],
)
def test_tracking_details_that_break_their_rules_are_refused(place, towel, details, errors):
    order = place((towel, 1), payment_method=Order.PaymentMethod.INVOICE)

    with pytest.raises(InvalidTracking) as refused:
        ship(order, **details)

    assert refused.value.errors == errors
    assert statuses(order) == (Payment.PENDING, Fulfilment.UNFULFILLED)
    assert not Shipment.objects.exists()
    assert order.lines.get().shipped_quantity == 0


def test_refunding_what_was_left_to_ship_makes_the_order_shipped(place, towel, lamp):
    order = place((towel, 1), (lamp, 1))
    mark_paid(order)
    towel_line, lamp_line = order.lines.all()
    ship(order, quantities={towel_line.pk: 1})

    refund(order, lines=[lamp_line])

    assert statuses(order) == (Payment.PARTIALLY_REFUNDED, Fulfilment.SHIPPED)
    mark_delivered(order)
    assert statuses(order) == (Payment.PARTIALLY_REFUNDED, Fulfilment.DELIVERED)
