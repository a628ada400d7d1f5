"""Row locks on orders, their lines and the per-store order counter, in one
place (DEVELOPERS.md, "Locks"). The order for every action:

store → customer → order → order lines → products (stock) → the order
counter → the per-store invoice counter.

`place_order` takes the customer, the products and then the counter (its
new order is not visible to anyone else yet); the status actions take the
order, its lines, then the products whose stock they give back. On SQLite
these are no-ops: its IMMEDIATE transactions lock the database."""

from django.db import IntegrityError, transaction

from shop_accounts.orders.models import Order, OrderCounter, OrderLine


def lock_order(pk: int) -> Order:
    """The order, locked until the transaction ends."""
    return Order.objects.select_for_update().get(pk=pk)


def lock_order_lines(order: Order) -> list[OrderLine]:
    """The lines of `order` (whose lock the caller holds), in primary-key order."""
    return list(OrderLine.objects.select_for_update().filter(order=order).order_by("pk"))


def lock_order_counter(store_id: int) -> OrderCounter:
    """The store's order counter, locked; made at the store's first order.
    Two first orders at once both try to make it: the unique store column
    lets one insert win, and the other then waits for its lock."""
    counter = OrderCounter.objects.select_for_update().filter(store_id=store_id).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():  # a savepoint: the loser's error ends only it
            OrderCounter.objects.create(store_id=store_id)
    except IntegrityError:
        pass
    return OrderCounter.objects.select_for_update().get(store_id=store_id)
