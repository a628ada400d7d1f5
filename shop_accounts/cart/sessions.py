"""Where a visitor's session points to their cart, in one place: the
storefront (`storefront/carts.py`) writes it, identity's login hook carries
it over at sign-in.

A guest's session holds the token of their cart; a signed-in customer's
the id of their saved cart, so the header can count its items without a
query for a visitor who has no cart. Signing in merges the guest's cart into
the saved one and drops the token; signing out flushes the session, which
leaves the saved cart on the account and the browser with no cart."""

from django.contrib.sessions.backends.base import SessionBase

from shop_accounts.cart import actions, queries
from shop_accounts.cart.models import Cart
from shop_accounts.customers.models import Customer
from shop_accounts.stores.models import Store

GUEST_CART_KEY = "shop_cart_token"
CUSTOMER_CART_KEY = "shop_cart_id"


def guest_token(session: SessionBase) -> str:
    """The token of the guest cart this session holds ("" for none)."""
    token = session.get(GUEST_CART_KEY)
    return token if isinstance(token, str) else ""


def customer_cart_id(session: SessionBase) -> int | None:
    """The signed-in customer's saved cart, as the session knows it."""
    cart_id = session.get(CUSTOMER_CART_KEY)
    return cart_id if isinstance(cart_id, int) else None


def remember_cart(session: SessionBase, cart: Cart) -> None:
    """Point the session to `cart` (writing the session only when it
    changes, so a page view that reads the cart writes nothing)."""
    key, value = (
        (GUEST_CART_KEY, cart.token) if cart.customer_id is None else (CUSTOMER_CART_KEY, cart.pk)
    )
    if session.get(key) != value:
        session[key] = value


def carry_over_at_sign_in(
    session: SessionBase, *, store: Store, customer: Customer, guest_token: str
) -> Cart | None:
    """At sign-in (any way in): merge the guest cart of `guest_token` (read
    from the session before the sign-in rotated it) into the customer's
    saved cart in `store`, drop the token and point the session to the
    saved cart. One query when the guest had no cart. Returns the saved
    cart, if the customer has one."""
    session.pop(GUEST_CART_KEY, None)
    if customer.realm_id != store.account_realm_id:
        return None
    guest = queries.guest_cart(store, guest_token) if guest_token else None
    saved = queries.customer_cart(store, customer)
    if guest is not None:
        saved = actions.merge_carts(
            guest, into=saved or actions.open_cart(store, customer=customer)
        )
    if saved is None:
        session.pop(CUSTOMER_CART_KEY, None)
    else:
        session[CUSTOMER_CART_KEY] = saved.pk
    return saved
