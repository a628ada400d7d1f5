"""The header's cart count."""

from django import template

from shop_accounts.cart.queries import CartContents
from shop_accounts.orders.models import MAX_QUANTITY
from shop_accounts.storefront import carts

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_item_count(context: template.Context) -> int:
    """The items in the visitor's cart. The cart page passes what it has
    already read (`cart_contents`), so it asks nothing more."""
    contents = context.get("cart_contents")
    if isinstance(contents, CartContents):
        return contents.item_count
    request = context.get("request")
    return carts.item_count(request) if request is not None else 0


@register.simple_tag
def cart_max_quantity() -> int:
    """The most of one product a cart line holds (the quantity fields' max)."""
    return MAX_QUANTITY
