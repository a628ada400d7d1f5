"""Emails to one customer: rendered in the customer's language, sent as the
store (its name, sender, colours and logo), in the merchant's own wording
where there is one, kept in the outbox. Every customer-facing email of the
domain apps goes through here."""

from typing import Any

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import queue_templated_email
from shop_accounts.customers.models import Customer
from shop_accounts.stores.branding import OwnText, branding_of, own_text
from shop_accounts.stores.models import Store


def placeholder_values(customer: Customer | None) -> dict[str, str]:
    """The values of a merchant's {placeholders} for an email to `customer`."""
    if customer is None:
        return {}
    return {
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "email": customer.email,
    }


def email_customer(
    customer: Customer,
    template_prefix: str,
    context: dict[str, Any],
    *,
    store: Store | None,
    kind: str,
    merchant_wording: bool = True,
) -> OutboundEmail:
    """Queue `template_prefix` (its _subject.txt and _body.txt) for
    `customer`; the templates get `customer` and `store`. The merchant's
    text for `kind` in the customer's language replaces the subject and the
    template's editable message; without `merchant_wording` (an invitation
    carries the wording it was sent with) the template's text is sent."""
    wording = (
        own_text(store, kind, customer.language, placeholder_values(customer))
        if merchant_wording
        else OwnText()
    )
    return queue_templated_email(
        template_prefix,
        {"customer": customer, "store": store, **context},
        recipient=customer.email,
        language=customer.language,
        store_id=store.pk if store is not None else None,
        kind=kind,
        from_email=store.sender if store is not None else None,
        branding=branding_of(store),
        own_subject=wording.subject,
        own_message=wording.message,
    )
