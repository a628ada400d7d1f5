"""The checkout's form: contact details, addresses (picked from the book or
typed), shipping and payment choices. What the shopper saw (prices, total)
travels signed in `seen`, never as plain fields."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

# A typed address: form field suffix, label, required, longest value, autocomplete.
ADDRESS_PARTS: tuple[tuple[str, Any, bool, int, str], ...] = (
    ("name", _("Full name"), True, 200, "name"),
    ("street", _("Street"), True, 200, "address-line1"),
    ("house_number", _("House number"), False, 20, ""),
    ("address2", _("Apartment, suite, etc. (optional)"), False, 200, "address-line2"),
    ("postal_code", _("Postal code"), False, 20, "postal-code"),
    ("city", _("City"), True, 100, "address-level2"),
    ("country", _("Country"), True, 2, "country"),
    ("phone", _("Phone (optional)"), False, 40, "tel"),
)
NEW = "new"
UNKNOWN_COUNTRY = _("Choose a country from the list.")
REQUIRED = _("This field is required.")


class CheckoutForm(forms.Form):
    """One checkout page. `kinds` are the address sections ("billing",
    "shipping"); `choices` per section the saved and recent addresses a
    signed-in customer may pick ((value, label) pairs, NEW for typing one)."""

    checkout_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    seen = forms.CharField(widget=forms.HiddenInput, max_length=200_000)

    email = forms.EmailField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    company_name = forms.CharField(
        label=_("Company name (optional)"), max_length=200, required=False
    )
    vat_number = forms.CharField(
        label=_("VAT number (optional)"),
        max_length=40,
        required=False,
        help_text=_("Businesses in another EU country pay no VAT with a valid VAT number."),
    )
    ship_elsewhere = forms.BooleanField(label=_("Ship to a different address"), required=False)
    save_address = forms.BooleanField(
        label=_("Save new addresses to my addresses"), required=False, initial=True
    )
    remember = forms.BooleanField(label=_("Remember my details on this device"), required=False)
    shipping_rate = forms.CharField(label=_("Shipping"), required=False, max_length=20)
    payment_method = forms.CharField(label=_("Payment"), required=False, max_length=40)

    def __init__(
        self,
        *args: Any,
        signed_in: bool,
        remember_offered: bool,
        address_choices: dict[str, list[tuple[str, str]]] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        self.address_choices = address_choices or {}
        if signed_in:
            del self.fields["email"]
            del self.fields["remember"]
        else:
            del self.fields["save_address"]
            if not remember_offered:
                del self.fields["remember"]
        for kind in ("billing", "shipping"):
            picks = self.address_choices.get(kind, [])
            if signed_in and picks:
                self.fields[f"{kind}_choice"] = forms.ChoiceField(
                    label=_("Choose an address"),
                    choices=[*picks, (NEW, _("Add a new address"))],
                    widget=forms.RadioSelect,
                    required=False,
                )
            for part, label, _required, limit, autocomplete in ADDRESS_PARTS:
                name = f"{kind}_{part}"
                if part == "country":
                    self.fields[name] = forms.ChoiceField(
                        label=label,
                        choices=[("", _("Choose a country")), *list(countries)],
                        required=False,
                        error_messages={"invalid_choice": UNKNOWN_COUNTRY},
                        widget=forms.Select(attrs={"autocomplete": f"{kind} {autocomplete}"}),
                    )
                else:
                    attrs = {"autocomplete": f"{kind} {autocomplete}"} if autocomplete else {}
                    self.fields[name] = forms.CharField(
                        label=label,
                        max_length=limit,
                        required=False,
                        widget=forms.TextInput(attrs=attrs),
                    )

    def address_fields(self, kind: str) -> list[forms.BoundField]:
        return [self[f"{kind}_{part}"] for part, *_rest in ADDRESS_PARTS]

    def choice_field(self, kind: str) -> forms.BoundField | None:
        name = f"{kind}_choice"
        return self[name] if name in self.fields else None

    def picked(self, kind: str) -> str:
        """The picked address ("book-3", "recent-0") or NEW for a typed one."""
        if f"{kind}_choice" not in self.fields:
            return NEW
        return self.cleaned_data.get(f"{kind}_choice") or NEW

    def typed_address(self, kind: str) -> dict[str, str]:
        """The typed address as an order snapshot's fields."""
        data = self.cleaned_data
        return {part: (data.get(f"{kind}_{part}") or "").strip() for part, *_rest in ADDRESS_PARTS}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kinds = ["billing"] + (["shipping"] if data.get("ship_elsewhere") else [])
        for kind in kinds:
            if self.picked(kind) != NEW:
                continue
            for part, _label, required, _limit, _ac in ADDRESS_PARTS:
                name = f"{kind}_{part}"
                if required and not (data.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, REQUIRED)
        return data
