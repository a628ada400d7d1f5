"""The store form: a store's details and account policy."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shop_accounts.catalog.tax import has_rates
from shop_accounts.customers import queries
from shop_accounts.customers.errors import RealmChangeConflict
from shop_accounts.stores.actions import POLICY_FIELDS
from shop_accounts.stores.models import Store

SECRET_KEY_FIELD = "captcha_secret_key"


class StoreForm(forms.ModelForm):
    """A store's details and account policy. The CAPTCHA secret key is
    write-only: the page never shows it (not even to a merchant who may only
    view), it offers to replace it, and an empty field keeps the saved one;
    removing it takes the checkbox. `cleaned_data["captcha_secret_key"]` is
    the key the store ends up with."""

    new_captcha_secret_key = forms.CharField(
        label=_("CAPTCHA secret key"),
        required=False,
        max_length=200,  # Store.captcha_secret_key
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    clear_captcha_secret_key = forms.BooleanField(
        label=_("Remove the saved secret key"), required=False
    )

    class Meta:
        model = Store
        # The secret key is not a model field of the form: Django's admin
        # would show its value on a read-only page.
        fields = [
            *(name for name in POLICY_FIELDS if name != SECRET_KEY_FIELD),
            "is_default",
            "shares_accounts",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("new_captcha_secret_key")
        if field is not None:
            field.help_text = (
                _(
                    "A secret key is saved; it is never shown again. Enter a new one to "
                    "replace it, or leave this empty to keep it."
                )
                if self.instance.captcha_secret_key
                else _("From the provider's console. Once saved, it is never shown again.")
            )

    def clean_country(self) -> str:
        # Prices with tax and orders need the country's VAT rates
        # (catalog.TaxRate); without them the shop's pages could not price.
        country = self.cleaned_data.get("country") or ""
        if country and not has_rates(country):
            raise forms.ValidationError(
                _("There are no VAT rates for this country yet. Choose another country."),
                code="no_tax_rates",
            )
        return country

    def clean_hostname(self) -> str:
        return (self.cleaned_data.get("hostname") or "").strip().lower().split(":", 1)[0]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        new_secret = cleaned.pop("new_captcha_secret_key", "")
        clear_secret = cleaned.pop("clear_captcha_secret_key", False)
        if new_secret and clear_secret:
            self.add_error(
                "clear_captcha_secret_key",
                _("Enter a new secret key or remove the saved one, not both."),
            )
        secret = new_secret or ("" if clear_secret else self.instance.captcha_secret_key)
        cleaned[SECRET_KEY_FIELD] = secret
        provider = cleaned.get("captcha_provider")
        needs_keys = provider not in (
            None,
            Store.CaptchaProvider.NONE,
            Store.CaptchaProvider.ALTCHA,
        )
        if needs_keys and not (cleaned.get("captcha_site_key") and secret):
            self.add_error(
                "new_captcha_secret_key",
                _("This CAPTCHA provider needs a site key and a secret key."),
            )
        if (
            self.instance.pk
            and "shares_accounts" in cleaned
            and queries.account_sharing_conflict(
                self.instance, shares_accounts=cleaned["shares_accounts"]
            )
        ):
            self.add_error("shares_accounts", RealmChangeConflict.message)
        return cleaned

    def clean_currency(self) -> str:
        currency = (self.cleaned_data.get("currency") or "").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("Enter a three-letter ISO 4217 currency code."))
        return currency
