"""Writes of the sign-in layer that are ours, not allauth's flows."""

from allauth.account import app_settings as account_settings
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.usersessions.adapter import get_adapter as get_sessions_adapter
from allauth.usersessions.models import UserSession
from django.db import transaction
from django.urls import reverse

from shop_accounts.customers import actions as customer_actions
from shop_accounts.customers import events
from shop_accounts.customers.emails import email_customer
from shop_accounts.customers.errors import AccountStateConflict
from shop_accounts.customers.locks import lock_customer
from shop_accounts.customers.models import Customer
from shop_accounts.stores.links import store_url


@transaction.atomic
def record_verified_email(customer: Customer) -> EmailAddress:
    """Mark the customer's email as proved (demo data, import of verified
    customers); sign-up proves it through allauth's verification instead."""
    address, _created = EmailAddress.objects.update_or_create(
        user=customer, email=customer.email, defaults={"verified": True, "primary": True}
    )
    return address


@transaction.atomic
def send_password_reset(customer: Customer, *, actor: Customer | None) -> None:
    """The merchant's "send password" (Lightspeed): email the customer
    allauth's password-reset link, in the customer's language, for the store
    that first recorded them (the link is on that store's host). The link is
    allauth's own: single use, expiring, and opening only on the stores of the
    customer's realm. Records PASSWORD_RESET_SENT. Only an active account gets
    one (AccountStateConflict otherwise; nothing is sent)."""
    locked = lock_customer(customer.pk)
    if not locked.is_active:
        raise AccountStateConflict()
    token = account_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(locked)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(locked), "key": token},
    )
    store = locked.store
    email_customer(
        locked,
        "identity/emails/password_reset_sent",
        {"url": store_url(store, path)},
        store=store,
        kind="password_reset_sent",
    )
    events.record_password_reset_sent(customer=locked, actor=actor)


@transaction.atomic
def end_customer_sessions(customer: Customer, *, actor: Customer | None) -> int:
    """End every session of the customer on the server (allauth's user
    sessions: the tracking row and the session-store entry). Returns how many
    were ended; records SESSIONS_ENDED when there were any."""
    sessions = list(UserSession.objects.filter(user_id=customer.pk).order_by("pk"))
    if not sessions:
        return 0
    get_sessions_adapter().end_sessions(sessions)
    events.record_sessions_ended(customer=customer, actor=actor, sessions=len(sessions))
    return len(sessions)


@transaction.atomic
def deactivate_account(customer: Customer, *, actor: Customer | None, reason: str = "") -> Customer:
    """Stop the customer from signing in (`customers.actions.deactivate_account`)
    and end every session they hold at once, so a signed-in browser is signed
    out on its next request; SESSIONS_ENDED records how many there were. The
    sessions are allauth's, so this half lives here, above the domain."""
    deactivated = customer_actions.deactivate_account(customer, actor=actor, reason=reason)
    end_customer_sessions(deactivated, actor=actor)
    return deactivated


@transaction.atomic
def decline_registration(
    customer: Customer, *, actor: Customer | None, reason: str = ""
) -> Customer:
    """Turn a registration awaiting approval down
    (`customers.actions.decline_registration`: state NONE, DECLINED with the
    merchant's `reason`, the customer emailed) and drop the account's allauth email addresses: a new
    registration proves the email again and gets the same answer as anyone
    else's. Raises AccountStateConflict for a record not awaiting approval."""
    declined = customer_actions.decline_registration(customer, actor=actor, reason=reason)
    EmailAddress.objects.filter(user=declined).delete()
    return declined
