"""How an order is paid: one provider per payment method, behind one
interface, so a card provider can be added later without touching the
checkout.

A provider

- says whether it is offered to a customer of a store (`is_offered`);
- starts the payment of a placed order (`start`): instructions to show
  (bank transfer, cash on delivery, invoice) or, for a hosted payment page,
  a redirect; the reference it gives is kept as `Order.payment_reference`;
- confirms a payment from its webhook (`confirm_webhook`: checks the
  signature of the raw request body and says which payment it is about);
- refunds (`refund`), for providers that move the money themselves.

Bank transfer, cash on delivery and pay by invoice need no external system:
the merchant marks the order paid in the back office, they have no webhook,
and a refund is the merchant's own transfer. The providers are registered
by their code, which is the order's `payment_method`."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from shop_accounts.catalog import queries as catalog_queries
from shop_accounts.core.errors import StrOrPromise
from shop_accounts.customers.models import Customer
from shop_accounts.orders.actions import mark_paid
from shop_accounts.orders.errors import (
    StatusConflict,
    UnknownPaymentProvider,
    UnknownPaymentReference,
    WebhooksNotSupported,
)
from shop_accounts.orders.models import Order
from shop_accounts.stores.models import Store


@dataclass(frozen=True)
class PaymentStart:
    """What the shopper is told after placing: `instructions` (paragraphs in
    the active language) or a `redirect_url` to a hosted payment page, and
    the provider's `reference` for the payment (kept on the order)."""

    instructions: list[str] = field(default_factory=list)
    redirect_url: str = ""
    reference: str = ""


@dataclass(frozen=True)
class WebhookConfirmation:
    """What a verified webhook says: the payment (by the provider's
    reference) and whether it is paid now."""

    reference: str
    paid: bool


class PaymentProvider:
    """The interface; the defaults suit a provider without an external
    system (no webhook, refunds done by the merchant)."""

    code: str = ""
    label: StrOrPromise = ""

    def is_offered(self, store: Store, customer: Customer | None) -> bool:
        """Whether the checkout offers this method to `customer` (None: a guest)."""
        return True

    def description(self, store: Store) -> str:
        """One sentence shown beside the choice at checkout."""
        return ""

    def start(self, order: Order) -> PaymentStart:
        """Start paying a placed order."""
        return PaymentStart(instructions=self.instructions(order))

    def instructions(self, order: Order) -> list[str]:
        """What the customer does to pay, in the active language."""
        return []

    def confirm_webhook(
        self, store: Store, body: bytes, headers: Mapping[str, str]
    ) -> WebhookConfirmation:
        """Check the webhook's signature and read it; raises
        InvalidWebhookSignature for a body the provider did not sign."""
        raise WebhooksNotSupported()

    def refund(self, order: Order, amount: Decimal) -> None:
        """Give `amount` back through the provider; nothing for methods whose
        refund is the merchant's own transfer."""


def _amount(order: Order) -> str:
    """The order's total as the active language writes it ("30,01 EUR")."""
    return f"{number_format(order.total_gross, 2)} {order.currency}"


class BankTransfer(PaymentProvider):
    """The customer transfers the total to the store's account with the order
    number as the reference; the merchant marks the order paid."""

    code = Order.PaymentMethod.BANK_TRANSFER
    label = Order.PaymentMethod.BANK_TRANSFER.label

    def description(self, store: Store) -> str:
        return _("Transfer the total to our bank account after placing the order.")

    def start(self, order: Order) -> PaymentStart:
        return PaymentStart(instructions=self.instructions(order), reference=str(order.number))

    def instructions(self, order: Order) -> list[str]:
        store = order.store
        lines = [
            _(
                "Please transfer %(amount)s with the reference %(reference)s. "
                "We send your order once the payment has arrived."
            )
            % {"amount": _amount(order), "reference": order.payment_reference or order.number}
        ]
        holder = store.bank_account_holder or store.seller_name or store.name
        if store.bank_iban:
            lines.append(_("Account holder: %(holder)s") % {"holder": holder})
            lines.append(_("IBAN: %(iban)s") % {"iban": store.bank_iban})
            if store.bank_bic:
                lines.append(_("BIC: %(bic)s") % {"bic": store.bank_bic})
        else:
            lines.append(_("We email you our bank details with the order confirmation."))
        return lines


class CashOnDelivery(PaymentProvider):
    """The customer pays the courier; the merchant marks the order paid."""

    code = Order.PaymentMethod.CASH_ON_DELIVERY
    label = Order.PaymentMethod.CASH_ON_DELIVERY.label

    def description(self, store: Store) -> str:
        return _("Pay in cash when the parcel is delivered.")

    def instructions(self, order: Order) -> list[str]:
        return [
            _("Please have %(amount)s ready when the parcel is delivered.")
            % {"amount": _amount(order)}
        ]


class PayByInvoice(PaymentProvider):
    """The order ships first and the customer pays the invoice within the
    store's payment term. Offered only to customers the merchant allows, one
    by one (`Customer.may_pay_by_invoice`) or by their customer group."""

    code = Order.PaymentMethod.INVOICE
    label = Order.PaymentMethod.INVOICE.label

    def is_offered(self, store: Store, customer: Customer | None) -> bool:
        if customer is None:
            return False
        if customer.may_pay_by_invoice:
            return True
        # Or their customer group allows it for all its members.
        group = catalog_queries.customer_group(store, customer)
        return group is not None and group.may_pay_by_invoice

    def description(self, store: Store) -> str:
        return _("Pay within %(days)s days of receiving the invoice.") % {
            "days": store.invoice_payment_days
        }

    def instructions(self, order: Order) -> list[str]:
        return [
            _(
                "You receive an invoice for %(amount)s. Please pay it within %(days)s days, "
                "with the invoice number as the reference."
            )
            % {"amount": _amount(order), "days": order.store.invoice_payment_days}
        ]


_PROVIDERS: dict[str, PaymentProvider] = {}


def register_provider(provider: PaymentProvider) -> None:
    """Make a provider known by its code (its webhook is then
    `/payments/<code>/webhook/`)."""
    _PROVIDERS[provider.code] = provider


def unregister_provider(code: str) -> None:
    _PROVIDERS.pop(code, None)


def provider_for(code: str) -> PaymentProvider:
    """The provider of `code`; raises UnknownPaymentProvider."""
    try:
        return _PROVIDERS[code]
    except KeyError:
        raise UnknownPaymentProvider() from None


def offered_providers(store: Store, customer: Customer | None) -> list[PaymentProvider]:
    """The methods the checkout offers to `customer` (None: a guest), of
    those an order can be placed with, in the order of registration."""
    return [
        provider
        for code, provider in _PROVIDERS.items()
        if code in Order.PaymentMethod.values and provider.is_offered(store, customer)
    ]


@transaction.atomic
def start_payment(order: Order) -> PaymentStart:
    """Start paying a just-placed order with its method's provider and keep
    the provider's reference on the order (a bank transfer's is the order
    number)."""
    start = provider_for(order.payment_method).start(order)
    if start.reference and start.reference != order.payment_reference:
        Order.objects.filter(pk=order.pk).update(payment_reference=start.reference)
        order.payment_reference = start.reference
    return start


@transaction.atomic
def confirm_payment_by_webhook(
    store: Store, code: str, *, body: bytes, headers: Mapping[str, str]
) -> Order:
    """A provider's webhook: check its signature, find the store's order of
    the payment's reference, and mark it paid. A repeated webhook of a paid
    order changes nothing.

    Raises UnknownPaymentProvider, WebhooksNotSupported,
    InvalidWebhookSignature or UnknownPaymentReference."""
    provider = provider_for(code)
    confirmation = provider.confirm_webhook(store, body, headers)
    order = Order.objects.filter(
        store=store, payment_reference=confirmation.reference, payment_reference__gt=""
    ).first()
    if order is None:
        raise UnknownPaymentReference()
    if confirmation.paid and order.payment_status == Order.PaymentStatus.PENDING:
        try:
            order = mark_paid(order)
        except StatusConflict:  # a simultaneous delivery of the same webhook won
            order.refresh_from_db()
    return order


for _provider in (BankTransfer(), CashOnDelivery(), PayByInvoice()):
    register_provider(_provider)
