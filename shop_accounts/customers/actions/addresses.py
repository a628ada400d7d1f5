"""A customer's addresses and their billing / shipping defaults."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from shop_accounts.core.errors import UnknownField
from shop_accounts.customers import events
from shop_accounts.customers.actions.records import _check_unchanged_since_loaded
from shop_accounts.customers.errors import InvalidAddress
from shop_accounts.customers.locks import lock_customer, lock_customer_address
from shop_accounts.customers.models import Address, Customer, CustomerEvent

Kind = CustomerEvent.Kind
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


def _validate(address: Address) -> None:
    """The model's own rules; a refusal is a typed error with each field's messages."""
    try:
        address.full_clean()
    except ValidationError as error:
        raise InvalidAddress.from_validation_error(error) from error


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
    UnknownField.refuse(fields, ADDRESS_FIELDS)
    locked = lock_customer(customer.pk)
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
    _validate(address)
    address.save()
    events.record_address_added(customer=locked, actor=actor, address=address)
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
    UnknownField.refuse(changes, ADDRESS_FIELDS)
    customer = lock_customer(address.customer_id)
    locked = lock_customer_address(customer, address.pk)
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
    _validate(locked)
    locked.save()
    events.record_address_changed(customer=customer, actor=actor, address=locked)
    return locked


@transaction.atomic
def remove_address(address: Address, *, actor: Customer | None) -> None:
    """Delete an address; another one of the same use becomes the default."""
    customer = lock_customer(address.customer_id)
    locked = lock_customer_address(customer, address.pk)
    # Recorded while the row still has its id and lines.
    events.record_address_removed(customer=customer, actor=actor, address=locked)
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
