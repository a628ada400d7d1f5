"""The merchant's "reset two-factor" for a customer who lost their phone:
the merchant proves it is them with their own authenticator code, then every
second factor of the customer (authenticator app, recovery codes, passkeys)
is removed, the customer is emailed and the trail records who did it. The
customer signs in with their password (or a link or code) and sets up again."""

from allauth.mfa.models import Authenticator
from django.db import transaction
from django.urls import reverse

from shop_accounts.customers import events
from shop_accounts.customers.emails import email_customer
from shop_accounts.customers.locks import lock_customer
from shop_accounts.customers.models import Customer
from shop_accounts.identity.errors import NoSecondFactor, WrongOwnCode
from shop_accounts.stores.links import store_url


def second_factors_of(customer: Customer) -> list[Authenticator]:
    """The customer's authenticators for the merchant's view (kind, when
    added, last used; the template never shows their secrets), by kind."""
    return list(Authenticator.objects.filter(user_id=customer.pk).order_by("type", "created_at"))


def _own_code_is_right(staff: Customer, code: str) -> bool:
    totp = Authenticator.objects.filter(user_id=staff.pk, type=Authenticator.Type.TOTP).first()
    return totp is not None and bool(totp.wrap().validate_code(code.strip()))


@transaction.atomic
def reset_two_factor(customer: Customer, *, actor: Customer, own_code: str) -> list[str]:
    """Remove every second factor of `customer`, after `actor` (the merchant)
    gave a right code of their OWN authenticator app; email the customer (in
    their language, from their store) and record TWO_FACTOR_RESET. Returns
    the kinds removed. Raises WrongOwnCode (nothing changes) or NoSecondFactor."""
    if not _own_code_is_right(actor, own_code):
        raise WrongOwnCode()
    locked = lock_customer(customer.pk)
    authenticators = Authenticator.objects.filter(user_id=locked.pk)
    removed = sorted(set(authenticators.values_list("type", flat=True)))
    if not removed:
        raise NoSecondFactor()
    authenticators.delete()
    store = locked.store
    email_customer(
        locked,
        "identity/emails/two_factor_reset",
        {"login_url": store_url(store, reverse("account_login"))},
        store=store,
        kind="two_factor_reset",
    )
    events.record_two_factor_reset(customer=locked, actor=actor, removed=removed)
    return removed
