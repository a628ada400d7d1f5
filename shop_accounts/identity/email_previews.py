"""Every email kind rendered without a real event: for the back office's
preview of a merchant's text, its "send me a test", and the text a new
wording starts from. Each kind (stores/email_kinds.py) gets the same sample
context: a sample customer, the real store (its name, colours, logo), links
to the store and made-up facts (a device, a code, a moment)."""

import copy
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shop_accounts.core.email_layout import fill_placeholders
from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import default_texts, queue_email, render_email
from shop_accounts.customers.models import Customer
from shop_accounts.identity.adapter import SiteOfStore
from shop_accounts.identity.devices import device_name
from shop_accounts.identity.invitations import default_invitation_text
from shop_accounts.stores.branding import branding_of
from shop_accounts.stores.email_kinds import SAMPLE_VALUES, EmailKind
from shop_accounts.stores.links import store_url
from shop_accounts.stores.models import Store

SAMPLE_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _sample_context(kind: EmailKind, store: Store, values: dict[str, str]) -> dict[str, Any]:
    """What the kind's templates read, made up; names and the store's name
    from `values` (sample values, or "{placeholder}" for the default text)."""
    shown_store = copy.copy(store)
    shown_store.name = values["store_name"]
    customer = Customer(
        first_name=values["first_name"],
        last_name=values["last_name"],
        email=values["email"],
        language=store.default_language,
        account_state=(
            Customer.AccountState.AWAITING_ACTIVATION
            if kind.key == "email_confirmation_signup"
            else Customer.AccountState.ACTIVE
        ),
    )
    now = timezone.now()
    link = store_url(store, "/accounts/sample-link/")
    return {
        "store": shown_store,
        "customer": customer,
        "user": customer,
        "current_site": SiteOfStore(shown_store, None),
        "email": values["email"],
        "url": link,
        "activate_url": link,
        "password_reset_url": link,
        "login_url": store_url(store, "/accounts/login/"),
        "signin_url": store_url(store, "/accounts/login/"),
        "signup_url": store_url(store, "/accounts/signup/"),
        "reset_url": store_url(store, "/accounts/password/reset/"),
        "record_url": store_url(store, "/backoffice/"),
        "code": "4KJ9TZ",
        "expires_at": now + timedelta(days=store.signin_link_days),
        "factor": "password",
        "limit": 100,
        "unused_codes": 7,
        "added_email": "anna.work@example.com",
        "deleted_email": "anna.old@example.com",
        "from_email": "anna.old@example.com",
        "to_email": values["email"],
        "timestamp": now,
        "ip": "203.0.113.7",
        "user_agent": SAMPLE_USER_AGENT,
        "device": device_name(SAMPLE_USER_AGENT),
        "contact": SimpleNamespace(
            name=values["sender_name"],
            email="jonas.keller@example.com",
            subject="",
            message="",
        ),
        "is_lead": True,
        "reason": "",
        "passkey_signup": False,
        **_sample_order(store, values),
    }


def _sample_order(store: Store, values: dict[str, str]) -> dict[str, Any]:
    """A made-up order for the order emails: two lines, shipping, paid by
    bank transfer, shipped with tracking."""
    with translation.override(store.default_language):
        method = str(_("Bank transfer"))
    order = SimpleNamespace(
        number=values["order_number"],
        email=values["email"],
        currency=store.currency,
        get_payment_method_display=method,
        reverse_charge=False,
        reverse_charge_note="",
    )
    return {
        "order": order,
        "lines": [
            {"quantity": 2, "name": "Linen towel", "amount": f"30.00 {store.currency}"},
            {"quantity": 1, "name": "Rye bread", "amount": f"2.56 {store.currency}"},
        ],
        "shipping": {"name": "Standard", "amount": f"4.84 {store.currency}"},
        "total": f"37.40 {store.currency}",
        "instructions": [],
        "status_url": store_url(store, "/orders/status/sample-link/"),
        "sign_up_url": "",
        "invoice_number": "2026-000123",
        "shipment": SimpleNamespace(
            carrier="PostNL",
            tracking_number="3SABCD1234567",
            tracking_url="https://www.postnl.nl/",
        ),
        "shipped": [{"quantity": 2, "name": "Linen towel"}],
        "refunded": [{"quantity": 1, "name": "Rye bread"}],
        "amount": f"2.56 {store.currency}",
    }


def _values(store: Store, placeholders: bool) -> dict[str, str]:
    if placeholders:
        return {name: f"{{{name}}}" for name in SAMPLE_VALUES}
    return {**SAMPLE_VALUES, "store_name": store.name}


def default_email_text(kind: EmailKind, store: Store, language: str) -> tuple[str, str]:
    """The shipped subject and message of `kind` in `language`, with
    {placeholders} where names go: where a merchant's own text starts."""
    if kind.key == "invitation":
        shown_store = copy.copy(store)
        shown_store.name = "{store_name}"
        return default_invitation_text(shown_store, language)
    context = _sample_context(kind, store, _values(store, placeholders=True))
    return default_texts(kind.template, context, language=language, body=kind.body)


def render_sample(
    kind: EmailKind, store: Store, language: str, *, subject: str = "", message: str = ""
) -> RenderedEmail:
    """`kind` as the customer would get it, with sample data: in the store's
    layout, with `subject` and `message` (a merchant's text) where given,
    else the translated default."""
    values = _values(store, placeholders=False)
    context = _sample_context(kind, store, values)
    own_subject = fill_placeholders(subject, values) if subject else ""
    own_message = fill_placeholders(message, values) if message else ""
    if kind.key == "invitation":
        default_subject, default_message = default_invitation_text(store, language)
        context["subject"] = own_subject or default_subject
        context["message"] = own_message or default_message
        own_subject = own_message = ""
    with translation.override(language):
        context["device"] = device_name(SAMPLE_USER_AGENT)
        reason = kind.reason_for(store.name)
    rendered = render_email(
        kind.template,
        context,
        language=language,
        body=kind.body,
        branding=branding_of(store),
        reason=reason,
        own_subject=own_subject,
        own_message=own_message,
    )
    return RenderedEmail(*rendered)


@transaction.atomic
def send_test_email(
    kind: EmailKind,
    store: Store,
    language: str,
    *,
    recipient: str,
    subject: str = "",
    message: str = "",
) -> OutboundEmail:
    """Queue `kind` with sample data to `recipient` (the merchant), through
    the outbox like every email: what the customer would get, in `language`."""
    rendered = render_sample(kind, store, language, subject=subject, message=message)
    return queue_email(
        recipient=recipient,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        language=language,
        store_id=store.pk,
        kind=kind.key,
        from_email=store.sender,
    )
