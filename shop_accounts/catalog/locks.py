"""Row locks on products, in one place (DEVELOPERS.md, "Locks"). An order
takes its products' rows after the customer and the order with its lines
(store → customer → order → order lines → products → the order counter →
the invoice counter), several in primary-key order, so stock is taken and
given back without two actions waiting for each other in a circle. On
SQLite these are no-ops: its IMMEDIATE transactions lock the database."""

from collections.abc import Iterable

from shop_accounts.catalog.models import CustomerGroup, Product


def lock_product(pk: int) -> Product:
    """The product, locked until the transaction ends."""
    return Product.objects.select_for_update().get(pk=pk)


def lock_products(pks: Iterable[int]) -> dict[int, Product]:
    """Several products, locked in primary-key order, by pk."""
    rows = Product.objects.select_for_update().filter(pk__in=list(pks)).order_by("pk")
    return {product.pk: product for product in rows}


def lock_customer_group(pk: int) -> CustomerGroup:
    """A customer group, locked until the transaction ends (its data and its
    fixed prices are changed under it)."""
    return CustomerGroup.objects.select_for_update().get(pk=pk)
