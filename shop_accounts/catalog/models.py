"""Products of a store and their prices. Prices are stored without tax; the
store decides whether shoppers see them with or without it, and its policy
decides whether guests see them at all (see pricing.py)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shop_accounts.core.models import TimeStampedModel


class Product(TimeStampedModel):
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
    tax_rate = models.DecimalField(
        _("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("21.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
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
