"""The email outbox in the back office: read what was sent (links clickable,
so the demo's emails can be followed) and send failed emails again."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin

from shop_accounts.backoffice.policy import is_merchant
from shop_accounts.backoffice.site import backoffice_site
from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import retry_email_now

# The `kind` each email is queued with, in words: ours (queue_email's and
# email_customer's kind=) and allauth's (its template's last name part).
EMAIL_KINDS = {
    "invitation": _("Invitation to open an account"),
    "signin_link": _("Sign-in link"),
    "password_reset_sent": _("Password-reset link sent by the shop"),
    "factor_locked": _("Sign-in method locked"),
    "contact_message": _("Contact form message"),
    "registration_approved": _("Registration approved"),
    "registration_declined": _("Registration declined"),
    "email_confirmation_signup": _("Email confirmation after sign-up"),
    "email_confirmation": _("Email confirmation"),
    "email_confirm": _("Email confirmation"),
    "email_added": _("Email address added"),
    "email_changed": _("Email address changed"),
    "email_deleted": _("Email address removed"),
    "account_already_exists": _("Account already exists"),
    "unknown_account": _("No account for this address"),
    "login_code": _("Sign-in code"),
    "password_reset_key": _("Password-reset link"),
    "password_reset": _("Password-reset link"),
    "password_reset_code": _("Password-reset code"),
    "password_changed": _("Password changed"),
    "password_set": _("Password set"),
    "totp_activated": _("Authenticator app added"),
    "totp_deactivated": _("Authenticator app removed"),
    "webauthn_added": _("Passkey added"),
    "webauthn_removed": _("Passkey removed"),
    "recovery_codes_generated": _("Recovery codes made"),
    "recovery_code_used": _("Recovery code used"),
}


def kind_in_words(kind: str) -> str:
    """The translated name of an email kind, or the kind as stored."""
    return str(EMAIL_KINDS.get(kind, kind))


class KindFilter(admin.SimpleListFilter):
    """Filter on the kinds the outbox holds, named in words."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        kinds = (
            OutboundEmail.objects.exclude(kind="").order_by().values_list("kind", flat=True)
        ).distinct()
        return sorted(((kind, kind_in_words(kind)) for kind in kinds), key=lambda pair: pair[1])

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[OutboundEmail]
    ) -> QuerySet[OutboundEmail]:
        kind = self.value()
        if not kind:
            return queryset
        if "\x00" in kind:  # no kind holds one, and PostgreSQL refuses it in a query
            return queryset.none()
        return queryset.filter(kind=kind)


@admin.register(OutboundEmail, site=backoffice_site)
class OutboundEmailAdmin(ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "subject",
        "kind_label",
        "status",
        "store",
    ]
    # Language and attempts are on the email's page: with the kind column the
    # list would scroll sideways at 1280 px with the filters open.
    list_filter = ["status", "store", KindFilter]
    search_fields = ["recipient", "subject"]
    list_select_related = ["store"]
    show_full_result_count = False
    actions = ["send_again"]

    class Media:
        css = {"all": ["shop_accounts/backoffice.css"]}

    fields = readonly_fields = (
        "created_at",
        "store",
        "kind_label",
        "from_email",
        "recipient",
        "reply_to",
        "language",
        "subject",
        "readable_body",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: OutboundEmail | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: OutboundEmail | None = None) -> bool:
        return is_merchant(request.user)

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, email: OutboundEmail) -> str:
        return kind_in_words(email.kind)

    @admin.display(description=_("message"))
    def readable_body(self, email: OutboundEmail) -> SafeString:
        # Links in the text body are clickable, so the demo's emails can be
        # followed from here (sign-in links, resets, invitations).
        # urlize escapes the text around the links itself (autoescape=True)
        # but returns a plain str, which format_html would escape again.
        # linebreaks keeps the paragraphs and lines of the text body; the
        # text is escaped already, so it must not escape again.
        linked = urlize(email.body_text.strip(), autoescape=True)
        paragraphs = mark_safe(linebreaks(linked, autoescape=False))  # noqa: S308
        return format_html('<div class="email-body">{}</div>', paragraphs)

    @admin.action(description=_("Send the selected emails again"))
    def send_again(self, request: HttpRequest, emails: QuerySet[OutboundEmail]) -> None:
        queued = sum(retry_email_now(email) for email in emails)
        skipped = len(emails) - queued
        if queued:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email is queued again.", "%(count)d emails are queued again.", queued
                )
                % {"count": queued},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email was sent already and is not sent twice.",
                    "%(count)d emails were sent already and are not sent twice.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
