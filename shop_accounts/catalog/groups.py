"""Customer groups: creating and changing them, their fixed prices, and who
is in which (Ecwid's "special customer discounts"). What a member pays is
decided in `catalog.pricing.customer_prices`; these are the writes.

Locks (DEVELOPERS.md §3 h): a customer's membership is written under the
customer's row lock (rows that belong to a customer come after it), several
customers in primary-key order; a group's data and fixed prices under the
group's row lock. No action takes both."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shop_accounts.catalog.errors import (
    CustomerOutsideStore,
    GroupNameTaken,
    GroupOfAnotherStore,
    ProductOfAnotherStore,
)
from shop_accounts.catalog.locks import lock_customer_group
from shop_accounts.catalog.models import CustomerGroup, GroupMembership, GroupPrice, Product
from shop_accounts.core.errors import InvalidInput, UnknownField
from shop_accounts.customers import events
from shop_accounts.customers.locks import lock_customer, lock_customers
from shop_accounts.customers.models import Customer
from shop_accounts.stores.models import Store

# What `update_customer_group` changes; the store stays.
GROUP_FIELDS = frozenset({"name", "discount_percent", "may_pay_by_invoice"})


@transaction.atomic
def create_customer_group(
    store: Store,
    *,
    name: str,
    discount_percent: Decimal = Decimal("0.00"),
    may_pay_by_invoice: bool = False,
) -> CustomerGroup:
    """Add a customer group to `store`: `discount_percent` (0–100, two
    decimals) off every product's net price, pay by invoice for its members
    if `may_pay_by_invoice`. Raises InvalidInput or GroupNameTaken; nothing
    is saved then."""
    group = CustomerGroup(
        store=store,
        name=(name or "").strip(),
        discount_percent=discount_percent,
        may_pay_by_invoice=may_pay_by_invoice,
    )
    _validate(group)
    _save(group)
    return group


@transaction.atomic
def update_customer_group(group: CustomerGroup, **changes: Any) -> CustomerGroup:
    """Change a group's name, discount or pay-by-invoice flag. Orders already
    placed keep the prices they were placed at; carts show the new ones.
    Raises UnknownField, InvalidInput or GroupNameTaken; nothing is saved
    then."""
    UnknownField.refuse(changes, GROUP_FIELDS)
    locked = lock_customer_group(group.pk)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    for field, value in changes.items():
        setattr(locked, field, value)
    _validate(locked)
    _save(locked, update_fields=[*changes, "updated_at"])
    return locked


@transaction.atomic
def delete_customer_group(group: CustomerGroup, *, actor: Customer | None) -> int:
    """Delete a group and its fixed prices. Its members leave it, each with a
    GROUP_CHANGED event on their trail, and pay regular prices again.
    Returns how many customers were in it."""
    members = lock_customers(
        GroupMembership.objects.filter(group=group).values_list("customer_id", flat=True)
    )
    for customer in members:
        events.record_group_changed(
            customer=customer,
            actor=actor,
            store_id=group.store_id,
            group_id=None,
            previous_group_id=group.pk,
        )
    locked = lock_customer_group(group.pk)
    locked.delete()
    return len(members)


@transaction.atomic
def set_group_price(group: CustomerGroup, product: Product, price: Decimal) -> GroupPrice:
    """The group's fixed net price of `product` (added or replaced): members
    pay it instead of the group's percentage, but never more than the
    product's own price. Raises ProductOfAnotherStore or InvalidInput."""
    if product.store_id != group.store_id:
        raise ProductOfAnotherStore()
    locked = lock_customer_group(group.pk)
    row = GroupPrice.objects.filter(group=locked, product=product).first() or GroupPrice(
        group=locked, product=product
    )
    row.price = price
    try:
        row.full_clean(exclude=["group", "product"], validate_unique=False)
    except ValidationError as error:
        raise InvalidInput.from_validation_error(error) from error
    row.save()
    return row


@transaction.atomic
def remove_group_price(group: CustomerGroup, product: Product) -> bool:
    """Drop the group's fixed price of `product` (the percentage applies to
    it again). False when there was none."""
    locked = lock_customer_group(group.pk)
    deleted, _ = GroupPrice.objects.filter(group=locked, product=product).delete()
    return bool(deleted)


@transaction.atomic
def set_customer_group(
    customer: Customer, *, store: Store, group: CustomerGroup | None, actor: Customer | None
) -> bool:
    """Put `customer` in `group` of `store`, moving them out of the group they
    had there; None takes them out of every group of the store. Records
    GROUP_CHANGED when it changed (True), nothing when they were already
    there (False). Raises GroupOfAnotherStore or CustomerOutsideStore (the
    customer's accounts are not the store's); nothing changes then."""
    _check_group(store, group)
    locked = lock_customer(customer.pk)
    _check_customer(store, locked)
    current = GroupMembership.objects.filter(customer=locked, store=store).first()
    return _move(locked, store, group, current, actor=actor)


@dataclass(frozen=True)
class GroupChanges:
    """What a bulk `set_customers_group` did: `changed` customers moved,
    `unchanged` already where asked, `outside` not customers of the store
    (left alone)."""

    changed: int
    unchanged: int
    outside: int


@transaction.atomic
def set_customers_group(
    customers: Iterable[Customer],
    *,
    store: Store,
    group: CustomerGroup | None,
    actor: Customer | None,
) -> GroupChanges:
    """`set_customer_group` for many customers at once (the back office's
    bulk action), in one transaction, the customers locked in primary-key
    order. Customers outside the store's accounts are left alone and
    counted; the group must be of `store` (GroupOfAnotherStore)."""
    _check_group(store, group)
    locked = lock_customers(customer.pk for customer in customers)
    inside = [customer for customer in locked if customer.realm_id == store.account_realm_id]
    current = {
        membership.customer_id: membership
        for membership in GroupMembership.objects.filter(store=store, customer__in=inside)
    }
    changed = sum(
        _move(customer, store, group, current.get(customer.pk), actor=actor) for customer in inside
    )
    return GroupChanges(
        changed=changed, unchanged=len(inside) - changed, outside=len(locked) - len(inside)
    )


def _check_group(store: Store, group: CustomerGroup | None) -> None:
    if group is not None and group.store_id != store.pk:
        raise GroupOfAnotherStore()


def _check_customer(store: Store, customer: Customer) -> None:
    if customer.realm_id != store.account_realm_id:
        raise CustomerOutsideStore()


def _move(
    customer: Customer,
    store: Store,
    group: CustomerGroup | None,
    current: GroupMembership | None,
    *,
    actor: Customer | None,
) -> bool:
    """Write one customer's membership (their lock held); True if it changed."""
    previous_id = current.group_id if current is not None else None
    new_id = group.pk if group is not None else None
    if previous_id == new_id:
        return False
    if group is None:
        if current is not None:
            current.delete()
    elif current is None:
        GroupMembership.objects.create(customer=customer, store=store, group=group)
    else:
        current.group = group
        current.save(update_fields=["group"])
    events.record_group_changed(
        customer=customer,
        actor=actor,
        store_id=store.pk,
        group_id=new_id,
        previous_group_id=previous_id,
    )
    return True


def _validate(group: CustomerGroup) -> None:
    try:
        group.full_clean(exclude=["store"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise InvalidInput.from_validation_error(error) from error
    taken = CustomerGroup.objects.filter(store_id=group.store_id, name__iexact=group.name)
    if taken.exclude(pk=group.pk).exists():
        raise GroupNameTaken()


def _save(group: CustomerGroup, **options: Any) -> None:
    try:
        with transaction.atomic():
            group.save(**options)
    except IntegrityError as error:  # a simultaneous save took the name
        raise GroupNameTaken() from error
