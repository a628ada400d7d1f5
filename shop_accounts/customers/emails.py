"""Emails to one customer: rendered in the customer's language, sent as the
store, kept in the outbox. Every customer-facing email of the domain apps
goes through here."""

from typing import Any

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import queue_templated_email
from shop_accounts.customers.models import Customer
from shop_accounts.stores.models import Store


def email_customer(
    customer: Customer,
    template_prefix: str,
    context: dict[str, Any],
    *,
    store: Store | None,
    kind: str,
) -> OutboundEmail:
    """Queue `template_prefix` (its _subject.txt, _body.txt and optional
    _body.html) for `customer`; the templates get `customer` and `store`."""
    return queue_templated_email(
        template_prefix,
        {"customer": customer, "store": store, **context},
        recipient=customer.email,
        language=customer.language,
        store_id=store.pk if store is not None else None,
        kind=kind,
        from_email=store.sender if store is not None else None,
    )
