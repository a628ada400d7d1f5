"""The emails about an order, to the address and in the language the order
was placed with, through the outbox: at placement, payment, each shipment,
cancellation and each refund. Each is queued in the transaction of the
change it tells about, under a key naming that change, so it goes out once
even when the worker dies mid-send or the action's caller retries."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.http import urlencode

from shop_accounts.core.attachments import Attachment
from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.money import with_tax
from shop_accounts.core.outbox import queue_templated_email
from shop_accounts.customers.emails import placeholder_values
from shop_accounts.customers.models import Customer
from shop_accounts.orders import payments
from shop_accounts.orders.errors import UnknownPaymentProvider
from shop_accounts.orders.models import Order, OrderLine, Shipment
from shop_accounts.stores.branding import branding_of, own_text
from shop_accounts.stores.links import store_link
from shop_accounts.stores.models import Store


def amount(value: Decimal, currency: str) -> str:
    """An amount as the active language writes it ("30,01 EUR")."""
    return f"{number_format(value, 2)} {currency}"


def _shown(store: Store, net: Decimal, rate: Decimal) -> Decimal:
    return with_tax(net, rate, store.currency) if store.prices_include_tax else net


def _email(
    order: Order,
    kind: str,
    context: dict[str, Any],
    *,
    dedup_key: str,
    attachments: Sequence[Attachment] = (),
) -> OutboundEmail:
    store = order.store
    customer = order.customer
    values = {
        **placeholder_values(customer),
        "email": order.email,
        "order_number": str(order.number),
    }
    wording = own_text(store, kind, order.language, values)
    return queue_templated_email(
        f"orders/emails/{kind}",
        {
            "order": order,
            "store": store,
            "customer": customer,
            "status_url": store_link(store, "order_status", order.public_token),
            **context,
        },
        recipient=order.email,
        language=order.language,
        store_id=store.pk,
        kind=kind,
        from_email=store.sender,
        branding=branding_of(store),
        own_subject=wording.subject,
        own_message=wording.message,
        dedup_key=dedup_key,
        attachments=attachments,
    )


def email_order_placed(order: Order) -> OutboundEmail:
    """The confirmation: the lines and total, how to pay, the status link,
    and for a guest of a store where accounts are optional an offer to open
    an account for that email."""
    store = order.store
    with translation.override(order.language):
        lines = [
            {
                "quantity": line.quantity,
                "name": line.name,
                "amount": amount(_shown(store, line.line_net, line.tax_rate), order.currency),
            }
            for line in order.lines.all()
        ]
        shipping = (
            {
                "name": order.shipping_name,
                "amount": amount(
                    _shown(store, order.shipping_net, order.shipping_tax_rate), order.currency
                ),
            }
            if order.shipping_name
            else None
        )
        try:
            instructions = payments.provider_for(order.payment_method).instructions(order)
        except UnknownPaymentProvider:  # a provider since taken out
            instructions = []
        total = amount(order.total_gross, order.currency)
    offer_account = (
        order.placed_as_guest
        and store.checkout_accounts == Store.CheckoutAccounts.OPTIONAL
        and order.customer.account_state == Customer.AccountState.NONE
    )
    return _email(
        order,
        "order_placed",
        {
            "lines": lines,
            "shipping": shipping,
            "total": total,
            "instructions": instructions,
            "sign_up_url": (
                f"{store_link(store, 'sign_up')}?{urlencode({'email': order.email})}"
                if offer_account
                else ""
            ),
        },
        dedup_key=f"order:{order.pk}:placed",
    )


def email_order_paid(
    order: Order, *, invoice_number: str = "", attachments: Sequence[Attachment] = ()
) -> OutboundEmail:
    """The payment arrived; the invoice, where one was issued, attached."""
    return _email(
        order,
        "order_paid",
        {"invoice_number": invoice_number},
        dedup_key=f"order:{order.pk}:paid",
        attachments=attachments,
    )


def email_order_shipped(
    order: Order, shipment: Shipment, quantities: dict[int, int]
) -> OutboundEmail:
    """A shipment left: what it holds and how to track it."""
    names = dict(OrderLine.objects.filter(order=order).values_list("pk", "name"))
    shipped = [{"name": names[pk], "quantity": count} for pk, count in quantities.items()]
    return _email(
        order,
        "order_shipped",
        {"shipment": shipment, "shipped": shipped},
        dedup_key=f"shipment:{shipment.pk}:shipped",
    )


def email_order_cancelled(order: Order, *, reason: str = "") -> OutboundEmail:
    return _email(
        order, "order_cancelled", {"reason": reason}, dedup_key=f"order:{order.pk}:cancelled"
    )


def email_order_refunded(
    order: Order, *, event_id: int, lines: Sequence[OrderLine], refunded: Decimal
) -> OutboundEmail:
    """A refund of some or all lines, with the amount."""
    with translation.override(order.language):
        shown = amount(refunded, order.currency)
    return _email(
        order,
        "order_refunded",
        {
            "amount": shown,
            "refunded": [{"name": line.name, "quantity": line.quantity} for line in lines],
        },
        dedup_key=f"order-event:{event_id}:refunded",
    )
