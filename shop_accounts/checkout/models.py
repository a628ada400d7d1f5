"""Shipping rates: what a store charges to send an order to a country.

A rate names the countries it serves; a rate without countries serves every
country that no other active rate of the store names. The checkout offers
the active rates for the shipping country, in `position` order."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from shop_accounts.core.models import TimeStampedModel


class ShippingRate(TimeStampedModel):
    """A flat shipping price of one store for some destination countries,
    free when the goods come to `free_above` or more (as the store shows
    prices: with tax where it shows prices with tax)."""

    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.CASCADE,
        related_name="shipping_rates",
        verbose_name=_("store"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("As the shopper sees it, e.g. “Standard delivery”.")
    )
    countries = CountryField(
        _("destination countries"),
        multiple=True,
        blank=True,
        help_text=_("Leave empty for every country that no other rate names."),
    )
    price = models.DecimalField(
        _("price without tax"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    free_above = models.DecimalField(
        _("free from"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00"))],
        help_text=_("Free when the goods cost this much or more, as the shop shows prices."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("shipping rate")
        verbose_name_plural = _("shipping rates")
        ordering = ["store", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="shipping_rate_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(free_above__isnull=True) | Q(free_above__gte=0),
                name="shipping_rate_free_above_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def serves(self, country: str) -> bool:
        return country in {str(code) for code in self.countries}
