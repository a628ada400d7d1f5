"""Who may use the back office, and as whom they act. The one place that
decides it for this surface."""

from django.http import HttpRequest

from shop_accounts.customers.models import Customer


def is_merchant(user: object) -> bool:
    """Active staff may use the back office."""
    return isinstance(user, Customer) and user.is_active and user.is_staff


def acting_merchant(request: HttpRequest) -> Customer:
    """The signed-in staff member, recorded as the actor of every change."""
    user = request.user
    if not is_merchant(user):
        raise PermissionError("Only staff act in the back office.")
    assert isinstance(user, Customer)
    return user
