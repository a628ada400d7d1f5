"""An order's fulfilment: shipments with tracking, and delivery.

What may follow what (anything else raises StatusConflict):

- unfulfilled or partially shipped → partially shipped or shipped (`ship`,
  some or all of what is left). A bank transfer is paid before anything
  ships; cash on delivery and pay by invoice ship while payment is pending.
  Nothing ships of a cancelled or refunded order, nor of a refunded line;
- shipped → delivered (`mark_delivered`).
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from shop_accounts.core.errors import StrOrPromise
from shop_accounts.customers.models import Customer
from shop_accounts.orders import emails, events
from shop_accounts.orders.actions.payments import refuse_unless_payment
from shop_accounts.orders.errors import (
    InvalidOrderAddress,
    InvalidShipment,
    InvalidTracking,
    StatusConflict,
)
from shop_accounts.orders.locks import lock_order, lock_order_lines
from shop_accounts.orders.models import Order, OrderLine, Shipment, ShipmentLine

Payment = Order.PaymentStatus
Fulfilment = Order.FulfilmentStatus
# Payment methods whose goods wait for the money.
PAID_BEFORE_SHIPPING = frozenset({Order.PaymentMethod.BANK_TRANSFER})
# The longest value of each tracking field (the Shipment columns).
TRACKING_LIMITS = {"carrier": 100, "tracking_number": 100, "tracking_url": 500}


def _shippable(line: OrderLine) -> int:
    """How many of the line may still ship (none of a refunded line)."""
    return 0 if line.refunded_quantity else line.quantity - line.shipped_quantity


@transaction.atomic
def ship(
    order: Order,
    *,
    quantities: Mapping[int, int] | None = None,
    carrier: str = "",
    tracking_number: str = "",
    tracking_url: str = "",
    actor: Customer | None = None,
) -> Shipment:
    """Record a shipment: `quantities` maps order line ids to how many of
    each went (everything left to ship when None), with the carrier and how
    to track the parcel. The order is shipped once every line not refunded
    has gone, partially shipped before that.

    Raises StatusConflict when the order may not ship now, InvalidShipment
    for lines of another order, more than is left, or nothing at all, and
    InvalidTracking for a tracking link that is not a web address or
    details too long."""
    locked = lock_order(order.pk)
    if locked.payment_method in PAID_BEFORE_SHIPPING:
        refuse_unless_payment(locked, Payment.PAID, Payment.PARTIALLY_REFUNDED)
    else:
        refuse_unless_payment(locked, Payment.PENDING, Payment.PAID, Payment.PARTIALLY_REFUNDED)
    if locked.fulfilment_status not in (Fulfilment.UNFULFILLED, Fulfilment.PARTIALLY_SHIPPED):
        raise StatusConflict(number=locked.number, status=locked.get_fulfilment_status_display())
    lines = {line.pk: line for line in lock_order_lines(locked)}
    wanted = (
        {pk: _shippable(line) for pk, line in lines.items() if _shippable(line)}
        if quantities is None
        else dict(quantities)
    )
    if not wanted:
        raise InvalidShipment()
    for pk, quantity in wanted.items():
        if (
            pk not in lines
            or isinstance(quantity, bool)
            or not isinstance(quantity, int)
            or not 1 <= quantity <= _shippable(lines[pk])
        ):
            raise InvalidShipment()

    shipment = Shipment(
        order=locked,
        carrier=carrier.strip(),
        tracking_number=tracking_number.strip(),
        tracking_url=tracking_url.strip(),
    )
    _check_tracking(shipment)
    shipment.save()
    ShipmentLine.objects.bulk_create(
        ShipmentLine(shipment=shipment, line_id=pk, quantity=quantity)
        for pk, quantity in sorted(wanted.items())
    )
    for pk, quantity in wanted.items():
        lines[pk].shipped_quantity += quantity
    OrderLine.objects.bulk_update([lines[pk] for pk in sorted(wanted)], ["shipped_quantity"])
    everything_gone = all(_shippable(line) == 0 for line in lines.values())
    locked.fulfilment_status = (
        Fulfilment.SHIPPED if everything_gone else Fulfilment.PARTIALLY_SHIPPED
    )
    locked.save(update_fields=["fulfilment_status", "updated_at"])
    events.record_shipped(order=locked, actor=actor, shipment_id=shipment.pk, quantities=wanted)
    emails.email_order_shipped(locked, shipment, wanted)
    return shipment


def _check_tracking(shipment: Shipment) -> None:
    """Carrier and tracking number within their lengths, and a tracking link
    that is a web address (it ends up as a link in emails and pages)."""
    errors: dict[str, list[StrOrPromise]] = {}
    for field, limit in TRACKING_LIMITS.items():
        if len(getattr(shipment, field)) > limit:
            errors[field] = [InvalidOrderAddress.too_long % {"limit": limit}]
    if shipment.tracking_url and "tracking_url" not in errors:
        try:
            URLValidator(schemes=["http", "https"])(shipment.tracking_url)
        except ValidationError:
            errors["tracking_url"] = [InvalidTracking.not_a_link]
    if errors:
        raise InvalidTracking(errors=errors)


@transaction.atomic
def mark_delivered(order: Order, *, actor: Customer | None = None) -> Order:
    """Record that everything shipped has arrived. Only a shipped order can
    be delivered (a partial shipment is not the whole order)."""
    locked = lock_order(order.pk)
    if locked.fulfilment_status != Fulfilment.SHIPPED:
        raise StatusConflict(number=locked.number, status=locked.get_fulfilment_status_display())
    locked.fulfilment_status = Fulfilment.DELIVERED
    locked.delivered_at = timezone.now()
    locked.save(update_fields=["fulfilment_status", "delivered_at", "updated_at"])
    events.record_delivered(order=locked, actor=actor)
    return locked
