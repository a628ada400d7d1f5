"""Reads of the catalog, always scoped to one store."""

from django.db.models import Count, QuerySet

from shop_accounts.catalog.models import CustomerGroup, GroupMembership, GroupPrice, Product
from shop_accounts.customers.models import Customer
from shop_accounts.stores.models import Store


def published_products(store: Store) -> QuerySet[Product]:
    """What the store's shoppers may see, in catalog order."""
    return Product.objects.filter(store=store, is_published=True).order_by("name", "id")


def published_product(store: Store, slug: str) -> Product | None:
    return published_products(store).filter(slug=slug).first()


def customer_group(store: Store, customer: Customer | None) -> CustomerGroup | None:
    """The customer's group in `store` (one query), or None for a guest or a
    customer outside every group of the store."""
    if customer is None or customer.pk is None:
        return None
    return CustomerGroup.objects.filter(store=store, memberships__customer=customer).first()


def customer_groups(store: Store) -> QuerySet[CustomerGroup]:
    """The store's groups by name."""
    return CustomerGroup.objects.filter(store=store).order_by("name", "id")


def customer_group_in_store(store: Store, pk: int) -> CustomerGroup | None:
    """One of the store's groups, or None (another store's group is None)."""
    return customer_groups(store).filter(pk=pk).first()


def customer_groups_for_backoffice() -> QuerySet[CustomerGroup]:
    """Every group with its store, its number of members and fixed prices
    (one query for a list page)."""
    return CustomerGroup.objects.select_related("store").annotate(
        member_count=Count("memberships", distinct=True),
        price_count=Count("prices", distinct=True),
    )


def memberships_of(customer: Customer) -> QuerySet[GroupMembership]:
    """The customer's group in each store that has put them in one, with the
    store and the group (one query)."""
    return (
        GroupMembership.objects.filter(customer=customer)
        .select_related("store", "group")
        .order_by("store__name", "store_id")
    )


def group_prices(group: CustomerGroup, products: list[Product]) -> dict[int, GroupPrice]:
    """The group's fixed prices of `products`, by product pk (one query)."""
    if not products:
        return {}
    rows = GroupPrice.objects.filter(group=group, product__in=[p.pk for p in products])
    return {row.product_id: row for row in rows}
