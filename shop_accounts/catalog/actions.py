"""Writes to the catalog."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from shop_accounts.catalog.locks import lock_product
from shop_accounts.catalog.models import Product, TaxClass
from shop_accounts.core.errors import InvalidInput, UnknownField
from shop_accounts.stores.models import Store

# What `update_product` changes; the store and web address stay.
PRODUCT_FIELDS = frozenset(
    {"name", "sku", "description", "price", "tax_class", "track_stock", "stock", "is_published"}
)


def create_product(
    store: Store,
    *,
    name: str,
    price: Decimal,
    tax_class: str = TaxClass.STANDARD,
    description: str = "",
    sku: str = "",
    slug: str = "",
    track_stock: bool = False,
    stock: int = 0,
) -> Product:
    """Add a product; its web address comes from the name unless given, and
    is made unique in the store. `price` is net (without tax); `tax_class`
    picks the rate of the store's country."""
    base = slug or slugify(name) or "product"
    candidate, number = base, 1
    while Product.objects.filter(store=store, slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    product = Product(
        store=store,
        name=name,
        slug=candidate,
        price=price,
        tax_class=tax_class,
        description=description,
        sku=sku,
        track_stock=track_stock,
        stock=stock,
    )
    _validate(product)
    product.save()
    return product


@transaction.atomic
def update_product(product: Product, **changes: Any) -> Product:
    """Change a product's data, price, tax class, stock or active flag. Orders
    already placed keep what they copied (name, SKU, price, rate)."""
    UnknownField.refuse(changes, PRODUCT_FIELDS)
    locked = lock_product(product.pk)
    for field, value in changes.items():
        setattr(locked, field, value)
    _validate(locked)
    locked.save(update_fields=[*changes, "updated_at"])
    return locked


def _validate(product: Product) -> None:
    try:
        product.full_clean(exclude=["store", "slug"], validate_unique=False)
    except ValidationError as error:
        raise InvalidInput.from_validation_error(error) from error
