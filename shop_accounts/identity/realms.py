"""Which account realm a sign-in is for: the realm of the store serving the
request. Every lookup of a user by email goes through here, because the same
email may belong to different people in stores that do not share accounts."""

from django.http import HttpRequest

from shop_accounts.customers.models import Customer
from shop_accounts.stores.context import request_store_or_none
from shop_accounts.stores.models import Store


def account_holder(
    email: str, request: HttpRequest | None = None, *, store: Store | None = None
) -> Customer | None:
    """The record with an account for `email` in the realm of `store` (by
    default the store serving the request)."""
    store = store or request_store_or_none(request)
    if store is None or not email:
        return None
    return (
        Customer.objects.filter(realm_id=store.account_realm_id, email=email.strip().lower())
        .exclude(account_state=Customer.AccountState.NONE)
        .first()
    )


def holder_of_extra_address(email: str, request: HttpRequest | None = None) -> Customer | None:
    """The account in the request's realm that holds `email` as a verified
    extra address (allauth's email page), not as its own email."""
    from allauth.account.models import EmailAddress

    store = request_store_or_none(request)
    if store is None or not email:
        return None
    address = (
        EmailAddress.objects.filter(
            email=email.strip().lower(),
            verified=True,
            user__realm_id=store.account_realm_id,
        )
        .exclude(user__account_state=Customer.AccountState.NONE)
        .select_related("user")
        .first()
    )
    return address.user if address is not None else None


def in_realm(users: list, request: HttpRequest | None = None) -> list:
    """Keep only the users of the request's realm (allauth looks up globally)."""
    store = request_store_or_none(request)
    if store is None:
        return []
    return [user for user in users if user.realm_id == store.account_realm_id]


def email_used_by_another(email: str, *, customer: Customer) -> bool:
    """Is `email` already someone else's in `customer`'s realm: another
    record's email (guests included) or another account's extra address?"""
    from allauth.account.models import EmailAddress

    email = email.strip().lower()
    others = Customer.objects.filter(realm_id=customer.realm_id).exclude(pk=customer.pk)
    return (
        others.filter(email=email).exists()
        or EmailAddress.objects.filter(email=email, user__in=others).exists()
    )
