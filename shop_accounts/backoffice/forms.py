"""Back-office forms: validate input so refusals are form errors, never 500s."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shop_accounts.customers import queries
from shop_accounts.customers.errors import EmailTaken, InvalidEmail, RealmChangeConflict
from shop_accounts.customers.models import Address, Customer
from shop_accounts.stores.actions import POLICY_FIELDS
from shop_accounts.stores.models import Store


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = [
            "store",
            "email",
            "first_name",
            "initials",
            "last_name",
            "phone",
            "mobile",
            "language",
            "gender",
            "birth_date",
            "accepts_marketing",
            "customer_type",
            "company_name",
            "company_id_number",
            "coc_number",
            "vat_number",
            "internal_notes",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "store" in self.fields:
            # The record's realm follows its store; moving records between
            # realms is what account sharing does, not a field edit.
            self.fields["store"].disabled = True

    def clean_email(self) -> str:
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        store = cleaned.get("store") or getattr(self.instance, "store", None)
        email = cleaned.get("email")
        if store and email:
            existing = queries.customer_by_email(store, email)
            if existing is not None and existing.pk != self.instance.pk:
                self.add_error("email", EmailTaken.message)
        if cleaned.get("customer_type") == Customer.CustomerType.BUSINESS and not cleaned.get(
            "company_name"
        ):
            self.add_error("company_name", _("A business customer needs a company name."))
        return cleaned

    def validate_unique(self) -> None:
        # Uniqueness per realm is checked in clean(); the realm is not a field.
        pass

    def add_action_error(self, error: EmailTaken | InvalidEmail) -> None:
        self.add_error(error.field, error.message)


class AddressForm(forms.ModelForm):
    def validate_constraints(self) -> None:
        # Ticking "default" on another address is a switch: the action unsets
        # the old default first, which the one-default constraints cannot see.
        not_validated = {f.name for f in Address._meta.fields if f.name not in self.fields}
        exclude = not_validated | set(self.errors) | {"is_default_billing", "is_default_shipping"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            self.add_error(None, error)


class StoreForm(forms.ModelForm):
    class Meta:
        model = Store
        fields = [*POLICY_FIELDS, "is_default", "shares_accounts"]

    def clean_hostname(self) -> str:
        return (self.cleaned_data.get("hostname") or "").strip().lower().split(":", 1)[0]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        provider = cleaned.get("captcha_provider")
        needs_keys = provider not in (
            None,
            Store.CaptchaProvider.NONE,
            Store.CaptchaProvider.ALTCHA,
        )
        if needs_keys and not (
            cleaned.get("captcha_site_key") and cleaned.get("captcha_secret_key")
        ):
            self.add_error(
                "captcha_secret_key", _("This CAPTCHA provider needs a site key and a secret key.")
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


class InvitationForm(forms.Form):
    """The subject and message of one invitation, as the merchant sends it."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Shown above the personal link in the email."),
    )
