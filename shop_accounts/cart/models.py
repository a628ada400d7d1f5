"""Carts and their lines.

A cart belongs to one store and either to a customer record (their saved
cart, one per customer and store, the same on every device) or to a guest,
found by a random `token` kept in the guest's session. At sign-in the guest's
cart merges into the customer's (`cart.actions.merge_carts`). A cart keeps no
prices: what a line costs is read when the cart is shown and again when the
order is placed (`cart.queries.cart_contents`)."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shop_accounts.core.models import TimeStampedModel
from shop_accounts.orders.models import MAX_QUANTITY

# The kinds of note a merge leaves on the cart (`Cart.notes`), worded by
# `cart.queries.cart_contents` in the language of the page that shows them.
CAPPED_BY_STOCK = "capped_by_stock"
CAPPED_AT_MAXIMUM = "capped_at_maximum"


def new_cart_token() -> str:
    """A guest cart's token nobody can guess (256 bits)."""
    return secrets.token_urlsafe(32)


class Cart(TimeStampedModel):
    """The products one shopper means to order in one store. `notes` holds
    what a merge at sign-in changed ("only 3 left"), until the cart page has
    shown it once."""

    store = models.ForeignKey(
        "stores.Store", on_delete=models.CASCADE, related_name="carts", verbose_name=_("store")
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="carts",
        verbose_name=_("customer"),
    )
    # A guest's cart only; never shown, kept in the guest's session.
    token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    notes = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "customer"],
                condition=Q(customer__isnull=False),
                name="one_cart_per_customer_and_store",
            ),
            models.CheckConstraint(
                condition=Q(customer__isnull=False, token__isnull=True)
                | Q(customer__isnull=True, token__isnull=False),
                name="cart_of_a_customer_or_a_guest_token",
            ),
        ]

    def __str__(self) -> str:
        return f"cart {self.pk} ({self.store_id})"


class CartLine(TimeStampedModel):
    """One product in a cart and how many; one line per product."""

    cart = models.ForeignKey(
        Cart, on_delete=models.CASCADE, related_name="lines", verbose_name=_("cart")
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="one_cart_line_per_product"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=MAX_QUANTITY),
                name="cart_line_quantity_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"
