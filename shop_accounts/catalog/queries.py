"""Reads of the catalog, always scoped to one store."""

from django.db.models import QuerySet

from shop_accounts.catalog.models import Product
from shop_accounts.stores.models import Store


def published_products(store: Store) -> QuerySet[Product]:
    """What the store's shoppers may see, in catalog order."""
    return Product.objects.filter(store=store, is_published=True).order_by("name", "id")


def published_product(store: Store, slug: str) -> Product | None:
    return published_products(store).filter(slug=slug).first()
