"""Writes to the catalog."""

from decimal import Decimal

from django.utils.text import slugify

from shop_accounts.catalog.models import Product
from shop_accounts.stores.models import Store


def create_product(
    store: Store,
    *,
    name: str,
    price: Decimal,
    tax_rate: Decimal = Decimal("21.00"),
    description: str = "",
    sku: str = "",
    slug: str = "",
) -> Product:
    """Add a product; its web address comes from the name unless given, and
    is made unique in the store."""
    base = slug or slugify(name) or "product"
    candidate, number = base, 1
    while Product.objects.filter(store=store, slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return Product.objects.create(
        store=store,
        name=name,
        slug=candidate,
        price=price,
        tax_rate=tax_rate,
        description=description,
        sku=sku,
    )
