"""Reads of customer records, always scoped: by realm for lookups by email,
by customer for their addresses and events."""

from typing import cast

from django.db import models
from django.db.models import Q, QuerySet

from shop_accounts.customers.models import (
    Address,
    ContactMessage,
    Customer,
    CustomerEvent,
    PendingRegistration,
)
from shop_accounts.stores.models import Store


def customer_by_email(store: Store, email: str) -> Customer | None:
    """The record with this email in the store's account realm, if any."""
    return Customer.objects.filter(
        realm_id=store.account_realm_id, email=(email or "").strip().lower()
    ).first()


def customers_for_backoffice(
    *,
    search: str = "",
    account_state: str = "",
    customer_type: str = "",
    store_id: int | None = None,
) -> QuerySet[Customer]:
    """The merchant's customer list: searchable by name, email, company and VAT
    number, filterable by account state, type and store. Staff are not listed."""
    customers = Customer.objects.filter(is_staff=False).select_related("store")
    for term in search.split():
        customers = customers.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(email__icontains=term)
            | Q(company_name__icontains=term)
            | Q(vat_number__icontains=term)
        )
    if account_state:
        customers = customers.filter(account_state=account_state)
    if customer_type:
        customers = customers.filter(customer_type=customer_type)
    if store_id:
        customers = customers.filter(store_id=store_id)
    return customers


def pending_registrations(store: Store | None = None) -> QuerySet[PendingRegistration]:
    """The approval queue: registrations awaiting the merchant's approval,
    oldest first, with their store (staff never wait in it); only those of
    `store`'s account realm when a store is given."""
    # The proxy shares Customer's manager, which django-stubs types as Customer's.
    manager = cast("models.Manager[PendingRegistration]", PendingRegistration.objects)
    queue = manager.filter(account_state=Customer.AccountState.AWAITING_APPROVAL, is_staff=False)
    if store is not None:
        queue = queue.filter(realm_id=store.account_realm_id)
    return queue.select_related("store").order_by("created_at", "id")


def addresses_for(customer: Customer) -> QuerySet[Address]:
    """The customer's addresses, defaults first."""
    return Address.objects.filter(customer=customer)


def address_of(customer: Customer, address_id: int) -> Address | None:
    """One address, only if it belongs to `customer`."""
    return Address.objects.filter(customer=customer, pk=address_id).first()


def events_for(customer: Customer) -> QuerySet[CustomerEvent]:
    """The customer's audit trail, newest first, with who did each thing."""
    return CustomerEvent.objects.filter(customer=customer).select_related("actor")


def account_sharing_conflict(store: Store, *, shares_accounts: bool) -> bool:
    """Would switching `store`'s account sharing put one email twice in a realm?"""
    from shop_accounts.stores.models import AccountRealm

    if store.shares_accounts == shares_accounts or not store.pk:
        return False
    if not shares_accounts:
        return False  # a new private realm is empty
    shared = AccountRealm.objects.filter(is_shared=True).first()
    if shared is None:
        return False
    movers = Customer.objects.filter(realm_id=store.account_realm_id)
    return Customer.objects.filter(realm=shared, email__in=movers.values("email")).exists()


def contact_messages_for(customer: Customer) -> QuerySet[ContactMessage]:
    """The customer's contact-form messages, newest first, with their store."""
    return ContactMessage.objects.filter(customer=customer).select_related("store")
