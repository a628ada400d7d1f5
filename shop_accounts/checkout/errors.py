"""Typed refusals of the checkout (see core/errors.py)."""

from django.utils.translation import gettext_lazy as _

from shop_accounts.core.errors import DomainError, InvalidInput


class CheckoutError(DomainError):
    code = "checkout_error"
    message = _("The order could not be placed.")


class NoShippingToCountry(CheckoutError):
    """No active shipping rate of the store serves the country."""

    code = "no_shipping_to_country"
    message = _("We do not ship to %(country)s.")
    field = "shipping_country"

    def __init__(self, *, country: str, country_name: str) -> None:
        self.country = country
        super().__init__(params={"country": country_name})


class UnknownShippingRate(CheckoutError):
    """The chosen rate is not one offered for the country (tampered, or gone)."""

    code = "unknown_shipping_rate"
    message = _("Choose one of the shipping methods offered.")
    field = "shipping_rate"


class PaymentMethodNotOffered(CheckoutError):
    """The chosen payment method is not offered to this shopper."""

    code = "payment_method_not_offered"
    message = _("Choose one of the payment methods offered.")
    field = "payment_method"


class EmptyCart(CheckoutError):
    code = "empty_cart"
    message = _("Your cart is empty. Add a product before checking out.")


class SignInRequired(CheckoutError):
    """The store takes orders from signed-in customers only."""

    code = "sign_in_required"
    message = _("Please sign in to place your order.")


class InvalidShippingRate(InvalidInput, CheckoutError):
    """A shipping rate that breaks its rules; `errors` holds each field's."""

    code = "invalid_shipping_rate"
    message = _("Check the shipping rate: some of its fields are not valid.")
