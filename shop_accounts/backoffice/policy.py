"""Who may use the back office, and as whom they act. The one place that
decides it for this surface."""

from django.http import HttpRequest

from shop_accounts.customers.models import Customer
from shop_accounts.identity.two_factor import has_strong_factor


def is_merchant(user: object) -> bool:
    """Active staff with an authenticator app or a passkey may use the back
    office (they sign in through the storefront, so 2FA applies)."""
    return is_staff_member(user) and _has_strong_factor(user)


def is_staff_member(user: object) -> bool:
    """Active staff, whether or not they have set up their second factor."""
    return isinstance(user, Customer) and user.is_active and user.is_staff


def _has_strong_factor(user: object) -> bool:
    # Asked several times per page: remembered on the request's user object.
    cached = getattr(user, "_backoffice_strong_factor", None)
    if cached is None:
        cached = has_strong_factor(user)
        user._backoffice_strong_factor = cached  # type: ignore[attr-defined]
    return cached


def acting_merchant(request: HttpRequest) -> Customer:
    """The signed-in staff member, recorded as the actor of every change."""
    user = request.user
    if not is_merchant(user):
        raise PermissionError("Only staff act in the back office.")
    assert isinstance(user, Customer)
    return user
