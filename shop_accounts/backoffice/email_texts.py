"""The merchant's email texts in the back office, per store and language:
every email the product sends (stores/email_kinds.py), its subject and main
message around the fixed layout, a preview with sample data, and a test
sent to the merchant's own address."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.csp import CSP
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST
from unfold.admin import ModelAdmin

from shop_accounts.backoffice.errors import add_domain_error
from shop_accounts.backoffice.site import backoffice_site
from shop_accounts.identity import email_previews
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.email_kinds import EMAIL_KINDS, EmailKind
from shop_accounts.stores.errors import InvalidEmailText
from shop_accounts.stores.models import EmailText, Store

# The preview frame shows an email: its inline styles and remote logo, no
# scripts, and only inside the back office's own pages.
PREVIEW_CSP: dict[str, list[str]] = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "img-src": ["https:", "data:"],
    "frame-ancestors": [CSP.SELF],
}


class EmailTextForm(forms.ModelForm):
    class Meta:
        model = EmailText
        fields = ["store", "kind", "language", "subject", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind:
            try:
                store_actions.check_placeholders(
                    kind,
                    subject=cleaned.get("subject") or "",
                    message=cleaned.get("message") or "",
                )
            except InvalidEmailText as error:
                add_domain_error(self, error)
        return cleaned


def _chosen_store(chosen: object) -> Store | None:
    text = str(chosen or "")
    return (Store.objects.filter(pk=int(text)).first() if text.isdigit() else None) or (
        Store.objects.filter(is_default=True).first()
    )


@admin.register(EmailText, site=backoffice_site)
class EmailTextAdmin(ModelAdmin):
    """The merchant's own wording of emails, per store and language; where
    there is none, the shop's standard text in the customer's language is
    sent. The link or code and the security details stay fixed."""

    form = EmailTextForm
    change_form_template = "backoffice/email_texts/change_form.html"
    list_display = ["store", "kind", "language", "subject"]
    list_filter = ["store", "kind", "language"]
    list_select_related = ["store"]
    fields = ["store", "kind", "language", "subject", "message"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """A new text starts from the standard one of its email, store and
        language, so the merchant edits rather than writes from nothing."""
        initial: dict[str, Any] = dict(super().get_changeform_initial_data(request))
        store = _chosen_store(initial.get("store"))
        language = str(initial.get("language") or (store.default_language if store else "en"))
        kind = EMAIL_KINDS.get(str(initial.get("kind") or ""), EMAIL_KINDS["invitation"])
        initial["kind"] = kind.key
        if store is not None:
            subject, message = email_previews.default_email_text(kind, store, language)
            initial.setdefault("store", store.pk)
            initial.setdefault("language", language)
            initial.setdefault("subject", subject)
            initial.setdefault("message", message)
        return initial

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: EmailText | None = None,
    ) -> HttpResponse:
        """The form, with the email as the customer would get it below."""
        context["email_preview"] = self._preview(obj, context["adminform"].form)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _preview(self, obj: EmailText | None, form: forms.BaseForm) -> dict[str, Any] | None:
        store: Store | None
        if obj is not None and obj.pk:
            store, key, language = obj.store, obj.kind, obj.language
            subject, message = obj.subject, obj.message
        else:
            store = _chosen_store(form.initial.get("store"))
            key = str(form.initial.get("kind") or "")
            language = str(form.initial.get("language") or "en")
            subject = message = ""
        kind = EMAIL_KINDS.get(key)
        if store is None or kind is None:
            return None
        email = email_previews.render_sample(
            kind, store, language, subject=subject, message=message
        )
        shown: dict[str, str] = (
            {"text": str(obj.pk)}
            if obj is not None and obj.pk
            else {"kind": kind.key, "store": str(store.pk), "language": language}
        )
        return {
            "email": email,
            "html_url": f"{reverse('backoffice:stores_emailtext_preview')}?{urlencode(shown)}",
            "kind": kind,
            "placeholders": ", ".join(f"{{{name}}}" for name in kind.placeholders),
            "test_url": (
                reverse("backoffice:stores_emailtext_send_test", args=[obj.pk])
                if obj is not None and obj.pk
                else ""
            ),
        }

    def get_urls(self) -> list[URLPattern]:
        send_test = self.admin_site.admin_view(require_POST(self.send_test_view))
        preview = self.admin_site.admin_view(
            require_GET(xframe_options_sameorigin(csp_override(PREVIEW_CSP)(self.preview_view)))
        )
        return [
            path("<int:pk>/send-test/", send_test, name="stores_emailtext_send_test"),
            path("preview/", preview, name="stores_emailtext_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """The HTML part alone, for the edit page's sandboxed frame: a saved
        text (?text=<id>) or the default of ?kind=&store=&language=."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        chosen = request.GET.get("text", "")
        store: Store | None
        if chosen:
            text = (
                EmailText.objects.select_related("store").filter(pk=int(chosen)).first()
                if chosen.isdigit()
                else None
            )
            if text is None:
                raise Http404
            store, key, language = text.store, text.kind, text.language
            subject, message = text.subject, text.message
        else:
            store = _chosen_store(request.GET.get("store"))
            key = request.GET.get("kind", "")
            language = request.GET.get("language", "")
            subject = message = ""
        kind = EMAIL_KINDS.get(key)
        if store is None or kind is None or language not in dict(settings.LANGUAGES):
            raise Http404
        email = email_previews.render_sample(
            kind, store, language, subject=subject, message=message
        )
        return HttpResponse(email.html)

    def send_test_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """ "Send me a test": the saved text with sample data, to the signed-in
        merchant's own address, through the outbox."""
        text = get_object_or_404(EmailText.objects.select_related("store"), pk=pk)
        if not self.has_change_permission(request, text):
            raise PermissionDenied
        kind: EmailKind | None = EMAIL_KINDS.get(text.kind)
        if kind is None:
            raise Http404
        recipient = getattr(request.user, "email", "")
        if not recipient:
            messages.error(request, _("Your account has no email address to send the test to."))
        else:
            email_previews.send_test_email(
                kind,
                text.store,
                text.language,
                recipient=recipient,
                subject=text.subject,
                message=text.message,
            )
            messages.success(
                request,
                _("A test of this email was sent to %(email)s.") % {"email": recipient},
            )
        return HttpResponseRedirect(reverse("backoffice:stores_emailtext_change", args=[pk]))

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
