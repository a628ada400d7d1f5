"""Typed errors of cart actions (see core/errors.py): a code and a
translatable message, which the storefront shows on the cart page with a
4xx status; the cart stays as it was. Errors about one product carry it
(`product_id`) so the page can mark the line."""

from django.utils.translation import gettext_lazy as _

from shop_accounts.core.errors import DomainError
from shop_accounts.orders.models import MAX_QUANTITY


class CartError(DomainError):
    code = "cart_error"
    message = _("The cart could not be changed.")


class InvalidQuantity(CartError):
    """Not a whole number from 1 to MAX_QUANTITY (0 only where it removes)."""

    code = "invalid_quantity"
    message = _("The quantity of “%(product)s” must be a whole number from 1 to %(maximum)s.")
    field = "quantity"

    def __init__(self, *, product_id: int, product: str) -> None:
        self.product_id = product_id
        super().__init__(params={"product": product, "maximum": MAX_QUANTITY})


class TooManyInCart(CartError):
    """What is in the cart and what is added together pass MAX_QUANTITY."""

    code = "too_many_in_cart"
    message = _("Your cart can hold at most %(maximum)s of “%(product)s”.")
    field = "quantity"

    def __init__(self, *, product_id: int, product: str) -> None:
        self.product_id = product_id
        super().__init__(params={"product": product, "maximum": MAX_QUANTITY})


class ProductUnavailable(CartError):
    """The product is not sold (any more): unpublished or of another store."""

    code = "product_unavailable"
    message = _("“%(product)s” is no longer available.")

    def __init__(self, *, product_id: int, product: str) -> None:
        self.product_id = product_id
        super().__init__(params={"product": product})


class UnknownProduct(CartError):
    """No product of this store has the id asked for (a stale or tampered
    form): the page answers 404."""

    code = "unknown_product"
    message = _("This product is not available.")


class NotInCart(CartError):
    """A line to change or remove that the cart does not hold (removed in
    another tab, or a tampered form)."""

    code = "not_in_cart"
    message = _("This product is not in your cart (any more).")


class NotEnoughStock(CartError):
    """The product tracks its stock and has fewer left than the cart would
    then hold."""

    code = "not_enough_stock"
    # Worded so that one sentence fits any number (no plural forms needed).
    message = _("“%(product)s”: only %(available)s left in stock.")
    field = "quantity"

    def __init__(self, *, product_id: int, product: str, available: int) -> None:
        self.product_id = product_id
        self.available = available
        super().__init__(params={"product": product, "available": available})
