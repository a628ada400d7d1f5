"""Account states (activate, deactivate, reactivate), sessions and passwords."""

from collections.abc import Callable

from django.db import transaction

from shop_accounts.customers import events
from shop_accounts.customers.errors import AccountStateConflict
from shop_accounts.customers.locks import lock_customer
from shop_accounts.customers.models import Customer, CustomerEvent

Kind = CustomerEvent.Kind
State = Customer.AccountState


def _change_state(
    customer: Customer,
    *,
    to: str,
    allowed_from: set[str],
    record: Callable[..., CustomerEvent],
    actor: Customer | None,
    **event_data: str,
) -> Customer:
    """Move the account to state `to` if its state allows it, and `record`
    the step (one of the events.record_account_* recorders, given
    `event_data` besides the previous state)."""
    locked = lock_customer(customer.pk)
    if locked.account_state == to:
        return locked
    if locked.account_state not in allowed_from:
        raise AccountStateConflict()
    previous = locked.account_state
    locked.set_account_state(to)
    locked.save(update_fields=[*Customer.STATE_FIELDS, "updated_at"])
    record(customer=locked, actor=actor, previous_state=previous, **event_data)
    return locked


@transaction.atomic
def activate_account(customer: Customer, *, actor: Customer | None) -> Customer:
    """Let the customer sign in (after verification, approval or invitation)."""
    return _change_state(
        customer,
        to=State.ACTIVE,
        allowed_from={
            State.NONE,
            State.INVITED,
            State.AWAITING_ACTIVATION,
            State.AWAITING_APPROVAL,
        },
        record=events.record_account_activated,
        actor=actor,
    )


@transaction.atomic
def deactivate_account(customer: Customer, *, actor: Customer | None, reason: str = "") -> Customer:
    """Stop the customer from signing in. Their record, orders and addresses
    stay; the merchant's `reason`, if given, is kept on the trail. The
    backend refuses inactive users, so a signed-in browser is signed out on
    its next request; `identity.actions.deactivate_account`
    also ends the sessions on the server (allauth's, so not here)."""
    return _change_state(
        customer,
        to=State.DEACTIVATED,
        allowed_from={
            State.ACTIVE,
            State.INVITED,
            State.AWAITING_ACTIVATION,
            State.AWAITING_APPROVAL,
        },
        record=events.record_account_deactivated,
        actor=actor,
        reason=reason.strip(),
    )


@transaction.atomic
def reactivate_account(customer: Customer, *, actor: Customer | None) -> Customer:
    """Undo a deactivation."""
    return _change_state(
        customer,
        to=State.ACTIVE,
        allowed_from={State.DEACTIVATED},
        record=events.record_account_reactivated,
        actor=actor,
    )


@transaction.atomic
def set_customer_password(customer: Customer, *, password: str, actor: Customer | None) -> Customer:
    """Set a password (demo data, import); sign-up and reset go through allauth."""
    locked = lock_customer(customer.pk)
    locked.set_password(password)
    locked.save(update_fields=["password", "updated_at"])
    events.record_password_changed(customer=locked, actor=actor)
    return locked
