"""Row locks on the sign-in layer's own rows (failure counters, allauth's
authenticators), in one place (the model is saleor's `lock_objects.py`).
These rows belong to one customer: take them after the customer's lock, if
the action holds one (DEVELOPERS.md, "Locks"); several in primary-key order."""

from allauth.mfa.models import Authenticator

from shop_accounts.customers.models import Customer
from shop_accounts.identity.models import FactorFailures


def lock_factor_failures(customer: Customer, factor: str) -> FactorFailures:
    """The customer's failure counter of one sign-in method, locked."""
    return FactorFailures.objects.select_for_update().get(customer=customer, factor=factor)


def lock_locked_factor(customer: Customer, factor: str) -> FactorFailures | None:
    """The counter of one sign-in method, locked, if that method is locked."""
    return (
        FactorFailures.objects.select_for_update()
        .filter(customer=customer, factor=factor, locked_at__isnull=False)
        .first()
    )


def lock_all_factor_failures(customer: Customer) -> list[FactorFailures]:
    """Every failure counter of the customer, locked in primary-key order."""
    return list(FactorFailures.objects.select_for_update().filter(customer=customer).order_by("pk"))


def lock_authenticator(pk: int) -> Authenticator:
    """An authenticator (app, recovery codes, passkey) row, locked."""
    return Authenticator.objects.select_for_update().get(pk=pk)
