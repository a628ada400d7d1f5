"""An order's payment: marking it paid, cancelling it, refunding lines.

What may follow what (anything else raises StatusConflict):

- pending → paid (`mark_paid`);
- pending → cancelled (`cancel`), only while nothing has shipped; tracked
  stock comes back. A paid order is not cancelled but refunded, so the
  money is accounted for;
- paid or partially refunded → partially refunded or refunded (`refund`,
  some or all lines). The stock of what never left comes back; a partly
  shipped order whose unshipped lines are refunded is shipped.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shop_accounts.catalog.locks import lock_products
from shop_accounts.catalog.models import Product
from shop_accounts.core.money import TaxBreakdown
from shop_accounts.customers.models import Customer
from shop_accounts.orders import emails, events
from shop_accounts.orders.errors import InvalidRefund, StatusConflict
from shop_accounts.orders.locks import lock_order, lock_order_lines
from shop_accounts.orders.models import Order, OrderLine

Payment = Order.PaymentStatus
Fulfilment = Order.FulfilmentStatus


def refuse_unless_payment(order: Order, *allowed: str) -> None:
    """Raise StatusConflict unless the order's payment status is one of `allowed`."""
    if order.payment_status not in allowed:
        raise StatusConflict(number=order.number, status=order.get_payment_status_display())


@transaction.atomic
def mark_paid(order: Order, *, actor: Customer | None = None) -> Order:
    """Record that the customer paid the order (a bank transfer arrived, the
    courier collected the cash). Only a pending order can be paid."""
    locked = lock_order(order.pk)
    refuse_unless_payment(locked, Payment.PENDING)
    locked.payment_status = Payment.PAID
    locked.paid_at = timezone.now()
    locked.save(update_fields=["payment_status", "paid_at", "updated_at"])
    events.record_paid(order=locked, actor=actor)
    emails.email_order_paid(locked)
    return locked


@transaction.atomic
def cancel(order: Order, *, actor: Customer | None = None, reason: str = "") -> Order:
    """Cancel an order that is neither paid nor shipped; its tracked stock
    comes back. A paid order is refunded instead (`refund`)."""
    locked = lock_order(order.pk)
    refuse_unless_payment(locked, Payment.PENDING)
    if locked.fulfilment_status != Fulfilment.UNFULFILLED:
        raise StatusConflict(number=locked.number, status=locked.get_fulfilment_status_display())
    lines = lock_order_lines(locked)
    _give_back_stock({line.product_id: line.quantity for line in lines if line.product_id})
    locked.payment_status = Payment.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["payment_status", "cancelled_at", "updated_at"])
    events.record_cancelled(order=locked, actor=actor, reason=reason)
    emails.email_order_cancelled(locked, reason=reason)
    return locked


@transaction.atomic
def refund(
    order: Order,
    *,
    lines: Iterable[OrderLine | int] | None = None,
    actor: Customer | None = None,
) -> Order:
    """Refund whole lines of a paid order (`lines`: lines or their ids; all
    lines not refunded yet when None). The amount is the lines' net with
    their tax computed per rate; the refund that completes the order
    refunds exactly what is left of the total, so the refunds add up to it
    to the cent. What of a line never shipped goes back to stock.

    Raises StatusConflict unless the order is paid or partially refunded,
    InvalidRefund for lines of another order, already refunded, or none."""
    locked = lock_order(order.pk)
    refuse_unless_payment(locked, Payment.PAID, Payment.PARTIALLY_REFUNDED)
    all_lines = lock_order_lines(locked)
    open_lines = {line.pk: line for line in all_lines if line.refunded_quantity < line.quantity}
    if lines is None:
        chosen_ids = set(open_lines)
    else:
        chosen_ids = {line if isinstance(line, int) else line.pk for line in lines}
    if not chosen_ids or not chosen_ids <= set(open_lines):
        raise InvalidRefund()
    chosen = [open_lines[pk] for pk in sorted(chosen_ids)]

    completes = len(chosen) == len(open_lines)
    if completes:
        amount = locked.total_gross - locked.total_refunded
    else:
        amount = TaxBreakdown.from_lines(
            locked.currency, ((line.tax_rate, line.line_net) for line in chosen)
        ).gross
    _give_back_stock(
        {
            line.product_id: line.quantity - line.shipped_quantity
            for line in chosen
            if line.product_id
        }
    )
    for line in chosen:
        line.refunded_quantity = line.quantity
    OrderLine.objects.bulk_update(chosen, ["refunded_quantity"])
    locked.total_refunded += amount
    locked.payment_status = Payment.REFUNDED if completes else Payment.PARTIALLY_REFUNDED
    # Refunding the only lines still to ship leaves a partly shipped order
    # with nothing left to send: it is shipped now.
    if locked.fulfilment_status == Fulfilment.PARTIALLY_SHIPPED and all(
        line.refunded_quantity or line.shipped_quantity == line.quantity for line in all_lines
    ):
        locked.fulfilment_status = Fulfilment.SHIPPED
    locked.save(
        update_fields=["total_refunded", "payment_status", "fulfilment_status", "updated_at"]
    )
    event = events.record_refunded(
        order=locked, actor=actor, line_ids=[line.pk for line in chosen], amount=amount
    )
    emails.email_order_refunded(locked, event_id=event.pk, lines=chosen, refunded=amount)
    return locked


def _give_back_stock(quantities: dict[int, int]) -> None:
    """Put `quantities` (product id → count) back into tracked stock; the
    products are locked after the order's lines, in primary-key order."""
    wanted = {pk: count for pk, count in quantities.items() if count > 0}
    for pk, product in lock_products(wanted).items():
        if product.track_stock:
            Product.objects.filter(pk=pk).update(stock=F("stock") + wanted[pk])
