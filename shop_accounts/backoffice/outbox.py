"""The email outbox in the back office: read what was sent (links clickable,
so the demo's emails can be followed) and send failed emails again."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shop_accounts.backoffice.policy import is_merchant
from shop_accounts.backoffice.site import backoffice_site
from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import retry_email_now


@admin.register(OutboundEmail, site=backoffice_site)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "language", "status", "attempts", "store"]
    list_filter = ["status", "store", "kind"]
    search_fields = ["recipient", "subject"]
    list_select_related = ["store"]
    show_full_result_count = False
    actions = ["send_again"]
    fields = readonly_fields = (
        "created_at",
        "store",
        "kind",
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

    @admin.display(description=_("message"))
    def readable_body(self, email: OutboundEmail) -> SafeString:
        # Links in the text body are clickable, so the demo's emails can be
        # followed from here (sign-in links, resets, invitations).
        # urlize escapes the text around the links itself (autoescape=True)
        # but returns a plain str, which format_html would escape again.
        linked = mark_safe(urlize(email.body_text, autoescape=True))  # noqa: S308
        return format_html('<div class="email-body">{}</div>', linked)

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
