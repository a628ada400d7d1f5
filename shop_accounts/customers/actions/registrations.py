"""Sign-up per the store's policy, and the approval queue."""

from typing import Any

from django.db import transaction

from shop_accounts.core.errors import UnknownField
from shop_accounts.customers import events
from shop_accounts.customers.actions.account_states import _change_state
from shop_accounts.customers.actions.records import (
    _check_editable,
    create_customer,
    normalize_email,
    set_marketing_consent,
)
from shop_accounts.customers.emails import email_customer
from shop_accounts.customers.errors import AccountStateConflict, EmailTaken, SignupClosed
from shop_accounts.customers.locks import lock_customer, lock_customer_by_email
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.stores.links import store_link
from shop_accounts.stores.models import EmailText, Store

Kind = CustomerEvent.Kind
State = Customer.AccountState


def _given(details: dict[str, str]) -> dict[str, Any]:
    return {field: value for field, value in details.items() if value}


@transaction.atomic
def open_account(
    *,
    store: Store,
    email: str,
    password: str | None,
    language: str,
    state: str = State.ACTIVE,
    first_name: str = "",
    last_name: str = "",
    **details: str,
) -> Customer:
    """Give a person an account in `store`'s realm (sign-up). An existing
    record without an account (a guest, an imported customer) becomes the
    account holder; nothing it holds is shown before the email is proved, as
    allauth's mandatory verification gates the first sign-in. Names and
    `details` (phone, company, VAT number...) fill only fields the record
    has empty: data typed at sign-up never overwrites what the shop knows.
    `store` becomes the record's `signup_store`: in a shared realm, emails
    about this registration speak as the store where it happened, not as the
    store that first recorded the person."""
    _check_editable(details)
    email = normalize_email(email)
    customer = lock_customer_by_email(store.account_realm_id, email)
    if customer is None:
        customer = create_customer(
            store=store,
            email=email,
            actor=None,
            source="signup",
            language=language,
            first_name=first_name,
            last_name=last_name,
            **_given(details),
        )
        customer = lock_customer(customer.pk)
    elif customer.account_state != State.NONE:
        raise EmailTaken()
    if password:
        customer.set_password(password)
    else:
        customer.set_unusable_password()
    customer.set_account_state(state)
    customer.signup_store = store
    customer.language = language
    customer.first_name = customer.first_name or first_name
    customer.last_name = customer.last_name or last_name
    for field, value in details.items():
        if value and not getattr(customer, field):
            setattr(customer, field, value)
    customer.save()
    events.record_account_created(customer=customer, state=state)
    return customer


# --- Sign-up per the store's policy, and the approval queue -------------------------

# Details a sign-up form may give besides the email, names and password.
SIGNUP_DETAILS = frozenset({"phone", "customer_type", "company_name", "vat_number", "country"})


@transaction.atomic
def register_customer(
    *,
    store: Store,
    email: str,
    password: str | None,
    language: str,
    first_name: str = "",
    last_name: str = "",
    accepts_marketing: bool = False,
    **details: str,
) -> Customer:
    """Sign-up per the store's sign-up mode. No sign-up makes an active
    account at once:

    - free and activation link: AWAITING_ACTIVATION until the customer follows
      the emailed confirmation link (allauth's mandatory verification), which
      calls `confirm_customer_email` and activates the account;
    - manual approval: AWAITING_APPROVAL, in the back office's approval queue
      with the data given, until the merchant approves or declines;
    - invitation only: refused (SignupClosed); nothing is saved.

    A guest record of the email gets the account (see `open_account`).
    A ticked `accepts_marketing` is recorded as consent given at sign-up
    (source "signup"); unticked records nothing, a guest's earlier choice stays.
    Raises EmailTaken when the email already has an account in the realm."""
    UnknownField.refuse(details, SIGNUP_DETAILS)
    mode = store.signup_mode
    if mode == Store.SignupMode.INVITATION:
        raise SignupClosed()
    state = State.AWAITING_ACTIVATION
    if mode == Store.SignupMode.APPROVAL:
        state = State.AWAITING_APPROVAL
    customer = open_account(
        store=store,
        email=email,
        password=password,
        language=language,
        state=state,
        first_name=first_name,
        last_name=last_name,
        **details,
    )
    given = {field: value for field, value in details.items() if value}
    if first_name or last_name:
        given["name"] = " ".join(part for part in (first_name, last_name) if part)
    events.record_registered(customer=customer, store_id=store.pk, signup_mode=mode, given=given)
    if accepts_marketing:
        customer = set_marketing_consent(
            customer, accepts=True, source=Customer.ConsentSource.SIGNUP, actor=customer
        )
    return customer


@transaction.atomic
def confirm_customer_email(customer: Customer, *, email: str) -> Customer:
    """The customer followed an emailed confirmation link for `email`
    (allauth has marked the address verified). Records EMAIL_VERIFIED; an
    account awaiting activation becomes ACTIVE (ACCOUNT_ACTIVATED). Other
    states are left alone: a registration awaiting approval still waits for
    the merchant, a deactivated account stays deactivated."""
    locked = lock_customer(customer.pk)
    events.record_email_verified(customer=locked, email=email)
    if locked.account_state == State.AWAITING_ACTIVATION and email == locked.email:
        return _change_state(
            locked,
            to=State.ACTIVE,
            allowed_from={State.AWAITING_ACTIVATION},
            record=events.record_account_activated,
            actor=locked,
        )
    return locked


@transaction.atomic
def approve_registration(customer: Customer, *, actor: Customer | None) -> Customer:
    """Let a registration awaiting approval in: the account becomes ACTIVE
    (APPROVED) and the customer is emailed, in their language, that they may
    now sign in, with a link to the sign-in page of the store where they
    registered. Raises AccountStateConflict for a record that is not
    awaiting approval; nothing changes then."""
    locked = lock_customer(customer.pk)
    if locked.account_state != State.AWAITING_APPROVAL:
        raise AccountStateConflict()
    locked.set_account_state(State.ACTIVE)
    locked.save(update_fields=[*Customer.STATE_FIELDS, "updated_at"])
    events.record_registration_approved(
        customer=locked, actor=actor, previous_state=State.AWAITING_APPROVAL
    )
    _queue_registration_email(locked, kind=EmailText.Kind.REGISTRATION_APPROVED)
    return locked


@transaction.atomic
def decline_registration(
    customer: Customer, *, actor: Customer | None, reason: str = ""
) -> Customer:
    """Turn a registration awaiting approval down: the customer is emailed,
    in their language, that it was declined (DECLINED). The merchant's
    `reason`, if given, is kept on the trail and told in the email as written. The record stays,
    with the data given, as a record without an account (state NONE, no
    password): the merchant keeps the history, the person cannot sign in and
    may register again later, which lands in the queue anew. Raises
    AccountStateConflict for a record that is not awaiting approval.
    `identity.actions.decline_registration` also drops the account's
    (allauth) email addresses; the surfaces call that one."""
    locked = lock_customer(customer.pk)
    if locked.account_state != State.AWAITING_APPROVAL:
        raise AccountStateConflict()
    locked.set_account_state(State.NONE)
    locked.set_unusable_password()
    locked.save(update_fields=[*Customer.STATE_FIELDS, "password", "updated_at"])
    reason = reason.strip()
    events.record_registration_declined(
        customer=locked, actor=actor, previous_state=State.AWAITING_APPROVAL, reason=reason
    )
    _queue_registration_email(
        locked, kind=EmailText.Kind.REGISTRATION_DECLINED, context={"reason": reason}
    )
    return locked


def _queue_registration_email(
    customer: Customer, *, kind: str, context: dict[str, str] | None = None
) -> None:
    """The approved / declined email in the customer's language, as the store
    where they registered (its name, sender, wording and sign-in link); the
    store's own wording (EmailText) where the merchant wrote one."""
    # Records from before signup_store existed fall back to the first store.
    store = customer.signup_store or customer.store
    email_customer(
        customer,
        f"customers/emails/{kind}",
        {"signin_url": store_link(store, "sign_in"), **(context or {})},
        store=store,
        kind=kind,
    )
