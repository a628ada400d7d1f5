"""An order's status page, reached by the unguessable link of the order's
emails and thank-you page: no account needed, so a guest can always follow
their own order; the link names only that order, in the store serving it."""

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_countries import countries

from shop_accounts.core.errors import DomainError
from shop_accounts.core.money import with_tax
from shop_accounts.orders import payments
from shop_accounts.orders import queries as order_queries
from shop_accounts.orders.models import Order
from shop_accounts.stores.context import request_store
from shop_accounts.stores.models import Store

STATUS_PAGE = "storefront/pages/order_status.html"


def as_shown(store: Store, net: Decimal, rate: Decimal) -> Decimal:
    """An order amount as the store shows prices: with its tax, or without."""
    return with_tax(net, rate, store.currency) if store.prices_include_tax else net


def summary_context(store: Store, order: Order) -> dict[str, Any]:
    """What the order summary (storefront/includes/order_summary.html) shows:
    the lines, subtotal and shipping as the store shows prices, and how to
    pay while the order is unpaid."""
    lines = list(order.lines.all())
    instructions: list[str] = []
    if order.payment_status == Order.PaymentStatus.PENDING:
        try:
            instructions = payments.provider_for(order.payment_method).instructions(order)
        except DomainError:
            instructions = []
    return {
        "order": order,
        "lines": [(line, as_shown(store, line.line_net, line.tax_rate)) for line in lines],
        "subtotal_shown": sum(
            (as_shown(store, line.line_net, line.tax_rate) for line in lines), Decimal(0)
        ),
        "shipping_shown": as_shown(store, order.shipping_net, order.shipping_tax_rate),
        "instructions": instructions,
    }


def address_lines(address: dict[str, str]) -> list[str]:
    """An order's address snapshot as the lines of a label, the country by
    its name in the active language."""
    house = " ".join(
        part
        for part in (address.get("house_number"), address.get("house_number_extension"))
        if part
    )
    attention = address.get("attention_of", "")
    lines = [
        address.get("name", ""),
        address.get("company", ""),
        attention,
        " ".join(part for part in (address.get("street", ""), house) if part),
        address.get("address2", ""),
        " ".join(
            part for part in (address.get("postal_code", ""), address.get("city", "")) if part
        ),
        address.get("region", ""),
        str(countries.name(address.get("country", ""))) or address.get("country", ""),
    ]
    return [line for line in lines if line]


@never_cache
@require_GET
def order_status(request: HttpRequest, token: str) -> HttpResponse:
    """Payment and shipping status of the order the link names, with its
    shipments' tracking and the order's summary."""
    store = request_store(request)
    order = order_queries.order_for_token(store, token)
    if order is None:
        raise Http404
    context = {
        **summary_context(store, order),
        "shipments": order_queries.shipments_of(order),
        "billing_lines": address_lines(order.billing_address),
        "shipping_lines": address_lines(order.shipping_address),
    }
    return render(request, STATUS_PAGE, context)
