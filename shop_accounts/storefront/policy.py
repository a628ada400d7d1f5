"""Who may see what in the storefront. The one place that decides it."""

from django.http import HttpRequest

from shop_accounts.catalog.pricing import prices_visible
from shop_accounts.customers.models import Customer
from shop_accounts.stores.context import request_store
from shop_accounts.stores.models import Store


def signed_in_customer(request: HttpRequest) -> Customer | None:
    """The customer signed in on this request, if any."""
    user = request.user
    return user if isinstance(user, Customer) and user.is_authenticated else None


def shop_closed_to(request: HttpRequest) -> bool:
    """True when the store shows its shop to signed-in customers only and
    this visitor is not one."""
    store = request_store(request)
    return (
        store.shop_visibility == Store.ShopVisibility.SIGNED_IN
        and signed_in_customer(request) is None
    )


def shows_prices(request: HttpRequest) -> bool:
    return prices_visible(request_store(request), signed_in=signed_in_customer(request) is not None)
