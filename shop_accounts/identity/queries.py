"""Reads of the sign-in layer, scoped to one customer."""

from allauth.usersessions.models import UserSession
from django.db.models import QuerySet

from shop_accounts.customers.models import Customer


def devices_of(customer: Customer) -> QuerySet[UserSession]:
    """The customer's signed-in devices (allauth's user sessions), the one
    seen last first."""
    return UserSession.objects.filter(user_id=customer.pk).order_by("-last_seen_at", "-pk")
