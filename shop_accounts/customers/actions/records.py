"""Creating a customer record and changing its data, email and marketing
consent."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from shop_accounts.core.errors import UnknownField
from shop_accounts.customers import events
from shop_accounts.customers.errors import (
    EditConflict,
    EmailTaken,
    InvalidEmail,
    UnknownConsentSource,
)
from shop_accounts.customers.locks import lock_customer
from shop_accounts.customers.models import Customer
from shop_accounts.stores.models import Store

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
        "country",
        "internal_notes",
        # The merchant's to grant (the back office); never on a form of My Account.
        "may_pay_by_invoice",
    }
)


# What `edit_customer` changes: the editable fields, the email and consent.
EDIT_FIELDS = EDITABLE_FIELDS | {"email", "accepts_marketing"}


def normalize_email(email: str) -> str:
    """Trimmed and lower-cased; raises InvalidEmail for anything else."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidEmail() from error
    return email


def _check_editable(changes: dict[str, Any]) -> None:
    UnknownField.refuse(changes, EDITABLE_FIELDS)


# Where consent given while a record is made was given, by where the record
# came from (CREATED's `source`), when the caller does not say: a record made
# for an invitation is made by the merchant, who records what they were told.
CONSENT_SOURCE_OF_CREATION: dict[str, str] = {
    "signup": Customer.ConsentSource.SIGNUP,
    "checkout": Customer.ConsentSource.CHECKOUT,
    "import": Customer.ConsentSource.IMPORT,
    "backoffice": Customer.ConsentSource.BACKOFFICE,
    "invitation": Customer.ConsentSource.BACKOFFICE,
    "contact": Customer.ConsentSource.CONTACT_FORM,
}


@transaction.atomic
def create_customer(
    *,
    store: Store,
    email: str,
    actor: Customer | None,
    source: str = "backoffice",
    accepts_marketing: bool = False,
    consent_source: str | None = None,
    **fields: Any,
) -> Customer:
    """Record a customer (no account yet) in `store`'s account realm.
    `source` says where the record came from (CREATED); with
    `accepts_marketing`, `consent_source` says where consent was given (a
    ConsentSource; by default the one of `source`).

    Raises EmailTaken when the realm already knows the email, and
    UnknownConsentSource for a consent source that is not one; nothing is
    saved then."""
    _check_editable(fields)
    email = normalize_email(email)
    consent_given_in: str = consent_source or CONSENT_SOURCE_OF_CREATION.get(source, source)
    if accepts_marketing and consent_given_in not in Customer.ConsentSource.values:
        raise UnknownConsentSource(consent_given_in)
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
        customer = set_marketing_consent(
            customer, accepts=True, source=consent_given_in, actor=actor
        )
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
    locked = lock_customer(customer.pk)
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
    locked = lock_customer(customer.pk)
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
        raise UnknownConsentSource(source)
    locked = lock_customer(customer.pk)
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


@transaction.atomic
def edit_customer(
    customer: Customer,
    *,
    actor: Customer | None,
    changes: dict[str, Any],
    expected: dict[str, Any] | None = None,
    consent_source: str | None = None,
) -> Customer:
    """Save an edit of a customer's record as one change, whoever makes it
    (the back office, My Account, the API): a new email goes through
    `change_customer_email`, profile fields through `update_customer`, the
    marketing tick through `set_marketing_consent` (given in My Account when
    the customer edits their own record, by the merchant otherwise, unless
    `consent_source` says). `changes` holds only the fields the editor
    changed; `expected` what they saw of them. Raises EditConflict when one
    of them changed since it was read, EmailTaken, InvalidEmail or
    UnknownField; nothing is saved then."""
    UnknownField.refuse(changes, EDIT_FIELDS)
    locked = lock_customer(customer.pk)
    # Checked for every field at once, before any is written.
    _check_unchanged_since_loaded(locked, expected, changes)
    if "email" in changes:
        locked = change_customer_email(locked, email=changes["email"], actor=actor)
    profile = {field: value for field, value in changes.items() if field in EDITABLE_FIELDS}
    if profile:
        locked = update_customer(locked, actor=actor, **profile)
    if "accepts_marketing" in changes:
        own_record = actor is not None and actor.pk == locked.pk
        source = consent_source or (
            Customer.ConsentSource.MY_ACCOUNT if own_record else Customer.ConsentSource.BACKOFFICE
        )
        locked = set_marketing_consent(
            locked, accepts=changes["accepts_marketing"], source=source, actor=actor
        )
    return locked
