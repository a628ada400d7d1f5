"""Reads of orders, always scoped: by customer for their history, by store
for a number or a guest's link."""

from django.db.models import QuerySet

from shop_accounts.customers.models import Customer
from shop_accounts.orders.models import Order, OrderEvent, OrderLine, Shipment
from shop_accounts.stores.models import Store


def orders_for_customer(customer: Customer) -> QuerySet[Order]:
    """The customer's orders, newest first, with their store and lines: a
    page of them costs three queries whatever its size (orders, lines, and
    the paginator's count)."""
    return (
        Order.objects.filter(customer=customer)
        .select_related("store")
        .prefetch_related("lines")
        .order_by("-created_at", "-id")
    )


def order_for_token(store: Store, token: str) -> Order | None:
    """The order a guest's emailed link names, only in the store serving it."""
    if not token:
        return None
    return Order.objects.filter(store=store, public_token=token).select_related("store").first()


def order_in_store(store: Store, number: int | str) -> Order | None:
    """The store's order with this number (as typed: junk finds nothing)."""
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        return None
    if wanted <= 0:
        return None
    return Order.objects.filter(store=store, number=wanted).select_related("customer").first()


def events_for(order: Order) -> QuerySet[OrderEvent]:
    """The order's audit trail, newest first, with who did each thing."""
    return OrderEvent.objects.filter(order=order).select_related("actor")


def shipments_of(order: Order) -> list[Shipment]:
    """The order's shipments, first first, each with its lines and their
    order lines (two queries whatever the number)."""
    return list(
        Shipment.objects.filter(order=order)
        .prefetch_related("lines__line")
        .order_by("created_at", "id")
    )


def orders_for_backoffice() -> QuerySet[Order]:
    """Every order, newest first, with its store and customer (one query per
    page of the back office's list, whatever its length)."""
    return Order.objects.select_related("store", "customer").order_by("-created_at", "-id")


def lines_of(order: Order) -> list[OrderLine]:
    """The order's lines, in the order they were placed (one query)."""
    return list(OrderLine.objects.filter(order=order).order_by("id"))


def latest_orders_of(customer: Customer, limit: int) -> list[Order]:
    """The customer's newest `limit` orders, with their store (one query)."""
    return list(
        Order.objects.filter(customer=customer)
        .select_related("store")
        .order_by("-created_at", "-id")[:limit]
    )
