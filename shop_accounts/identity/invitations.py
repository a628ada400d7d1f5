"""Invitations to open an account ("by invitation only" stores, and any
merchant who wants a customer record to become an account holder).

The merchant invites an existing customer record; the email carries a
personal link, valid for the store's `invitation_days`. Following the link
shows a page to choose a password (a mail scanner's visit spends nothing);
submitting it sets the password, proves the email, activates the account and
signs the customer in. Where the store has passkey sign-in on, the customer
may instead accept without a password and register a passkey right away.
A new invitation supersedes the open one.

Only the sha256 of the token is stored. Accepting is one conditional UPDATE
on the invitation row, so of many simultaneous submissions exactly one wins.
An invitation works only on the stores of the account realm it was sent for.
"""

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from shop_accounts.core.email_layout import fill_placeholders
from shop_accounts.customers import actions, events
from shop_accounts.customers.emails import email_customer, placeholder_values
from shop_accounts.customers.locks import lock_customer
from shop_accounts.customers.models import Customer, Invitation
from shop_accounts.identity.actions import record_verified_email
from shop_accounts.identity.errors import (
    InvitationNotUsable,
    NoEmailToInvite,
    NotInvitable,
    NotYetInvited,
    StoreOutsideRealm,
)
from shop_accounts.stores.links import store_url
from shop_accounts.stores.models import EmailText, Store

State = Customer.AccountState

# Account states an invitation may be sent in: no account yet, or invited
# before (the new invitation replaces the open one).
INVITABLE_STATES = frozenset({State.NONE, State.INVITED})


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def default_invitation_text(store: Store, language: str) -> tuple[str, str]:
    """The shipped subject and message of the invitation email, in `language`."""
    with translation.override(language):
        subject = gettext("Your invitation to %(store)s") % {"store": store.name}
        message = gettext(
            "You are invited to open a customer account at %(store)s. With it you "
            "can see your orders, keep your addresses and check out faster."
        ) % {"store": store.name}
    return subject, message


def invitation_text(store: Store, language: str) -> tuple[str, str]:
    """The merchant's own subject and message for `store` and `language`
    (an EmailText), or the shipped default text in that language."""
    own = EmailText.objects.filter(
        store=store, kind=EmailText.Kind.INVITATION, language=language
    ).first()
    if own is not None:
        return own.subject, own.message
    return default_invitation_text(store, language)


@transaction.atomic
def invite_customer(
    customer: Customer,
    *,
    store: Store,
    actor: Customer | None,
    subject: str | None = None,
    message: str | None = None,
    resend_only: bool = False,
) -> Invitation:
    """Email `customer` a personal link to open their account in `store`.

    The subject and message default to the store's text for the customer's
    language (see `invitation_text`). An open invitation is superseded; the
    account becomes "invited". Raises NotInvitable when the customer already
    has an account, NoEmailToInvite without an email, and (with `resend_only`)
    NotYetInvited for a customer never invited; nothing changes then."""
    locked = lock_customer(customer.pk)
    if store.account_realm_id != locked.realm_id:
        raise StoreOutsideRealm()
    if locked.account_state not in INVITABLE_STATES:
        raise NotInvitable()
    if resend_only and locked.account_state != State.INVITED:
        raise NotYetInvited()
    if not locked.email:
        raise NoEmailToInvite()
    now = timezone.now()
    earlier = Invitation.objects.filter(customer=locked)
    resent = earlier.exists()
    earlier.filter(accepted_at__isnull=True, superseded_at__isnull=True).update(superseded_at=now)
    default_subject, default_message = invitation_text(store, locked.language)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        customer=locked,
        store=store,
        token_hash=hash_token(token),
        subject=(subject or default_subject)[:200],
        message=default_message if message is None else message,
        created_by=actor,
        expires_at=now + timedelta(days=store.invitation_days),
    )
    previous_state = locked.account_state
    if previous_state != State.INVITED:
        locked.set_account_state(State.INVITED)
        locked.save(update_fields=[*Customer.STATE_FIELDS, "updated_at"])
    events.record_invitation(
        customer=locked,
        actor=actor,
        resent=resent,
        invitation_id=invitation.pk,
        store_id=store.pk,
        expires_at=invitation.expires_at,
    )
    url = store_url(store, reverse("identity:invitation", kwargs={"token": token}))
    _queue_invitation_email(invitation, locked, url=url)
    return invitation


def _queue_invitation_email(invitation: Invitation, customer: Customer, *, url: str) -> None:
    store = invitation.store
    # The invitation keeps the wording it was sent with (the store's text or
    # the merchant's for this one); its {placeholders} are filled in here.
    values = {"store_name": store.name, **placeholder_values(customer)}
    email_customer(
        customer,
        "identity/emails/invitation",
        {
            "subject": fill_placeholders(invitation.subject, values),
            "message": fill_placeholders(invitation.message, values),
            "url": url,
            "expires_at": invitation.expires_at,
        },
        store=store,
        kind="invitation",
        merchant_wording=False,
    )


@dataclass(frozen=True)
class BulkInvitationResult:
    """What a bulk invitation did: how many were invited, and how many were
    skipped because they already have an account, have no email, or (when
    only resending) were never invited."""

    invited: int = 0
    have_account: int = 0
    without_email: int = 0
    not_invited_yet: int = 0


def invite_customers(
    customers: Iterable[Customer],
    *,
    actor: Customer | None,
    resend_only: bool = False,
) -> BulkInvitationResult:
    """Invite each customer from the store they were first recorded in, one
    transaction per customer (one refusal does not undo the others). With
    `resend_only`, only customers invited before get a new invitation."""
    counts = {"invited": 0, "have_account": 0, "without_email": 0, "not_invited_yet": 0}
    for customer in customers:
        try:
            invite_customer(
                customer,
                store=customer.store,
                actor=actor,
                resend_only=resend_only,
            )
        except NoEmailToInvite:
            counts["without_email"] += 1
        except NotInvitable:
            counts["have_account"] += 1
        except NotYetInvited:
            counts["not_invited_yet"] += 1
        else:
            counts["invited"] += 1
    return BulkInvitationResult(**counts)


def resend_invitation(customer: Customer, *, actor: Customer | None) -> Invitation:
    """Send an invited customer a fresh invitation (the open one stops working).
    Raises NotYetInvited for a customer who was never invited."""
    return invite_customer(
        customer,
        store=customer.store,
        actor=actor,
        resend_only=True,
    )


def latest_invitation(customer: Customer) -> Invitation | None:
    """The customer's newest invitation, whatever its state."""
    return Invitation.objects.filter(customer=customer).order_by("-created_at", "-id").first()


def invitation_for_token(token: str, *, store: Store) -> Invitation | None:
    """The invitation of `token` if it was sent for `store`'s account realm
    (read only: showing the page does not spend it)."""
    return (
        Invitation.objects.filter(
            token_hash=hash_token(token),
            store__account_realm_id=store.account_realm_id,
            customer__realm_id=store.account_realm_id,
        )
        .select_related("customer", "store")
        .first()
    )


def why_not_usable(invitation: Invitation | None) -> str | None:
    """None when the invitation can be accepted now, else "unknown", "used"
    or "expired" (a superseded invitation counts as expired)."""
    if invitation is None:
        return "unknown"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.customer.account_state != State.INVITED:
        # The account was opened another way, or closed since.
        return "used" if invitation.customer.account_state == State.ACTIVE else "unknown"
    if invitation.status != Invitation.Status.SENT:
        return "expired"
    return None


@transaction.atomic
def accept_invitation(token: str, password: str | None, *, store: Store) -> Customer:
    """Accept an invitation on `store`: set the password (checked by allauth's
    adapter, so the store's password rules apply), prove the email, activate
    the account. Returns the customer, to be signed in by the caller.

    Without a password ("use a passkey instead", only where the store has
    passkey sign-in on) the account opens without one; the caller then has
    the signed-in customer register a passkey.

    Raises InvitationNotUsable when the link is unknown on this store, used or
    expired (or, without a password, when the store has passkeys off), and the
    password's ValidationError when it is refused; the invitation stays
    unspent then."""
    invitation = invitation_for_token(token, store=store)
    reason = why_not_usable(invitation)
    if reason is not None:
        raise InvitationNotUsable(reason)
    if password is None and not store.signin_with_passkey:
        raise InvitationNotUsable("unknown")
    assert invitation is not None
    customer = lock_customer(invitation.customer_id)
    if password is not None:
        get_adapter().clean_password(password, user=customer)
    now = timezone.now()
    # One UPDATE on one table with every condition in its WHERE clause: under
    # concurrency the database lets exactly one request flip accepted_at.
    spent = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, superseded_at__isnull=True, expires_at__gt=now
    ).update(accepted_at=now)
    if spent != 1 or customer.account_state != State.INVITED:
        invitation.refresh_from_db()
        raise InvitationNotUsable(why_not_usable(invitation) or "used")
    if password is not None:
        customer.set_password(password)
    else:
        customer.set_unusable_password()
    customer.save(update_fields=["password", "updated_at"])
    customer = actions.activate_account(customer, actor=customer)
    record_verified_email(customer)
    events.record_invitation_accepted(
        customer=customer, invitation_id=invitation.pk, store_id=store.pk
    )
    return customer


def request_new_invitation(token: str, *, store: Store) -> Invitation | None:
    """The customer behind an expired invitation asks for a fresh one. Sends
    it only when the link is theirs on this store's realm, has expired (or was
    replaced) and the account is still waiting; callers answer the same either
    way. The merchant's subject and message are kept."""
    invitation = invitation_for_token(token, store=store)
    if invitation is None or why_not_usable(invitation) != "expired":
        return None
    customer = invitation.customer
    return invite_customer(
        customer,
        store=invitation.store,
        actor=customer,
        subject=invitation.subject,
        message=invitation.message,
    )
