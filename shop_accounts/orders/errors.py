"""Typed errors of order actions (see core/errors.py): a code and a
translatable message, which each surface turns into a form error, a message
or a 4xx JSON body. Errors about one product carry it (`product_id`) so a
checkout page can mark the line."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from shop_accounts.core.errors import DomainError, InvalidInput
from shop_accounts.orders.models import MAX_QUANTITY


class OrderError(DomainError):
    code = "order_error"
    message = _("The order could not be changed.")


class EmptyOrder(OrderError):
    code = "empty_order"
    message = _("Add at least one product to the order.")


class InvalidQuantity(OrderError):
    code = "invalid_quantity"
    message = _("The quantity of “%(product)s” must be a whole number from 1 to %(maximum)s.")
    field = "quantity"

    def __init__(self, *, product_id: int, product: str) -> None:
        self.product_id = product_id
        super().__init__(params={"product": product, "maximum": MAX_QUANTITY})


class ProductUnavailable(OrderError):
    """The product is not sold (any more): unpublished, removed, or of
    another store."""

    code = "product_unavailable"
    message = _("“%(product)s” is no longer available.")

    def __init__(self, *, product_id: int, product: str) -> None:
        self.product_id = product_id
        super().__init__(params={"product": product})


class OutOfStock(OrderError):
    code = "out_of_stock"
    # Worded so that one sentence fits any number (no plural forms needed).
    message = _("“%(product)s”: only %(available)s left in stock.")

    def __init__(self, *, product_id: int, product: str, available: int) -> None:
        self.product_id = product_id
        self.available = available
        super().__init__(params={"product": product, "available": available})


@dataclass(frozen=True)
class PriceChange:
    """A product whose net price at placement is not what the shopper saw."""

    product_id: int
    name: str
    seen: Decimal
    now: Decimal


class TotalChanged(OrderError):
    """The total at placement differs from the one the shopper confirmed.
    Nothing is charged: the shopper sees `changes` (the products whose
    prices changed; empty when a tax rate or discount did) and confirms
    again."""

    code = "total_changed"
    message = _(
        "The total changed from %(expected)s to %(total)s %(currency)s since you looked. "
        "Nothing was ordered: check the order and confirm it again."
    )

    def __init__(
        self, *, expected: Decimal, total: Decimal, currency: str, changes: list[PriceChange]
    ) -> None:
        self.expected = expected
        self.total = total
        self.changes = changes
        super().__init__(params={"expected": expected, "total": total, "currency": currency})


class UnknownPaymentMethod(OrderError):
    code = "unknown_payment_method"
    message = _("Choose one of the payment methods offered.")
    field = "payment_method"


class InvalidShippingCharge(OrderError):
    """A shipping charge below zero (a caller's mistake, never a shopper's)."""

    code = "invalid_shipping_charge"
    message = _("Choose one of the shipping methods offered.")
    field = "shipping_rate"


class CustomerOfAnotherRealm(OrderError):
    """The customer record does not belong to the store's account realm."""

    code = "customer_of_another_realm"
    message = _("This customer is not a customer of this store.")


class IdempotencyKeyReused(OrderError):
    """The checkout's key already placed an order of another customer."""

    code = "idempotency_key_reused"
    message = _("This checkout was already used. Start the checkout again.")


class InvalidCheckoutKey(OrderError):
    """The checkout gave no idempotency key, or one longer than 100 characters."""

    code = "invalid_checkout_key"
    message = _("This checkout has expired. Start the checkout again.")


class InvalidOrderAddress(InvalidInput, OrderError):
    """A billing or shipping address that breaks the address rules; `errors`
    holds each field's, prefixed with `billing.` or `shipping.` (and
    `company_name` or `vat_number` when those are too long)."""

    code = "invalid_order_address"
    message = _("Check the address: some of its fields are not valid.")
    # What each field's entry in `errors` says.
    required = _("This field is required.")
    unknown_country = _("Choose a country from the list.")
    too_long = _("Use at most %(limit)s characters.")
    unknown_field = _("This field is not part of an address.")


class StatusConflict(OrderError):
    """The order's payment or shipping status does not allow the action."""

    code = "order_status_conflict"
    message = _("This cannot be done with order %(number)s in its current state (%(status)s).")

    def __init__(self, *, number: int, status: str) -> None:
        super().__init__(params={"number": number, "status": status})


class InvalidShipment(OrderError):
    """Quantities to ship that the order cannot give: lines of another order,
    more than is left to ship, or nothing at all."""

    code = "invalid_shipment"
    message = _("Ship at least one item, and no more of a line than is left to ship.")


class InvalidTracking(InvalidInput, OrderError):
    """Carrier or tracking details that break their rules; `errors` holds
    each field's (`carrier`, `tracking_number`, `tracking_url`)."""

    code = "invalid_tracking"
    message = _("Check the tracking details: some of them are not valid.")
    not_a_link = _("Enter a web address starting with https:// or http://.")


class InvalidRefund(OrderError):
    """Lines to refund that are not this order's, already refunded, or none."""

    code = "invalid_refund"
    message = _("Choose lines of this order that have not been refunded yet.")


class UnknownPaymentProvider(OrderError):
    """No payment provider has this code."""

    code = "unknown_payment_provider"
    message = _("This payment provider is not known.")


class WebhooksNotSupported(OrderError):
    """The provider has no webhook (bank transfer, cash on delivery, invoice)."""

    code = "webhooks_not_supported"
    message = _("This payment provider sends no webhooks.")


class InvalidWebhookSignature(OrderError):
    """The webhook's body is not signed by the provider."""

    code = "invalid_webhook_signature"
    message = _("The webhook's signature is not valid.")


class UnknownPaymentReference(OrderError):
    """A verified webhook about a payment no order of the store has."""

    code = "unknown_payment_reference"
    message = _("No order has this payment reference.")
