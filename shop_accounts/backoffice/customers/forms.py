"""The customer page's forms: validate input so refusals are form errors,
never 500s."""

from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shop_accounts.customers import queries
from shop_accounts.customers.errors import EditConflict, EmailTaken
from shop_accounts.customers.models import Address, Customer

LOADED_VALUES_SALT = "backoffice.loaded-values"


def _as_text(value: Any) -> str:
    """One comparable spelling of a field's value, as the snapshot keeps it."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


class EditsSinceLoadedMixin:
    """A back-office edit form that remembers what the page showed when it was
    loaded (a signed snapshot in the hidden `loaded_values` field). A save
    writes only the fields the merchant changed on the page, so another
    person's change to a different field is kept, and a field that someone
    else changed meanwhile is refused with a form error instead of being
    overwritten. A post without a snapshot (an old page, a script) falls back
    to Django's changed_data."""

    # Provided by the ModelForm this mixes into.
    fields: dict[str, forms.Field]
    instance: Any
    initial: Any
    is_bound: bool
    data: Any
    cleaned_data: dict[str, Any]
    changed_data: list[str]
    _meta: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.values_at_post = (
            {field: getattr(self.instance, field) for field in self._tracked()}
            if self.instance.pk
            else {}
        )
        if self.instance.pk and not self.is_bound:
            self.initial["loaded_values"] = self._snapshot()

    def _tracked(self) -> list[str]:
        """The model fields the page can change."""
        model_fields = {field.name for field in self.instance._meta.concrete_fields}
        return [
            name
            for name in self._meta.fields
            if name in model_fields and name in self.fields and not self.fields[name].disabled
        ]

    def _loaded(self) -> dict[str, str] | None:
        raw = self.data.get(self.add_prefix("loaded_values")) if self.is_bound else None  # type: ignore[attr-defined]
        if not raw or not self.instance.pk:
            return None
        try:
            return signing.loads(raw, salt=LOADED_VALUES_SALT)
        except signing.BadSignature:
            return None

    def edited_fields(self) -> list[str]:
        """The fields the merchant changed on the page."""
        loaded = self._loaded()
        if loaded is None:
            return list(self.changed_data)
        return [
            name
            for name in self._tracked()
            if name in self.cleaned_data
            and name in loaded
            and _as_text(self.cleaned_data[name]) != loaded[name]
        ]

    def expected_values(self) -> dict[str, Any]:
        """What the merchant saw of the edited fields, for the action's check
        under the row lock (the form's own check cannot close the race)."""
        if self._loaded() is None:
            return {}
        return {name: self.values_at_post[name] for name in self.edited_fields()}

    def _check_edits_since_loaded(self) -> None:
        loaded = self._loaded()
        if loaded is None:
            return
        moved = [
            name
            for name in self.edited_fields()
            if _as_text(self.values_at_post[name])
            not in (loaded[name], _as_text(self.cleaned_data[name]))
        ]
        if moved:
            labels = ", ".join(str(self.fields[name].label) for name in moved)
            self.add_error(  # type: ignore[attr-defined]
                None,
                ValidationError(
                    "%(message)s (%(fields)s)",
                    code=EditConflict.code,
                    params={"message": EditConflict.message, "fields": labels},
                ),
            )
            self._show_values_at_post(moved)

    def _show_values_at_post(self, moved: list[str]) -> None:
        """Show the other person's values in the fields that clashed and take
        a new snapshot, so the page tells what changed and saving it again
        (with the merchant's other edits still in place) goes through."""
        data = self.data.copy()
        for name in moved:
            key, value = self.add_prefix(name), self.values_at_post[name]  # type: ignore[attr-defined]
            if isinstance(self.fields[name].widget, forms.CheckboxInput):
                if value:
                    data[key] = "on"
                else:
                    data.pop(key, None)
            else:
                data[key] = _as_text(value)
        data[self.add_prefix("loaded_values")] = self._snapshot()  # type: ignore[attr-defined]
        self.data = data

    def _snapshot(self) -> str:
        return signing.dumps(
            {field: _as_text(value) for field, value in self.values_at_post.items()},
            salt=LOADED_VALUES_SALT,
        )


class CustomerForm(EditsSinceLoadedMixin, forms.ModelForm):
    loaded_values = forms.CharField(widget=forms.HiddenInput, required=False)

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
            "country",
            "internal_notes",
            "may_pay_by_invoice",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "may_pay_by_invoice": _(
                "Offered pay by invoice at checkout; members of a customer group that allows it"
                " are offered it too."
            )
        }

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
        self._check_edits_since_loaded()
        return cleaned

    def validate_unique(self) -> None:
        # Uniqueness per realm is checked in clean(); the realm is not a field.
        pass


class AddressForm(EditsSinceLoadedMixin, forms.ModelForm):
    loaded_values = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        self._check_edits_since_loaded()
        return cleaned

    def validate_constraints(self) -> None:
        # Ticking "default" on another address is a switch: the action unsets
        # the old default first, which the one-default constraints cannot see.
        not_validated = {f.name for f in Address._meta.fields if f.name not in self.fields}
        exclude = not_validated | set(self.errors) | {"is_default_billing", "is_default_shipping"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as error:
            self.add_error(None, error)


class InvitationForm(forms.Form):
    """The subject and message of one invitation, as the merchant sends it."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Shown above the personal link in the email."),
    )


class ReasonForm(forms.Form):
    """The optional reason a merchant gives when declining or deactivating;
    kept on the customer's trail as written."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, help_text: Any = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = help_text
