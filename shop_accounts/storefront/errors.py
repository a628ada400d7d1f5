"""How the storefront shows a refused action (a DomainError) to the
shopper: as errors on the form that asked for it. Every view that catches a
DomainError goes through this."""

from django import forms

from shop_accounts.core.errors import DomainError


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a refusal on `form`: at the field it is about, or at the top of
    the form when the form has no such field."""
    for field, errors in error.form_errors().items():
        form.add_error(field if field in form.fields else None, errors)
