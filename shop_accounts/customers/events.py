"""Recorders of the customer audit trail: one keyword-only function per
kind (saleor's `account/events.py`), each writing fixed data keys. Data
holds ids, not names (`store_id`, `address_id`, `invitation_id`), so a
rename never rewrites history; a snapshot is kept only of what may be gone
later (a removed address's lines, a message's subject). Nothing outside this
module writes CustomerEvent rows; `_record` is private."""

from datetime import datetime
from typing import Any

from shop_accounts.customers.models import Address, Customer, CustomerEvent

Kind = CustomerEvent.Kind


def _record(
    *, customer: Customer, kind: str, actor: Customer | None = None, **data: Any
) -> CustomerEvent:
    """Write one event row. `actor` is who did it (staff, the customer, or None
    for the system)."""
    return CustomerEvent.objects.create(customer=customer, kind=kind, actor=actor, data=data)


def record_created(*, customer: Customer, actor: Customer | None, source: str) -> CustomerEvent:
    return _record(customer=customer, kind=Kind.CREATED, actor=actor, source=source)


def record_updated(
    *, customer: Customer, actor: Customer | None, fields: list[str]
) -> CustomerEvent:
    return _record(customer=customer, kind=Kind.UPDATED, actor=actor, fields=sorted(fields))


def record_email_changed(
    *, customer: Customer, actor: Customer | None, previous_email: str
) -> CustomerEvent:
    """The customer's email changed (in the back office, or by making another
    verified address primary in My Account)."""
    return _record(
        customer=customer,
        kind=Kind.UPDATED,
        actor=actor,
        fields=["email"],
        previous_email=previous_email,
    )


def record_marketing_consent(
    *, customer: Customer, actor: Customer | None, accepts: bool, source: str
) -> CustomerEvent:
    return _record(
        customer=customer, kind=Kind.MARKETING_CONSENT, actor=actor, accepts=accepts, source=source
    )


def _record_address(
    *, customer: Customer, actor: Customer | None, kind: str, address: Address
) -> CustomerEvent:
    # The lines are kept as they were: a removed address is gone from the table. The
    # country is kept as its code, so the trail names it in the reader's language.
    return _record(
        customer=customer,
        kind=kind,
        actor=actor,
        address_id=address.pk,
        address=", ".join(line for line in address.lines(with_country=False) if line),
        country=str(address.country or ""),
    )


def record_address_added(
    *, customer: Customer, actor: Customer | None, address: Address
) -> CustomerEvent:
    return _record_address(customer=customer, actor=actor, kind=Kind.ADDRESS_ADDED, address=address)


def record_address_changed(
    *, customer: Customer, actor: Customer | None, address: Address
) -> CustomerEvent:
    return _record_address(
        customer=customer, actor=actor, kind=Kind.ADDRESS_CHANGED, address=address
    )


def record_address_removed(
    *, customer: Customer, actor: Customer | None, address: Address
) -> CustomerEvent:
    """`address` as it was just before it was deleted (its pk still set)."""
    return _record_address(
        customer=customer, actor=actor, kind=Kind.ADDRESS_REMOVED, address=address
    )


def record_account_created(*, customer: Customer, state: str) -> CustomerEvent:
    """The record got an account (sign-up), in `state`."""
    return _record(customer=customer, kind=Kind.ACCOUNT_CREATED, actor=customer, state=state)


def record_account_activated(
    *, customer: Customer, actor: Customer | None, previous_state: str
) -> CustomerEvent:
    return _record(
        customer=customer,
        kind=Kind.ACCOUNT_ACTIVATED,
        actor=actor,
        previous_state=previous_state,
    )


def record_account_deactivated(
    *, customer: Customer, actor: Customer | None, previous_state: str, reason: str = ""
) -> CustomerEvent:
    """`reason`: what the merchant wrote when deactivating (kept only if given)."""
    return _record(
        customer=customer,
        kind=Kind.ACCOUNT_DEACTIVATED,
        actor=actor,
        previous_state=previous_state,
        **({"reason": reason} if reason else {}),
    )


def record_account_reactivated(
    *, customer: Customer, actor: Customer | None, previous_state: str
) -> CustomerEvent:
    return _record(
        customer=customer,
        kind=Kind.ACCOUNT_REACTIVATED,
        actor=actor,
        previous_state=previous_state,
    )


def record_registered(
    *, customer: Customer, store_id: int, signup_mode: str, given: dict[str, str]
) -> CustomerEvent:
    """A sign-up in the store `store_id` under its `signup_mode`; `given` is
    what the form asked besides email and password (for the merchant's review)."""
    return _record(
        customer=customer,
        kind=Kind.REGISTERED,
        actor=customer,
        store_id=store_id,
        signup_mode=signup_mode,
        given=given,
    )


def record_email_verified(*, customer: Customer, email: str) -> CustomerEvent:
    """The customer proved `email` by following an emailed confirmation link."""
    return _record(customer=customer, kind=Kind.EMAIL_VERIFIED, actor=customer, email=email)


def record_registration_approved(
    *, customer: Customer, actor: Customer | None, previous_state: str
) -> CustomerEvent:
    return _record(
        customer=customer, kind=Kind.APPROVED, actor=actor, previous_state=previous_state
    )


def record_registration_declined(
    *, customer: Customer, actor: Customer | None, previous_state: str, reason: str = ""
) -> CustomerEvent:
    """`reason`: what the merchant wrote when declining (kept only if given)."""
    return _record(
        customer=customer,
        kind=Kind.DECLINED,
        actor=actor,
        previous_state=previous_state,
        **({"reason": reason} if reason else {}),
    )


def record_password_changed(*, customer: Customer, actor: Customer | None) -> CustomerEvent:
    return _record(customer=customer, kind=Kind.PASSWORD_CHANGED, actor=actor)


def record_password_reset_sent(*, customer: Customer, actor: Customer | None) -> CustomerEvent:
    """The merchant emailed the customer a password-reset link."""
    return _record(customer=customer, kind=Kind.PASSWORD_RESET_SENT, actor=actor)


def record_realm_changed(
    *, customer: Customer, actor: Customer | None, store_id: int, shared: bool
) -> CustomerEvent:
    """The customer moved realm with the store `store_id`, which now shares
    accounts (`shared`) or keeps its own."""
    return _record(
        customer=customer, kind=Kind.REALM_CHANGED, actor=actor, store_id=store_id, shared=shared
    )


def record_signed_in_with_link(*, customer: Customer, store_id: int) -> CustomerEvent:
    """The customer spent an emailed sign-in link (their first factor)."""
    return _record(
        customer=customer, kind=Kind.SIGNED_IN_WITH_LINK, actor=customer, store_id=store_id
    )


def record_contact_message(*, customer: Customer, message_id: int, subject: str) -> CustomerEvent:
    """A message from the storefront's contact form arrived for this record."""
    return _record(
        customer=customer,
        kind=Kind.CONTACT_MESSAGE,
        actor=None,
        message_id=message_id,
        subject=subject,
    )


def record_factor_locked(*, customer: Customer, factor: str, failures: int) -> CustomerEvent:
    """A sign-in method of the customer was locked after `failures`
    consecutive failures (the other methods keep working)."""
    return _record(
        customer=customer, kind=Kind.FACTOR_LOCKED, actor=None, factor=factor, failures=failures
    )


def record_factor_unlocked(
    *, customer: Customer, factor: str, actor: Customer | None
) -> CustomerEvent:
    """A locked sign-in method works again (after a password reset)."""
    return _record(customer=customer, kind=Kind.FACTOR_UNLOCKED, actor=actor, factor=factor)


def record_sessions_ended(
    *, customer: Customer, actor: Customer | None, sessions: int
) -> CustomerEvent:
    """`sessions` signed-in devices of the customer were signed out on the
    server (by the customer, the merchant or a deactivation)."""
    return _record(customer=customer, kind=Kind.SESSIONS_ENDED, actor=actor, sessions=sessions)


def record_invitation(
    *,
    customer: Customer,
    actor: Customer | None,
    resent: bool,
    invitation_id: int,
    store_id: int,
    expires_at: datetime,
) -> CustomerEvent:
    """An invitation to open an account was emailed (again, if `resent`)."""
    return _record(
        customer=customer,
        kind=Kind.INVITATION_RESENT if resent else Kind.INVITED,
        actor=actor,
        invitation_id=invitation_id,
        store_id=store_id,
        expires_at=expires_at.isoformat(),
    )


def record_invitation_accepted(
    *, customer: Customer, invitation_id: int, store_id: int
) -> CustomerEvent:
    """The customer followed their invitation and opened the account."""
    return _record(
        customer=customer,
        kind=Kind.INVITATION_ACCEPTED,
        actor=customer,
        invitation_id=invitation_id,
        store_id=store_id,
    )


def record_two_factor_added(*, customer: Customer, method: str) -> CustomerEvent:
    """The customer added a second factor (`method`: totp, webauthn, recovery_codes)."""
    return _record(customer=customer, kind=Kind.TWO_FACTOR_ADDED, actor=customer, method=method)


def record_two_factor_removed(*, customer: Customer, method: str) -> CustomerEvent:
    """The customer removed a second factor (`method`: totp, webauthn)."""
    return _record(customer=customer, kind=Kind.TWO_FACTOR_REMOVED, actor=customer, method=method)


def record_recovery_code_used(*, customer: Customer) -> CustomerEvent:
    """The customer signed in with one of their recovery codes."""
    return _record(
        customer=customer, kind=Kind.RECOVERY_CODE_USED, actor=customer, method="recovery_codes"
    )


def record_signed_in(*, customer: Customer, method: str, store_id: int | None) -> CustomerEvent:
    """The customer got a session in the store `store_id`; `method` is their
    first factor (password, link, code, passkey, invitation, password_reset)."""
    return _record(
        customer=customer, kind=Kind.SIGNED_IN, actor=customer, method=method, store_id=store_id
    )


def record_signin_failed(*, customer: Customer, method: str, store_id: int | None) -> CustomerEvent:
    """A wrong secret (`method`: password) was given for this account. One row
    per attempt: the rate limits and the failure cap bound how many."""
    return _record(
        customer=customer, kind=Kind.SIGNIN_FAILED, actor=None, method=method, store_id=store_id
    )


def record_password_reset_requested(*, customer: Customer, store_id: int | None) -> CustomerEvent:
    """Someone asked for a password-reset link for this account on the store
    `store_id` (the link went to the customer's own mailbox)."""
    return _record(
        customer=customer, kind=Kind.PASSWORD_RESET_REQUESTED, actor=None, store_id=store_id
    )


def record_two_factor_reset(
    *, customer: Customer, actor: Customer | None, removed: list[str]
) -> CustomerEvent:
    """The merchant removed every second factor of the customer (`removed`:
    the kinds there were: totp, recovery_codes, webauthn)."""
    return _record(
        customer=customer, kind=Kind.TWO_FACTOR_RESET, actor=actor, removed=sorted(removed)
    )


def record_group_changed(
    *,
    customer: Customer,
    actor: Customer | None,
    store_id: int,
    group_id: int | None,
    previous_group_id: int | None,
) -> CustomerEvent:
    """The customer's customer group in a store changed (None: no group)."""
    return _record(
        customer=customer,
        kind=Kind.GROUP_CHANGED,
        actor=actor,
        store_id=store_id,
        group_id=group_id,
        previous_group_id=previous_group_id,
    )
