"""The hard cap on consecutive failures of one sign-in method (NIST 800-63B
5.2.2): after SHOP_FACTOR_FAILURE_LIMIT failures in a row (100 by default) of
the password, the authenticator app, the recovery codes or the emailed codes
of one account, that method is locked and the customer is told by email. The
other ways in keep working (a locked password still lets a sign-in link or
code in); a password reset unlocks every method. A success resets the count.

Rate limits (settings.ACCOUNT_RATE_LIMITS) slow guessing down over time; this
cap bounds it over the account's whole life. Called from the glue where allauth
checks each secret: the authentication backend (password), the 2FA form
(authenticator app and recovery codes) and the emailed-code form.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shop_accounts.conf import shop_settings
from shop_accounts.customers import events
from shop_accounts.customers.emails import email_customer
from shop_accounts.customers.models import Customer
from shop_accounts.identity.errors import FactorNotLocked
from shop_accounts.identity.locks import (
    lock_all_factor_failures,
    lock_factor_failures,
    lock_locked_factor,
)
from shop_accounts.identity.models import FactorFailures
from shop_accounts.stores.links import store_url
from shop_accounts.stores.models import Store

Factor = FactorFailures.Factor


def is_locked(customer: Customer, factor: str) -> bool:
    """Is this sign-in method of the customer locked?"""
    return FactorFailures.objects.filter(
        customer=customer, factor=factor, locked_at__isnull=False
    ).exists()


def factor_locks_for(customer: Customer) -> list[FactorFailures]:
    """The customer's locked sign-in methods with when each was locked (for
    the merchant's view of the customer), by method."""
    return list(
        FactorFailures.objects.filter(customer=customer, locked_at__isnull=False).order_by("factor")
    )


@transaction.atomic
def record_factor_failure(customer: Customer, factor: str, *, store: Store | None) -> bool:
    """Count one failure of `factor`; at the cap lock it, record the event and
    email the customer, as `store` (the one signed in to; without one, the
    store that first recorded the customer). Returns whether the method is
    locked now."""
    FactorFailures.objects.get_or_create(customer=customer, factor=factor)
    counter = lock_factor_failures(customer, factor)
    if counter.locked_at is not None:
        return True
    counter.consecutive += 1
    update_fields = ["consecutive"]
    locks = counter.consecutive >= shop_settings.FACTOR_FAILURE_LIMIT
    if locks:
        counter.locked_at = timezone.now()
        update_fields.append("locked_at")
    counter.save(update_fields=update_fields)
    if locks:
        events.record_factor_locked(customer=customer, factor=factor, failures=counter.consecutive)
        _email_factor_locked(customer, factor, store=store or customer.store)
    return locks


def record_factor_success(customer: Customer, factor: str) -> None:
    """A success of an unlocked method starts its count again."""
    FactorFailures.objects.filter(
        customer=customer, factor=factor, locked_at__isnull=True, consecutive__gt=0
    ).update(consecutive=0)


@transaction.atomic
def unlock_factors(customer: Customer, *, actor: Customer | None) -> list[str]:
    """Unlock every locked method of the customer and reset all counts (the
    customer proved their mailbox with a password reset). Returns what was
    unlocked."""
    counters = lock_all_factor_failures(customer)
    unlocked = [counter.factor for counter in counters if counter.locked_at is not None]
    FactorFailures.objects.filter(pk__in=[counter.pk for counter in counters]).update(
        consecutive=0, locked_at=None
    )
    for factor in unlocked:
        events.record_factor_unlocked(customer=customer, factor=factor, actor=actor)
    return unlocked


@transaction.atomic
def unlock_factor(customer: Customer, *, factor: str, actor: Customer | None) -> None:
    """Unlock one locked sign-in method of the customer (the merchant, after
    making sure it is really the customer asking) and start its count again;
    FACTOR_UNLOCKED records who did it. Raises FactorNotLocked when the
    method is not locked; nothing changes then."""
    counter = lock_locked_factor(customer, factor)
    if counter is None:
        raise FactorNotLocked()
    counter.consecutive = 0
    counter.locked_at = None
    counter.save(update_fields=["consecutive", "locked_at"])
    events.record_factor_unlocked(customer=customer, factor=factor, actor=actor)


def _email_factor_locked(customer: Customer, factor: str, *, store: Store) -> None:
    reset_url = store_url(store, reverse("account_reset_password"))
    email_customer(
        customer,
        "identity/emails/factor_locked",
        {
            "factor": factor,
            "limit": shop_settings.FACTOR_FAILURE_LIMIT,
            "reset_url": reset_url,
        },
        store=store,
        kind="factor_locked",
    )
