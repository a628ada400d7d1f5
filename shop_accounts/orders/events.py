"""Recorders of the order audit trail: one keyword-only function per kind,
each writing fixed data keys holding ids and amounts (as strings, never
floats). Nothing outside this module writes OrderEvent rows; `_record` is
private. `actor` is who did it: staff, the customer, or None for the system."""

from decimal import Decimal
from typing import Any

from shop_accounts.customers.models import Customer
from shop_accounts.orders.models import Order, OrderEvent

Kind = OrderEvent.Kind


def _record(*, order: Order, kind: str, actor: Customer | None, **data: Any) -> OrderEvent:
    return OrderEvent.objects.create(order=order, kind=kind, actor=actor, data=data)


def record_placed(*, order: Order, actor: Customer | None) -> OrderEvent:
    """The order was placed, for `order.total_gross` in `order.currency`."""
    return _record(
        order=order,
        kind=Kind.PLACED,
        actor=actor,
        store_id=order.store_id,
        customer_id=order.customer_id,
        total=str(order.total_gross),
        payment_method=order.payment_method,
    )


def record_paid(*, order: Order, actor: Customer | None) -> OrderEvent:
    return _record(order=order, kind=Kind.PAID, actor=actor, total=str(order.total_gross))


def record_shipped(
    *, order: Order, actor: Customer | None, shipment_id: int, quantities: dict[int, int]
) -> OrderEvent:
    """A shipment left; `quantities` is order line id → quantity shipped."""
    return _record(
        order=order,
        kind=Kind.SHIPPED,
        actor=actor,
        shipment_id=shipment_id,
        lines={str(line_id): quantity for line_id, quantity in sorted(quantities.items())},
        fulfilment_status=order.fulfilment_status,
    )


def record_delivered(*, order: Order, actor: Customer | None) -> OrderEvent:
    return _record(order=order, kind=Kind.DELIVERED, actor=actor)


def record_cancelled(*, order: Order, actor: Customer | None, reason: str = "") -> OrderEvent:
    """`reason`: what the merchant or customer wrote (kept only if given)."""
    return _record(
        order=order, kind=Kind.CANCELLED, actor=actor, **({"reason": reason} if reason else {})
    )


def record_refunded(
    *, order: Order, actor: Customer | None, line_ids: list[int], amount: Decimal
) -> OrderEvent:
    """The lines `line_ids` were refunded, `amount` (with tax) in all."""
    return _record(
        order=order,
        kind=Kind.REFUNDED,
        actor=actor,
        lines=sorted(line_ids),
        amount=str(amount),
        payment_status=order.payment_status,
    )
