"""Writes to customer records. Every change goes through one of these
functions, which lock what they change, validate, and record an event; the
storefront, back office, API, import and demo data all call them."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from shop_accounts.core.outbox import queue_templated_email
from shop_accounts.customers import events
from shop_accounts.customers.emails import email_customer
from shop_accounts.customers.errors import (
    AccountStateConflict,
    EditConflict,
    EmailTaken,
    InvalidEmail,
    RealmChangeConflict,
    SignupClosed,
)
from shop_accounts.customers.models import Address, ContactMessage, Customer, CustomerEvent
from shop_accounts.stores.actions import shared_realm
from shop_accounts.stores.models import AccountRealm, EmailText, Store

Kind = CustomerEvent.Kind
State = Customer.AccountState

# Fields a merchant (or the customer, for their own record) may change with
# `update_customer`. Email, consent and account state have actions of their own.
EDITABLE_FIELDS = frozenset(
    {
        "first_name",
        "initials",
        "last_name",
        "phone",
        "mobile",
        "language",
        "gender",
        "birth_date",
        "customer_type",
        "company_name",
        "company_id_number",
        "coc_number",
        "vat_number",
        "internal_notes",
    }
)


def normalize_email(email: str) -> str:
    """Trimmed and lower-cased; raises InvalidEmail for anything else."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidEmail() from error
    return email


def _check_editable(changes: dict[str, Any]) -> None:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not an editable customer field: {', '.join(sorted(unknown))}")


@transaction.atomic
def create_customer(
    *,
    store: Store,
    email: str,
    actor: Customer | None,
    source: str = "backoffice",
    accepts_marketing: bool = False,
    **fields: Any,
) -> Customer:
    """Record a customer (no account yet) in `store`'s account realm.

    Raises EmailTaken when the realm already knows the email; nothing is saved.
    """
    _check_editable(fields)
    email = normalize_email(email)
    fields.setdefault("language", store.default_language)
    if Customer.objects.filter(realm_id=store.account_realm_id, email=email).exists():
        raise EmailTaken()
    customer = Customer(store=store, realm_id=store.account_realm_id, email=email, **fields)
    customer.set_unusable_password()
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError as error:  # a concurrent create won the race
        raise EmailTaken() from error
    events.record_created(customer=customer, actor=actor, source=source)
    if accepts_marketing:
        set_marketing_consent(customer, accepts=True, source=source, actor=actor)
    return customer


@transaction.atomic
def update_customer(
    customer: Customer,
    *,
    actor: Customer | None,
    expected: dict[str, Any] | None = None,
    **changes: Any,
) -> Customer:
    """Change personal, contact, company data or notes. Only the given fields
    are written, so two people editing different fields lose nothing.
    `expected` holds what the editor saw of the changed fields; if one of
    them has changed since, EditConflict is raised and nothing is saved."""
    _check_editable(changes)
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    _check_unchanged_since_loaded(locked, expected, changes)
    changed = [field for field, value in changes.items() if getattr(locked, field) != value]
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, changes[field])
    locked.save(update_fields=[*changed, "updated_at"])
    events.record_updated(customer=locked, actor=actor, fields=changed)
    return locked


def _check_unchanged_since_loaded(
    row: Any, expected: dict[str, Any] | None, changes: dict[str, Any]
) -> None:
    if not expected:
        return
    moved = [
        field
        for field in changes
        if field in expected and getattr(row, field) not in (expected[field], changes[field])
    ]
    if moved:
        raise EditConflict(moved)


@transaction.atomic
def change_customer_email(customer: Customer, *, email: str, actor: Customer | None) -> Customer:
    """Change the email; it must stay unique within the customer's realm."""
    email = normalize_email(email)
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if email == locked.email:
        return locked
    if (
        Customer.objects.filter(realm_id=locked.realm_id, email=email)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise EmailTaken()
    previous = locked.email
    locked.email = email
    try:
        with transaction.atomic():
            locked.save(update_fields=["email", "updated_at"])
    except IntegrityError as error:
        raise EmailTaken() from error
    events.record_email_changed(customer=locked, actor=actor, previous_email=previous)
    return locked


@transaction.atomic
def set_marketing_consent(
    customer: Customer, *, accepts: bool, source: str, actor: Customer | None
) -> Customer:
    """Give or withdraw consent to marketing emails, remembering when and how."""
    if source not in Customer.ConsentSource.values:
        raise ValueError(f"Unknown consent source {source!r}")
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if locked.accepts_marketing == accepts and locked.marketing_consent_changed_at:
        return locked
    locked.accepts_marketing = accepts
    locked.marketing_consent_changed_at = timezone.now()
    locked.marketing_consent_source = source
    locked.save(
        update_fields=[
            "accepts_marketing",
            "marketing_consent_changed_at",
            "marketing_consent_source",
            "updated_at",
        ]
    )
    events.record_marketing_consent(customer=locked, actor=actor, accepts=accepts, source=source)
    return locked


# --- Addresses -----------------------------------------------------------------

ADDRESS_FIELDS = frozenset(
    {
        "company",
        "attention_of",
        "street",
        "house_number",
        "house_number_extension",
        "address2",
        "postal_code",
        "city",
        "region",
        "country",
        "phone",
        "use_for_billing",
        "use_for_shipping",
    }
)


def _apply_defaults(
    customer: Customer, address: Address, *, default_billing: bool, default_shipping: bool
) -> None:
    # Unset the old default first: the partial unique constraints allow one.
    if default_billing:
        Address.objects.filter(customer=customer, is_default_billing=True).exclude(
            pk=address.pk
        ).update(is_default_billing=False)
        address.is_default_billing = True
        address.use_for_billing = True
    if default_shipping:
        Address.objects.filter(customer=customer, is_default_shipping=True).exclude(
            pk=address.pk
        ).update(is_default_shipping=False)
        address.is_default_shipping = True
        address.use_for_shipping = True


@transaction.atomic
def add_address(
    customer: Customer,
    *,
    actor: Customer | None,
    default_billing: bool = False,
    default_shipping: bool = False,
    **fields: Any,
) -> Address:
    """Add an address. The first billing (shipping) address becomes the default."""
    unknown = set(fields) - ADDRESS_FIELDS
    if unknown:
        raise TypeError(f"Not an address field: {', '.join(sorted(unknown))}")
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    address = Address(customer=locked, **fields)
    existing = Address.objects.filter(customer=locked)
    default_billing = default_billing or (
        address.use_for_billing and not existing.filter(is_default_billing=True).exists()
    )
    default_shipping = default_shipping or (
        address.use_for_shipping and not existing.filter(is_default_shipping=True).exists()
    )
    _apply_defaults(
        locked, address, default_billing=default_billing, default_shipping=default_shipping
    )
    address.full_clean()
    address.save()
    events.record_address(
        customer=locked,
        actor=actor,
        kind=Kind.ADDRESS_ADDED,
        address_id=address.pk,
        summary=str(address),
    )
    return address


@transaction.atomic
def update_address(
    address: Address,
    *,
    actor: Customer | None,
    default_billing: bool = False,
    default_shipping: bool = False,
    expected: dict[str, Any] | None = None,
    **changes: Any,
) -> Address:
    """Change an address; optionally make it the default for billing/shipping.
    `expected` works as in update_customer."""
    unknown = set(changes) - ADDRESS_FIELDS
    if unknown:
        raise TypeError(f"Not an address field: {', '.join(sorted(unknown))}")
    customer = Customer.objects.select_for_update().get(pk=address.customer_id)
    locked = Address.objects.select_for_update().get(pk=address.pk, customer=customer)
    _check_unchanged_since_loaded(locked, expected, changes)
    for field, value in changes.items():
        setattr(locked, field, value)
    if not locked.use_for_billing:
        locked.is_default_billing = False
    if not locked.use_for_shipping:
        locked.is_default_shipping = False
    _apply_defaults(
        customer, locked, default_billing=default_billing, default_shipping=default_shipping
    )
    locked.full_clean()
    locked.save()
    events.record_address(
        customer=customer,
        actor=actor,
        kind=Kind.ADDRESS_CHANGED,
        address_id=locked.pk,
        summary=str(locked),
    )
    return locked


@transaction.atomic
def remove_address(address: Address, *, actor: Customer | None) -> None:
    """Delete an address; another one of the same use becomes the default."""
    customer = Customer.objects.select_for_update().get(pk=address.customer_id)
    locked = Address.objects.select_for_update().get(pk=address.pk, customer=customer)
    summary, address_id = str(locked), locked.pk
    was_billing, was_shipping = locked.is_default_billing, locked.is_default_shipping
    locked.delete()
    remaining = Address.objects.filter(customer=customer).order_by("id")
    if was_billing:
        successor = remaining.filter(use_for_billing=True).first()
        if successor:
            remaining.filter(pk=successor.pk).update(is_default_billing=True)
    if was_shipping:
        successor = remaining.filter(use_for_shipping=True).first()
        if successor:
            remaining.filter(pk=successor.pk).update(is_default_shipping=True)
    events.record_address(
        customer=customer,
        actor=actor,
        kind=Kind.ADDRESS_REMOVED,
        address_id=address_id,
        summary=summary,
    )


# --- Account state ---------------------------------------------------------------


def _change_state(
    customer: Customer, *, to: str, allowed_from: set[str], kind: str, actor: Customer | None
) -> Customer:
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if locked.account_state == to:
        return locked
    if locked.account_state not in allowed_from:
        raise AccountStateConflict()
    previous = locked.account_state
    locked.account_state = to
    locked.save(update_fields=["account_state", "updated_at"])
    events.record_account_state(customer=locked, actor=actor, kind=kind, previous=previous)
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
        kind=Kind.ACCOUNT_ACTIVATED,
        actor=actor,
    )


@transaction.atomic
def deactivate_account(customer: Customer, *, actor: Customer | None) -> Customer:
    """Stop the customer from signing in. Their record, orders and addresses
    stay. Every session they hold is ended at once (allauth's user sessions,
    with their session-store entries), so a signed-in browser is signed out
    on its next request; SESSIONS_ENDED records how many there were."""
    deactivated = _change_state(
        customer,
        to=State.DEACTIVATED,
        allowed_from={
            State.ACTIVE,
            State.INVITED,
            State.AWAITING_ACTIVATION,
            State.AWAITING_APPROVAL,
        },
        kind=Kind.ACCOUNT_DEACTIVATED,
        actor=actor,
    )
    end_customer_sessions(deactivated, actor=actor)
    return deactivated


@transaction.atomic
def end_customer_sessions(customer: Customer, *, actor: Customer | None) -> int:
    """End every session of the customer on the server (allauth's user
    sessions: the tracking row and the session-store entry). Returns how many
    were ended; records SESSIONS_ENDED when there were any."""
    from allauth.usersessions.adapter import get_adapter as get_sessions_adapter
    from allauth.usersessions.models import UserSession

    sessions = list(UserSession.objects.filter(user_id=customer.pk).order_by("pk"))
    if not sessions:
        return 0
    get_sessions_adapter().end_sessions(sessions)
    events.record_sessions_ended(customer=customer, actor=actor, sessions=len(sessions))
    return len(sessions)


@transaction.atomic
def reactivate_account(customer: Customer, *, actor: Customer | None) -> Customer:
    """Undo a deactivation."""
    return _change_state(
        customer,
        to=State.ACTIVE,
        allowed_from={State.DEACTIVATED},
        kind=Kind.ACCOUNT_REACTIVATED,
        actor=actor,
    )


@transaction.atomic
def set_customer_password(customer: Customer, *, password: str, actor: Customer | None) -> Customer:
    """Set a password (demo data, import); sign-up and reset go through allauth."""
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    locked.set_password(password)
    locked.save(update_fields=["password", "updated_at"])
    events.record_event(customer=locked, kind=Kind.PASSWORD_CHANGED, actor=actor)
    return locked


# --- Account sharing between stores -------------------------------------------------


@transaction.atomic
def set_account_sharing(store: Store, *, shares_accounts: bool, actor: Customer | None) -> Store:
    """Make `store` share customer accounts with the other sharing stores, or
    give it accounts of its own. The customers first recorded in this store move
    with it; refused if an email would then exist twice in one realm."""
    locked = Store.objects.select_for_update().get(pk=store.pk)
    if locked.shares_accounts == shares_accounts:
        return locked
    old_realm_id = locked.account_realm_id
    if shares_accounts:
        target = shared_realm()
        movers = Customer.objects.filter(realm_id=old_realm_id)
    else:
        target = AccountRealm.objects.create(name=locked.name)
        movers = Customer.objects.filter(realm_id=old_realm_id, store=locked)
    clash = Customer.objects.filter(realm=target, email__in=movers.values("email")).exists()
    if clash:
        raise RealmChangeConflict()
    mover_ids = list(movers.values_list("pk", flat=True))
    Customer.objects.filter(pk__in=mover_ids).update(realm=target)
    for customer in Customer.objects.filter(pk__in=mover_ids):
        events.record_event(
            customer=customer,
            kind=Kind.REALM_CHANGED,
            actor=actor,
            store=locked.name,
            shared=shares_accounts,
        )
    locked.shares_accounts = shares_accounts
    locked.account_realm = target
    locked.save(update_fields=["shares_accounts", "account_realm", "updated_at"])
    realm_unused = not AccountRealm.objects.filter(pk=old_realm_id, stores__isnull=False).exists()
    if realm_unused and not Customer.objects.filter(realm_id=old_realm_id).exists():
        AccountRealm.objects.filter(pk=old_realm_id, is_shared=False).delete()
    return locked


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
    has empty: data typed at sign-up never overwrites what the shop knows."""
    _check_editable(details)
    email = normalize_email(email)
    customer = (
        Customer.objects.select_for_update()
        .filter(realm_id=store.account_realm_id, email=email)
        .first()
    )
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
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
    elif customer.account_state != State.NONE:
        raise EmailTaken()
    if password:
        customer.set_password(password)
    else:
        customer.set_unusable_password()
    customer.account_state = state
    customer.language = language
    customer.first_name = customer.first_name or first_name
    customer.last_name = customer.last_name or last_name
    for field, value in details.items():
        if value and not getattr(customer, field):
            setattr(customer, field, value)
    customer.save()
    events.record_event(customer=customer, kind=Kind.ACCOUNT_CREATED, actor=customer, state=state)
    return customer


# --- Sign-up per the store's policy, and the approval queue -------------------------

# Details a sign-up form may give besides the email, names and password.
SIGNUP_DETAILS = frozenset({"phone", "customer_type", "company_name", "vat_number"})


@transaction.atomic
def register_customer(
    *,
    store: Store,
    email: str,
    password: str | None,
    language: str,
    first_name: str = "",
    last_name: str = "",
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
    Raises EmailTaken when the email already has an account in the realm."""
    unknown = set(details) - SIGNUP_DETAILS
    if unknown:
        raise TypeError(f"Not a sign-up detail: {', '.join(sorted(unknown))}")
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
    events.record_event(
        customer=customer,
        kind=Kind.REGISTERED,
        actor=customer,
        store_id=store.pk,
        signup_mode=mode,
        given=given,
    )
    return customer


@transaction.atomic
def confirm_customer_email(customer: Customer, *, email: str) -> Customer:
    """The customer followed an emailed confirmation link for `email`
    (allauth has marked the address verified). Records EMAIL_VERIFIED; an
    account awaiting activation becomes ACTIVE (ACCOUNT_ACTIVATED). Other
    states are left alone: a registration awaiting approval still waits for
    the merchant, a deactivated account stays deactivated."""
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    events.record_event(customer=locked, kind=Kind.EMAIL_VERIFIED, actor=locked, email=email)
    if locked.account_state == State.AWAITING_ACTIVATION and email == locked.email:
        return _change_state(
            locked,
            to=State.ACTIVE,
            allowed_from={State.AWAITING_ACTIVATION},
            kind=Kind.ACCOUNT_ACTIVATED,
            actor=locked,
        )
    return locked


def approval_queue(store: Store | None = None) -> QuerySet[Customer]:
    """Registrations awaiting the merchant's approval, oldest first."""
    queue = Customer.objects.filter(account_state=State.AWAITING_APPROVAL, is_staff=False)
    if store is not None:
        queue = queue.filter(realm_id=store.account_realm_id)
    return queue.order_by("created_at", "id")


@transaction.atomic
def approve_registration(
    customer: Customer, *, actor: Customer | None, signin_url: str
) -> Customer:
    """Let a registration awaiting approval in: the account becomes ACTIVE
    (APPROVED) and the customer is emailed, in their language, that they may
    now sign in at `signin_url`. Raises AccountStateConflict for a record
    that is not awaiting approval; nothing changes then."""
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if locked.account_state != State.AWAITING_APPROVAL:
        raise AccountStateConflict()
    locked.account_state = State.ACTIVE
    locked.save(update_fields=["account_state", "updated_at"])
    events.record_event(
        customer=locked, kind=Kind.APPROVED, actor=actor, previous_state=State.AWAITING_APPROVAL
    )
    _queue_registration_email(
        locked, kind=EmailText.Kind.REGISTRATION_APPROVED, context={"signin_url": signin_url}
    )
    return locked


@transaction.atomic
def decline_registration(customer: Customer, *, actor: Customer | None) -> Customer:
    """Turn a registration awaiting approval down: the customer is emailed,
    in their language, that it was declined (DECLINED). The record stays,
    with the data given, as a record without an account (state NONE, no
    password): the merchant keeps the history, the person cannot sign in and
    may register again later, which lands in the queue anew. Raises
    AccountStateConflict for a record that is not awaiting approval."""
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if locked.account_state != State.AWAITING_APPROVAL:
        raise AccountStateConflict()
    from allauth.account.models import EmailAddress

    locked.account_state = State.NONE
    locked.set_unusable_password()
    locked.save(update_fields=["account_state", "password", "updated_at"])
    # The account's addresses go with it: a new registration proves the
    # email again and gets the same answer as anyone else's.
    EmailAddress.objects.filter(user=locked).delete()
    events.record_event(
        customer=locked, kind=Kind.DECLINED, actor=actor, previous_state=State.AWAITING_APPROVAL
    )
    _queue_registration_email(locked, kind=EmailText.Kind.REGISTRATION_DECLINED, context={})
    return locked


def _queue_registration_email(customer: Customer, *, kind: str, context: dict[str, Any]) -> None:
    """The approved / declined email in the customer's language; the store's
    own wording (EmailText) where the merchant wrote one."""
    store = customer.store
    own_text = EmailText.objects.filter(store=store, kind=kind, language=customer.language).first()
    email_customer(
        customer,
        f"customers/emails/{kind}",
        {"own_text": own_text, **context},
        store=store,
        kind=kind,
    )


@transaction.atomic
def record_contact_message(
    *,
    store: Store,
    name: str,
    email: str,
    subject: str,
    message: str,
    language: str | None = None,
    base_url: str = "",
) -> ContactMessage:
    """Keep a message from the storefront's contact form on the customer
    record of its email in the store's realm (Odoo's "create a customer"
    form action). An unknown email becomes a new record without an account,
    marked as a lead; a known one (guest, customer or account holder) gets
    the message attached and is otherwise left as it is.

    Raises InvalidEmail for an unusable email; nothing is saved then."""
    email = normalize_email(email)
    name = name.strip()
    customer = (
        Customer.objects.select_for_update()
        .filter(realm_id=store.account_realm_id, email=email)
        .first()
    )
    if customer is None:
        first_name, _space, last_name = name.partition(" ")
        try:
            customer = create_customer(
                store=store,
                email=email,
                actor=None,
                source="contact",
                language=language or store.default_language,
                first_name=first_name[:150],
                last_name=last_name.strip()[:150],
            )
        except EmailTaken:
            # Another message from the same new email was saved first.
            customer = Customer.objects.select_for_update().get(
                realm_id=store.account_realm_id, email=email
            )
        else:
            customer.is_lead = True
            customer.save(update_fields=["is_lead", "updated_at"])
    contact = ContactMessage.objects.create(
        store=store,
        customer=customer,
        name=name[:200],
        email=email,
        subject=subject.strip()[:200],
        message=message.strip(),
    )
    events.record_contact_message(customer=customer, message_id=contact.pk, subject=contact.subject)
    _notify_merchant_of_contact_message(contact, store=store, base_url=base_url)
    return contact


def _notify_merchant_of_contact_message(
    contact: ContactMessage, *, store: Store, base_url: str
) -> None:
    """Forward the message to the store's own address (its sender address),
    in the store's language, so nobody has to watch the back office for it."""
    if not store.email_from:
        return
    path = reverse("backoffice:customers_customer_change", args=[contact.customer_id])
    queue_templated_email(
        "customers/emails/contact_message",
        {
            "contact": contact,
            "store": store,
            "is_lead": contact.customer.is_lead,
            "record_url": base_url.rstrip("/") + path,
        },
        recipient=store.email_from,
        language=store.default_language,
        store_id=store.pk,
        kind="contact_message",
        from_email=store.sender,
    )
