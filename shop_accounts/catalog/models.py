"""Products of a store and their prices. Prices are stored without tax; the
store decides whether shoppers see them with or without it, and its policy
decides whether guests see them at all (see pricing.py)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from shop_accounts.core.models import TimeStampedModel


class TaxClass(models.TextChoices):
    """Which of its country's VAT rates a product is taxed at (TaxRate)."""

    STANDARD = "standard", _("Standard rate")
    REDUCED = "reduced", _("Reduced rate")
    ZERO = "zero", _("Zero rate")


class Product(TimeStampedModel):
    """Something a store sells. `is_published` is its active flag: only
    published products are shown and can be ordered."""

    store = models.ForeignKey(
        "stores.Store", on_delete=models.CASCADE, related_name="products", verbose_name=_("store")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=200)
    sku = models.CharField(_("article number"), max_length=64, blank=True)
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(
        _("price without tax"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    tax_class = models.CharField(
        _("tax class"), max_length=10, choices=TaxClass.choices, default=TaxClass.STANDARD
    )
    # Without tracking a product is always available; with it, orders take
    # from `stock` under a row lock and never below zero.
    track_stock = models.BooleanField(_("track stock"), default=False)
    stock = models.PositiveIntegerField(_("in stock"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "slug"], name="product_slug_unique_in_store")
        ]

    def __str__(self) -> str:
        return self.name


class TaxRate(models.Model):
    """The VAT rate of one tax class in one country, in percent. The store's
    country picks the row (`catalog.tax.rate_for`); rates are seeded for the
    demo countries by a data migration and change only with the law."""

    country = CountryField(_("country"))
    tax_class = models.CharField(_("tax class"), max_length=10, choices=TaxClass.choices)
    rate = models.DecimalField(
        _("rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        ordering = ["country", "tax_class"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "tax_class"], name="one_tax_rate_per_country_and_class"
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100), name="tax_rate_is_a_percentage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.tax_class}: {self.rate} %"


class CustomerGroup(TimeStampedModel):
    """Customers of one store who get the same discount (Ecwid's "special
    customer discounts"): `discount_percent` off every product's net price,
    or the group's fixed price of a product (`GroupPrice`), which wins.
    `catalog.pricing.customer_prices` is the one place that applies it."""

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.CASCADE,
        related_name="customer_groups",
        verbose_name=_("store"),
    )
    name = models.CharField(_("name"), max_length=100)
    discount_percent = models.DecimalField(
        _("discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Off the regular price of every product without a fixed group price."),
    )
    may_pay_by_invoice = models.BooleanField(
        _("may pay by invoice"),
        default=False,
        help_text=_("Members are offered pay by invoice at checkout."),
    )

    class Meta:
        verbose_name = _("customer group")
        verbose_name_plural = _("customer groups")
        ordering = ["store", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "name"], name="customer_group_name_unique_in_store"
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0) & Q(discount_percent__lte=100),
                name="customer_group_discount_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """A customer's group in one store: at most one per customer and store
    (in a shared realm a customer may be in a group of each store). The
    group is of the same store; `catalog.groups.set_customer_group`, the only
    writer, checks it."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name=_("customer"),
    )
    store = models.ForeignKey(
        "stores.Store", on_delete=models.CASCADE, related_name="+", verbose_name=_("store")
    )
    group = models.ForeignKey(
        CustomerGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("customer group"),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["store", "customer"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "store"], name="one_customer_group_per_store"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} in {self.group_id}"


class GroupPrice(models.Model):
    """A customer group's fixed net price of one product of the group's
    store. It replaces the group's percentage for that product; a customer
    never pays more than the product's own price for being in a group."""

    group = models.ForeignKey(
        CustomerGroup,
        on_delete=models.CASCADE,
        related_name="prices",
        verbose_name=_("customer group"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    price = models.DecimalField(
        _("group price without tax"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )

    class Meta:
        verbose_name = _("fixed group price")
        verbose_name_plural = _("fixed group prices")
        ordering = ["group", "product__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "product"], name="one_group_price_per_product"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="group_price_not_negative"),
        ]

    def __str__(self) -> str:
        # The product's name (lists join it: `select_related("product")`).
        return self.product.name
