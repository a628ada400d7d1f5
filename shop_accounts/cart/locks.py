"""Row locks on carts, in one place (DEVELOPERS.md, "Locks"). A cart belongs
to one customer (or guest) and is locked after the customer in the lock
order; every change of a cart's lines takes the cart's lock first, so two
adds at once of one product both count. Several carts (a merge) are locked
in primary-key order. On SQLite these are no-ops: its IMMEDIATE
transactions lock the database."""

from collections.abc import Iterable

from shop_accounts.cart.models import Cart


def lock_cart(pk: int) -> Cart:
    """The cart, locked until the transaction ends."""
    return Cart.objects.select_for_update().get(pk=pk)


def lock_carts(pks: Iterable[int]) -> dict[int, Cart]:
    """Several carts, locked in primary-key order, by pk."""
    rows = Cart.objects.select_for_update().filter(pk__in=list(pks)).order_by("pk")
    return {cart.pk: cart for cart in rows}
