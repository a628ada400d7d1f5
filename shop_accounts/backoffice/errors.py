"""How the back office shows a refused action (a DomainError): as a message
to the merchant, or as errors on the form that asked for it. Every place
that catches a DomainError goes through these two."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from shop_accounts.core.errors import DomainError


def message_for(error: DomainError) -> str:
    """What the merchant is told of a refusal, in the active language."""
    return error.text()


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a refusal on `form`: at the field it is about, or at the top of
    the form when the form has no such field."""
    for field, errors in error.form_errors().items():
        form.add_error(field if field in form.fields else None, errors)


class RefusalsAsMessages:
    """A ModelAdmin mixin: a refusal the forms could not see (an edit or a
    name taken in the moment between the form's check and the save, caught
    by the action under its row lock) rolls the whole save back, as admin
    saves run in one transaction, and is told as a message on the page."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(  # type: ignore[misc]
                request, object_id, form_url, extra_context
            )
        except DomainError as refused:
            messages.error(request, message_for(refused))
            return redirect(request.path)
