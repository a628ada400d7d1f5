"""Emailed sign-in links (Ecwid's "sign in with a link"): personal, single
use, bound to the account realm of the store that sent them, and a first
factor only (allauth's login stages, 2FA included, still run after them).

Only the sha256 of the token is stored. Spending a link is one conditional
UPDATE, so of many simultaneous requests with the same link exactly one wins.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shop_accounts.customers import events
from shop_accounts.customers.emails import email_customer
from shop_accounts.customers.models import Customer
from shop_accounts.identity.models import SignInLink
from shop_accounts.identity.realms import account_holder
from shop_accounts.stores.links import store_url
from shop_accounts.stores.models import Store


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def request_signin_link(email: str, *, store: Store) -> SignInLink | None:
    """Email a personal sign-in link to the account holder of `email` in the
    store's realm. Returns None, and sends nothing, when there is no active
    account for the email or the store does not offer links; callers answer
    the same either way, so the page does not reveal who has an account."""
    if not store.signin_with_link:
        return None
    customer = account_holder(email, store=store)
    if customer is None or not customer.is_active:
        return None
    token = secrets.token_urlsafe(32)
    link = SignInLink.objects.create(
        customer=customer,
        store=store,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=store.signin_link_days),
    )
    url = store_url(store, reverse("identity:signin-link", kwargs={"token": token}))
    email_customer(
        customer,
        "identity/emails/signin_link",
        {"url": url, "expires_at": link.expires_at},
        store=store,
        kind="signin_link",
    )
    return link


def usable_signin_link(token: str, *, store: Store) -> SignInLink | None:
    """The link for `token` if it could be spent on `store` now (read only:
    showing the sign-in button does not spend it)."""
    return (
        SignInLink.objects.filter(
            token_hash=hash_token(token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            store__account_realm_id=store.account_realm_id,
            customer__realm_id=store.account_realm_id,
            customer__account_state=Customer.AccountState.ACTIVE,
        )
        .select_related("customer")
        .first()
    )


@transaction.atomic
def consume_signin_link(token: str, *, store: Store) -> Customer | None:
    """Spend a sign-in link on `store` and return whose it was, or None when it
    is unknown, used, expired, of another realm, or its account is not active.

    A link works only on the stores of the realm of the store that sent it."""
    link = usable_signin_link(token, store=store)
    if link is None:
        return None
    now = timezone.now()
    realm_store_ids = list(
        Store.objects.filter(account_realm_id=store.account_realm_id).values_list("pk", flat=True)
    )
    # One UPDATE on one table with every condition in its WHERE clause: under
    # concurrency the database lets exactly one request flip used_at.
    spent = SignInLink.objects.filter(
        pk=link.pk, used_at__isnull=True, expires_at__gt=now, store_id__in=realm_store_ids
    ).update(used_at=now)
    if spent != 1:
        return None
    customer = link.customer
    events.record_signed_in_with_link(customer=customer, store_id=store.pk)
    return customer
