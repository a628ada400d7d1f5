"""Recorders of the customer audit trail: one keyword-only function per kind."""

from datetime import datetime
from typing import Any

from shop_accounts.customers.models import Customer, CustomerEvent

Kind = CustomerEvent.Kind


def record_event(
    *, customer: Customer, kind: str, actor: Customer | None = None, **data: Any
) -> CustomerEvent:
    """Write one event row. `actor` is who did it (staff, the customer, or None
    for the system)."""
    return CustomerEvent.objects.create(customer=customer, kind=kind, actor=actor, data=data)


def record_created(*, customer: Customer, actor: Customer | None, source: str) -> CustomerEvent:
    return record_event(customer=customer, kind=Kind.CREATED, actor=actor, source=source)


def record_updated(
    *, customer: Customer, actor: Customer | None, fields: list[str]
) -> CustomerEvent:
    return record_event(customer=customer, kind=Kind.UPDATED, actor=actor, fields=sorted(fields))


def record_email_changed(
    *, customer: Customer, actor: Customer | None, previous_email: str
) -> CustomerEvent:
    """The customer's email changed (in the back office, or by making another
    verified address primary in My Account)."""
    return record_event(
        customer=customer,
        kind=Kind.UPDATED,
        actor=actor,
        fields=["email"],
        previous_email=previous_email,
    )


def record_marketing_consent(
    *, customer: Customer, actor: Customer | None, accepts: bool, source: str
) -> CustomerEvent:
    return record_event(
        customer=customer, kind=Kind.MARKETING_CONSENT, actor=actor, accepts=accepts, source=source
    )


def record_address(
    *, customer: Customer, actor: Customer | None, kind: str, address_id: int, summary: str
) -> CustomerEvent:
    return record_event(
        customer=customer, kind=kind, actor=actor, address_id=address_id, address=summary
    )


def record_account_state(
    *, customer: Customer, actor: Customer | None, kind: str, previous: str
) -> CustomerEvent:
    return record_event(customer=customer, kind=kind, actor=actor, previous_state=previous)


def record_signed_in_with_link(*, customer: Customer, store_id: int) -> CustomerEvent:
    """The customer spent an emailed sign-in link (their first factor)."""
    return record_event(
        customer=customer, kind=Kind.SIGNED_IN_WITH_LINK, actor=customer, store_id=store_id
    )


def record_contact_message(*, customer: Customer, message_id: int, subject: str) -> CustomerEvent:
    """A message from the storefront's contact form arrived for this record."""
    return record_event(
        customer=customer,
        kind=Kind.CONTACT_MESSAGE,
        actor=None,
        message_id=message_id,
        subject=subject,
    )


def record_factor_locked(*, customer: Customer, factor: str, failures: int) -> CustomerEvent:
    """A sign-in method of the customer was locked after `failures`
    consecutive failures (the other methods keep working)."""
    return record_event(
        customer=customer, kind=Kind.FACTOR_LOCKED, actor=None, factor=factor, failures=failures
    )


def record_factor_unlocked(
    *, customer: Customer, factor: str, actor: Customer | None
) -> CustomerEvent:
    """A locked sign-in method works again (after a password reset)."""
    return record_event(customer=customer, kind=Kind.FACTOR_UNLOCKED, actor=actor, factor=factor)


def record_sessions_ended(
    *, customer: Customer, actor: Customer | None, sessions: int
) -> CustomerEvent:
    """`sessions` signed-in devices of the customer were signed out on the
    server (by the customer, the merchant or a deactivation)."""
    return record_event(customer=customer, kind=Kind.SESSIONS_ENDED, actor=actor, sessions=sessions)


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
    return record_event(
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
    return record_event(
        customer=customer,
        kind=Kind.INVITATION_ACCEPTED,
        actor=customer,
        invitation_id=invitation_id,
        store_id=store_id,
    )


def record_security_change(*, customer: Customer, kind: str, method: str) -> CustomerEvent:
    """A second factor was added or removed, or a recovery code used, by the
    customer (`method`: totp, webauthn, recovery_codes)."""
    return record_event(customer=customer, kind=kind, actor=customer, method=method)
