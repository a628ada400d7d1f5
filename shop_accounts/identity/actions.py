"""Writes of the sign-in layer that are ours, not allauth's flows."""

from allauth.account.models import EmailAddress
from django.db import transaction

from shop_accounts.customers.models import Customer


@transaction.atomic
def record_verified_email(customer: Customer) -> EmailAddress:
    """Mark the customer's email as proved (demo data, import of verified
    customers); sign-up proves it through allauth's verification instead."""
    address, _created = EmailAddress.objects.update_or_create(
        user=customer, email=customer.email, defaults={"verified": True, "primary": True}
    )
    return address
