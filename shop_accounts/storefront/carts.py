"""The cart of the visitor of a storefront request: a signed-in customer's
saved cart, or the guest cart whose token the session holds (see
`cart/sessions.py`). The checkout reads the cart through these too."""

from typing import Literal, overload

from django.http import HttpRequest

from shop_accounts.cart import actions, queries, sessions
from shop_accounts.cart.models import Cart
from shop_accounts.storefront.policy import signed_in_customer
from shop_accounts.stores.context import request_store


@overload
def request_cart(request: HttpRequest, *, create: Literal[True]) -> Cart: ...
@overload
def request_cart(request: HttpRequest, *, create: bool = False) -> Cart | None: ...
def request_cart(request: HttpRequest, *, create: bool = False) -> Cart | None:
    """The visitor's cart in the request's store: one query; None when they
    have none, unless `create` (their first add) makes it."""
    store = request_store(request)
    customer = signed_in_customer(request)
    if customer is not None:
        cart = queries.customer_cart(store, customer)
        if cart is None and create:
            cart = actions.open_cart(store, customer=customer)
    else:
        token = sessions.guest_token(request.session)
        cart = queries.guest_cart(store, token) if token else None
        if cart is None and create:
            cart = actions.open_cart(store)
    if cart is not None:
        sessions.remember_cart(request.session, cart)
    return cart


def item_count(request: HttpRequest) -> int:
    """How many items the visitor's cart holds, for the header: one query,
    none for a visitor whose session points to no cart."""
    session = getattr(request, "session", None)
    if session is None:
        return 0
    store = request_store(request)
    customer = signed_in_customer(request)
    if customer is not None:
        cart_id = sessions.customer_cart_id(session)
        return queries.items_in_customer_cart(store, customer, cart_id) if cart_id else 0
    token = sessions.guest_token(session)
    return queries.items_in_guest_cart(store, token) if token else 0
