"""Typed errors of the catalog (see core/errors.py)."""

from django.utils.translation import gettext_lazy as _

from shop_accounts.core.errors import DomainError


class CatalogError(DomainError):
    code = "catalog_error"
    message = _("The catalog could not be changed.")


class NoTaxRate(CatalogError):
    """The store's country has no rate for a tax class: the merchant must add
    one before products of that class can be sold."""

    code = "no_tax_rate"
    message = _("There is no tax rate for “%(tax_class)s” in %(country)s yet.")

    def __init__(self, *, country: str, tax_class: str) -> None:
        from shop_accounts.catalog.models import TaxClass

        self.country = country
        self.tax_class = tax_class
        label = TaxClass(tax_class).label if tax_class in TaxClass.values else tax_class
        super().__init__(params={"country": country, "tax_class": label})
