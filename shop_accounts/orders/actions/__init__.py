"""Every write to orders, one module per use case: placing an order
(`placement`), its payment (`payments`: paid, cancelled, refunded) and its
fulfilment (`fulfilment`: shipments, delivery). Callers import from here."""

from shop_accounts.orders.actions.fulfilment import mark_delivered, ship
from shop_accounts.orders.actions.payments import cancel, mark_paid, refund
from shop_accounts.orders.actions.placement import ShippingCharge, place_order

__all__ = [
    "ShippingCharge",
    "cancel",
    "mark_delivered",
    "mark_paid",
    "place_order",
    "refund",
    "ship",
]
