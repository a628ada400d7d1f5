"""Row locks on customer records and their addresses, in one place (the
model is saleor's `lock_objects.py`). Call them inside a transaction.

Lock order, for every action (DEVELOPERS.md, "Locks"): store → customer →
order → order lines → the per-store invoice counter; several rows of one
table in primary-key order. A customer's addresses (and other rows that
belong to one customer) are taken after the customer. Taking locks in one
order means two actions never wait for each other in a circle (deadlock).
On SQLite these are no-ops: its IMMEDIATE transactions lock the database."""

from collections.abc import Iterable

from shop_accounts.customers.models import Address, Customer


def lock_customer(pk: int) -> Customer:
    """The customer record, locked until the transaction ends."""
    return Customer.objects.select_for_update().get(pk=pk)


def lock_customer_by_email(realm_id: int, email: str) -> Customer | None:
    """The record of `email` in the realm, locked, if there is one."""
    return Customer.objects.select_for_update().filter(realm_id=realm_id, email=email).first()


def lock_customers(pks: Iterable[int]) -> list[Customer]:
    """Several customer records, locked in primary-key order."""
    return list(Customer.objects.select_for_update().filter(pk__in=list(pks)).order_by("pk"))


def lock_customer_address(customer: Customer, address_pk: int) -> Address:
    """One address of `customer` (whose lock the caller holds), locked."""
    return Address.objects.select_for_update().get(pk=address_pk, customer=customer)
