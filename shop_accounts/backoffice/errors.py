"""How the back office shows a refused action (a DomainError): as a message
to the merchant, or as errors on the form that asked for it. Every place
that catches a DomainError goes through these two."""

from django import forms

from shop_accounts.core.errors import DomainError


def message_for(error: DomainError) -> str:
    """What the merchant is told of a refusal, in the active language."""
    return error.text()


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a refusal on `form`: at the field it is about, or at the top of
    the form when the form has no such field."""
    for field, errors in error.form_errors().items():
        form.add_error(field if field in form.fields else None, errors)
