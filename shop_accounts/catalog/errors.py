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


class GroupNameTaken(CatalogError):
    code = "group_name_taken"
    field = "name"
    message = _("The store already has a customer group with this name.")


class GroupOfAnotherStore(CatalogError):
    """A customer group used in a store it does not belong to."""

    code = "group_of_another_store"
    field = "group"
    message = _("This customer group belongs to another store.")


class ProductOfAnotherStore(CatalogError):
    """A fixed group price for a product of another store than the group's."""

    code = "product_of_another_store"
    field = "product"
    message = _("This product is sold in another store than the group's.")


class CustomerOutsideStore(CatalogError):
    """A customer put in a group of a store whose accounts they do not share."""

    code = "customer_outside_store"
    message = _("This customer is not a customer of the group's store.")
