"""Writes to carts: open one, add to it, change or remove a line, empty it,
and merge a guest's cart into the customer's at sign-in.

Every change of a cart's lines takes the cart's row lock first
(`cart/locks.py`), then reads the line and writes it, so two adds of one
product at once both count (the second waits for the first and adds to its
line); the unique (cart, product) constraint keeps one line per product
whatever happens. A refusal raises a `cart.errors` error and changes
nothing. Prices are not kept: the cart page and the checkout read them
through `cart.queries.cart_contents`."""

from datetime import datetime

from django.db import IntegrityError, transaction

from shop_accounts.cart.errors import (
    CartError,
    InvalidQuantity,
    NotEnoughStock,
    NotInCart,
    ProductUnavailable,
    TooManyInCart,
)
from shop_accounts.cart.locks import lock_cart, lock_carts
from shop_accounts.cart.models import (
    CAPPED_AT_MAXIMUM,
    CAPPED_BY_STOCK,
    Cart,
    CartLine,
    new_cart_token,
)
from shop_accounts.catalog.models import Product
from shop_accounts.customers.models import Customer
from shop_accounts.orders.models import MAX_QUANTITY
from shop_accounts.stores.models import Store

Quantity = int | str


def open_cart(store: Store, *, customer: Customer | None = None) -> Cart:
    """The customer's saved cart in `store` (made at their first add), or,
    for a guest (`customer=None`), a new cart with a fresh token for the
    guest's session. Two first adds at once make one saved cart: the unique
    (store, customer) constraint lets one insert win, the other reads it."""
    if customer is None:
        return Cart.objects.create(store=store, token=new_cart_token())
    if customer.realm_id != store.account_realm_id:
        raise CartError()
    found = Cart.objects.filter(store=store, customer=customer).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Cart.objects.create(store=store, customer=customer)
    except IntegrityError:
        return Cart.objects.get(store=store, customer=customer)


@transaction.atomic
def add_to_cart(cart: Cart, product: Product, quantity: Quantity = 1) -> CartLine:
    """Add `quantity` (1..MAX_QUANTITY, an int or the digits a form sent) of
    a published product of the cart's store, to its line if the cart has
    one. Refused (InvalidQuantity, TooManyInCart, ProductUnavailable,
    NotEnoughStock where the product tracks stock) with the cart unchanged."""
    added = _quantity(quantity, product, allow_zero=False)
    locked = lock_cart(cart.pk)
    current = _sold_product(locked, product)
    line = CartLine.objects.filter(cart=locked, product=current).first()
    total = added + (line.quantity if line is not None else 0)
    if total > MAX_QUANTITY:
        raise TooManyInCart(product_id=current.pk, product=current.name)
    if current.track_stock and total > current.stock:
        raise NotEnoughStock(product_id=current.pk, product=current.name, available=current.stock)
    if line is None:
        line = CartLine.objects.create(cart=locked, product=current, quantity=total)
    else:
        line.quantity = total
        line.save(update_fields=["quantity", "updated_at"])
    _touch(locked)
    return line


@transaction.atomic
def set_quantity(cart: Cart, product: Product | int, quantity: Quantity) -> CartLine | None:
    """Set the quantity of the cart's line of `product` (a product or its
    id); 0 removes the line (and returns None). Raises NotInCart for a
    product the cart does not hold, InvalidQuantity, ProductUnavailable for
    a product no longer sold (it can only be removed) and NotEnoughStock;
    nothing changes then."""
    locked = lock_cart(cart.pk)
    product_id = product.pk if isinstance(product, Product) else product
    line = CartLine.objects.select_related("product").filter(cart=locked, product_id=product_id)
    found = line.first()
    if found is None:
        raise NotInCart()
    wanted = _quantity(quantity, found.product, allow_zero=True)
    if wanted == 0:
        found.delete()
        _touch(locked)
        return None
    current = _sold_product(locked, found.product)
    if current.track_stock and wanted > current.stock:
        raise NotEnoughStock(product_id=current.pk, product=current.name, available=current.stock)
    found.quantity = wanted
    found.save(update_fields=["quantity", "updated_at"])
    _touch(locked)
    return found


@transaction.atomic
def remove_line(cart: Cart, product: Product | int) -> None:
    """Take `product` (a product or its id) out of the cart, sold or not.
    Raises NotInCart when the cart does not hold it (removed in another tab)."""
    locked = lock_cart(cart.pk)
    product_id = product.pk if isinstance(product, Product) else product
    removed, _ = CartLine.objects.filter(cart=locked, product_id=product_id).delete()
    if not removed:
        raise NotInCart()
    _touch(locked)


@transaction.atomic
def clear_cart(cart: Cart) -> None:
    """Empty the cart (after its order was placed); the cart itself stays."""
    locked = lock_cart(cart.pk)
    CartLine.objects.filter(cart=locked).delete()
    locked.notes = []
    locked.save(update_fields=["notes", "updated_at"])


@transaction.atomic
def merge_carts(guest: Cart, *, into: Cart) -> Cart:
    """Move the guest's cart into `into` (the customer's saved cart of the
    same store) at sign-in, then delete the guest's cart. Quantities of one
    product are added. Where the product's tracked stock, or MAX_QUANTITY,
    is less than the sum, the line is capped at it and a note is left on
    the cart, which the cart page shows once. Lines of products no longer
    sold move as they are (the cart page says so). Returns `into`, locked
    and current; a guest cart already merged (a second sign-in at once)
    changes nothing."""
    if guest.pk == into.pk:
        return into
    if guest.store_id != into.store_id:
        raise CartError()
    carts = lock_carts([guest.pk, into.pk])
    target = carts[into.pk]
    source = carts.get(guest.pk)
    if source is None:
        return target
    held = {line.product_id: line for line in CartLine.objects.filter(cart=target)}
    notes = list(target.notes)
    for line in CartLine.objects.filter(cart=source).select_related("product"):
        product = line.product
        existing = held.get(product.pk)
        total = line.quantity + (existing.quantity if existing is not None else 0)
        quantity = total
        if product.track_stock and 0 < product.stock < quantity:
            quantity = product.stock
            notes.append(_note(CAPPED_BY_STOCK, product, quantity))
        if quantity > MAX_QUANTITY:
            quantity = MAX_QUANTITY
            notes.append(_note(CAPPED_AT_MAXIMUM, product, quantity))
        if existing is None:
            CartLine.objects.create(cart=target, product=product, quantity=quantity)
        elif existing.quantity != quantity:
            existing.quantity = quantity
            existing.save(update_fields=["quantity", "updated_at"])
    source.delete()
    target.notes = notes
    target.save(update_fields=["notes", "updated_at"])
    return target


def delete_abandoned_guest_carts(*, untouched_since: datetime) -> int:
    """Delete the guest carts not changed since `untouched_since` (with
    their lines); how many. A guest cart lives only as long as the session
    holding its token, so past the longest session nobody can reach it.
    Customers' saved carts stay."""
    _, per_model = Cart.objects.filter(
        customer__isnull=True, updated_at__lt=untouched_since
    ).delete()
    return per_model.get(Cart._meta.label, 0)


def dismiss_notes(cart: Cart) -> None:
    """The cart page has shown the merge's notes: forget them."""
    if cart.notes:
        Cart.objects.filter(pk=cart.pk).update(notes=[])
        cart.notes = []


def _note(kind: str, product: Product, quantity: int) -> dict[str, object]:
    return {"kind": kind, "product_id": product.pk, "product": product.name, "quantity": quantity}


def _quantity(value: object, product: Product, *, allow_zero: bool) -> int:
    """A quantity as an int: an int, or a string of ASCII digits (what a
    form sends); nothing negative, fractional, huge or non-numeric."""
    if isinstance(value, str):
        text = value.strip()
        number = int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        number = None
    if number is None or not (0 if allow_zero else 1) <= number <= MAX_QUANTITY:
        raise InvalidQuantity(product_id=product.pk, product=product.name)
    return number


def _sold_product(cart: Cart, product: Product) -> Product:
    """The product's row as it is now, if the cart's store sells it."""
    current = Product.objects.filter(pk=product.pk).first()
    if current is None or current.store_id != cart.store_id or not current.is_published:
        raise ProductUnavailable(product_id=product.pk, product=product.name)
    return current


def _touch(cart: Cart) -> None:
    cart.save(update_fields=["updated_at"])
