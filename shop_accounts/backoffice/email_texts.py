"""The merchant's email texts in the back office, per store and language."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shop_accounts.backoffice.site import backoffice_site
from shop_accounts.identity import invitations
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import EmailText, Store


@admin.register(EmailText, site=backoffice_site)
class EmailTextAdmin(admin.ModelAdmin):
    """The merchant's own wording of emails (the account invitation, the
    answers to a registration), per store and language; where there is none,
    the shop's standard text in the customer's language is sent."""

    list_display = ["store", "kind", "language", "subject"]
    list_filter = ["store", "kind", "language"]
    list_select_related = ["store"]
    fields = ["store", "kind", "language", "subject", "message"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A new invitation text starts from the standard one, so the merchant
        edits rather than writes from nothing."""
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        chosen = str(initial.get("store") or "")
        store = (Store.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None) or (
            Store.objects.filter(is_default=True).first()
        )
        language = str(initial.get("language") or (store.default_language if store else "en"))
        initial.setdefault("kind", EmailText.Kind.INVITATION)
        if store is not None and initial["kind"] == EmailText.Kind.INVITATION:
            subject, message = invitations.default_invitation_text(store, language)
            initial.setdefault("store", store.pk)
            initial.setdefault("language", language)
            initial.setdefault("subject", subject)
            initial.setdefault("message", message)
        return initial

    def save_model(self, request: HttpRequest, obj: EmailText, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = store_actions.set_email_text(
            store=data["store"],
            kind=data["kind"],
            language=data["language"],
            subject=data["subject"],
            message=data["message"],
            email_text=obj if change else None,
        )
        obj.pk = saved.pk
