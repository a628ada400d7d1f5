"""Who may see what in the storefront. The one place that decides it."""

from django.http import HttpRequest

from shop_accounts.customers.models import Customer


def signed_in_customer(request: HttpRequest) -> Customer | None:
    """The customer signed in on this request, if any."""
    user = request.user
    return user if isinstance(user, Customer) and user.is_authenticated else None
