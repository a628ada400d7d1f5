"""Orders, their lines, shipments and audit trail.

An order is a snapshot: its lines copy the product's name, SKU, net unit
price and tax rate, and the order copies the addresses, email, company and
VAT number, so a later change of the catalog or of the customer's profile
never rewrites it. Every order belongs to a customer record of its store's
account realm, guests' orders included. Its number is readable and counted
per store (`1001`, `1002`, ...); a guest reaches their order through the
unguessable `public_token`, never through the number or the id. Statuses
change only through `orders.actions`, which say what may follow what.
"""

import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shop_accounts.core.errors import StrOrPromise
from shop_accounts.core.models import Event, TimeStampedModel

MAX_QUANTITY = 999
MAX_KEY_LENGTH = 100
# Order numbers start after this in every store, so the first is 1001.
FIRST_NUMBER_AFTER = 1000


def new_public_token() -> str:
    """A link token nobody can guess (256 bits)."""
    return secrets.token_urlsafe(32)


def _money(verbose_name: StrOrPromise, **options: Any) -> models.DecimalField:
    # Two decimals, like catalog prices (see core/money.py on wider currencies).
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **options)


class OrderCounter(models.Model):
    """The last order number of a store, drawn under its row lock by
    `place_order`, so numbers are unique and consecutive per store."""

    store = models.OneToOneField(
        "stores.Store", on_delete=models.CASCADE, related_name="+", verbose_name=_("store")
    )
    last_number = models.PositiveIntegerField(_("last order number"), default=FIRST_NUMBER_AFTER)

    class Meta:
        verbose_name = _("order counter")
        verbose_name_plural = _("order counters")

    def __str__(self) -> str:
        return f"{self.store_id}: {self.last_number}"


class Order(TimeStampedModel):
    """One placed order of one customer record in one store."""

    class PaymentStatus(models.TextChoices):
        PENDING = "pending", _("Payment pending")
        PAID = "paid", _("Paid")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
        REFUNDED = "refunded", _("Refunded")
        CANCELLED = "cancelled", _("Cancelled")

    class FulfilmentStatus(models.TextChoices):
        UNFULFILLED = "unfulfilled", _("Not shipped yet")
        PARTIALLY_SHIPPED = "partially_shipped", _("Partially shipped")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")

    class PaymentMethod(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        CASH_ON_DELIVERY = "cash_on_delivery", _("Cash on delivery")
        INVOICE = "invoice", _("Pay by invoice")

    store = models.ForeignKey(
        "stores.Store", on_delete=models.PROTECT, related_name="orders", verbose_name=_("store")
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("customer"),
    )
    number = models.PositiveIntegerField(_("order number"))
    public_token = models.CharField(max_length=64, unique=True, default=new_public_token)
    idempotency_key = models.CharField(_("idempotency key"), max_length=MAX_KEY_LENGTH)
    currency = models.CharField(_("currency"), max_length=3)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    email = models.EmailField(_("email"))
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=40, blank=True)
    billing_address = models.JSONField(_("billing address"))
    shipping_address = models.JSONField(_("shipping address"))

    reverse_charge = models.BooleanField(_("reverse charge"), default=False)
    reverse_charge_note = models.TextField(_("reverse charge note"), blank=True)

    # Shipping is one charge per order, taxed like a line (at the store's
    # standard rate, 0 % under reverse charge) and part of the totals below.
    shipping_name = models.CharField(_("shipping method"), max_length=100, blank=True)
    shipping_net = _money(_("shipping without tax"), default=Decimal("0.00"))
    shipping_tax_rate = models.DecimalField(
        _("shipping tax rate (%)"), max_digits=5, decimal_places=2, default=Decimal("0.00")
    )
    # The sum of the lines' discounts (customer group prices), for display.
    discount_total = _money(_("discount"), default=Decimal("0.00"))
    total_net = _money(_("total without tax"))
    total_tax = _money(_("tax"))
    total_gross = _money(_("total"))
    total_refunded = _money(_("refunded"), default=Decimal("0.00"))
    # Per rate: {"rate", "net", "tax"} as strings (core.money.TaxBreakdown).
    tax_breakdown = models.JSONField(_("tax per rate"), default=list)

    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices
    )
    payment_status = models.CharField(
        _("payment"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    fulfilment_status = models.CharField(
        _("shipping"),
        max_length=20,
        choices=FulfilmentStatus.choices,
        default=FulfilmentStatus.UNFULFILLED,
    )
    # The payment provider's own reference (orders/payments.py), if any.
    payment_reference = models.CharField(_("payment reference"), max_length=200, blank=True)
    # Placed without signing in. Such an order joins the account holder's
    # view only once the email is proved after it (`claimed_at`), so nobody
    # sees an order by signing up with someone else's email.
    placed_as_guest = models.BooleanField(_("placed as a guest"), default=False)
    claimed_at = models.DateTimeField(_("joined the account at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        # No check that gross = net + tax: SQLite compares decimals as
        # floats, where 92.40 + 19.40 is not 111.80.
        constraints = [
            models.UniqueConstraint(
                fields=["store", "number"], name="order_number_unique_in_store"
            ),
            models.UniqueConstraint(
                fields=["store", "idempotency_key"], name="one_order_per_idempotency_key"
            ),
            models.CheckConstraint(
                condition=Q(total_refunded__gte=0) & Q(total_refunded__lte=F("total_gross")),
                name="order_refund_within_total",
            ),
        ]
        indexes = [models.Index(fields=["customer", "-created_at"])]

    def __str__(self) -> str:
        return str(self.number)


class OrderLine(models.Model):
    """One product on an order, as it was when the order was placed."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    sku = models.CharField(_("article number"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_net = _money(_("unit price without tax"))
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    # What the line saved against the regular price (customer group prices:
    # regular − paid, × quantity), for display: already out of the unit price.
    discount = _money(_("discount"), default=Decimal("0.00"))
    # Unit price (what was paid for one) × quantity, rounded once for the
    # line; the tax is computed per rate over the order's lines (core/money.py).
    line_net = _money(_("line total without tax"))
    shipped_quantity = models.PositiveIntegerField(_("shipped"), default=0)
    refunded_quantity = models.PositiveIntegerField(_("refunded"), default=0)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=MAX_QUANTITY),
                name="order_line_quantity_in_bounds",
            ),
            models.CheckConstraint(
                condition=Q(shipped_quantity__lte=F("quantity")),
                name="order_line_ships_at_most_its_quantity",
            ),
            models.CheckConstraint(
                condition=Q(refunded_quantity__lte=F("quantity")),
                name="order_line_refunds_at_most_its_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"

    @property
    def unshipped_quantity(self) -> int:
        return self.quantity - self.shipped_quantity


class Shipment(models.Model):
    """A parcel that left for the customer: which lines, how many of each,
    and how to follow it."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="shipments", verbose_name=_("order")
    )
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    tracking_url = models.URLField(_("tracking link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("shipped at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["order", "created_at", "id"]

    def __str__(self) -> str:
        return " ".join(part for part in (self.carrier, self.tracking_number) if part)


class ShipmentLine(models.Model):
    """How many of one order line went in one shipment."""

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="lines", verbose_name=_("shipment")
    )
    line = models.ForeignKey(
        OrderLine, on_delete=models.CASCADE, related_name="+", verbose_name=_("order line")
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("shipped line")
        verbose_name_plural = _("shipped lines")
        ordering = ["shipment", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="shipment_line_ships_some"),
            models.UniqueConstraint(fields=["shipment", "line"], name="one_row_per_shipped_line"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.line_id}"


class OrderEvent(Event):
    """An entry in an order's audit trail (see core.models.Event); written
    only by the recorders in `orders/events.py`."""

    class Kind(models.TextChoices):
        PLACED = "placed", _("Order placed")
        PAID = "paid", _("Marked as paid")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")
        CLAIMED = "claimed", _("Joined the customer's account")
        INVOICE_ISSUED = "invoice_issued", _("Invoice issued")
        CREDIT_NOTE_ISSUED = "credit_note_issued", _("Credit note issued")

    kind = models.CharField(_("event"), max_length=40, choices=Kind.choices)
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order")
    )

    class Meta(Event.Meta):
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
