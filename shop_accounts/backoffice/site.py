"""The merchant's back office, built on Django's admin and made to read like
a shop tool. Staff sign in through the storefront's own sign-in (allauth:
rate limits and 2FA apply), never through a separate admin login."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shop_accounts.backoffice.policy import is_merchant, is_staff_member
from shop_accounts.customers import queries


class BackofficeSite(admin.AdminSite):
    site_header = _("Shop Accounts · back office")
    site_title = _("Back office")
    index_title = _("Customers, stores and emails")
    enable_nav_sidebar = True

    def has_permission(self, request: HttpRequest) -> bool:
        return is_merchant(request.user)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if is_staff_member(request.user):
            # Staff must have an authenticator app or a passkey first.
            messages.error(
                request,
                _(
                    "The back office needs two-factor authentication. "
                    "Set up an authenticator app or a passkey, then come back."
                ),
            )
            return redirect("mfa_index")
        if request.user.is_authenticated:
            # Signed in, but not as staff: the sign-in page would send them
            # straight back here, in a loop.
            messages.error(request, _("The back office is only for the shop's staff."))
            return redirect("storefront:my-account")
        next_url = request.GET.get("next") or reverse("backoffice:index")
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")

    def password_change(  # type: ignore[override]  # a redirect, not a page
        self, request: HttpRequest, extra_context=None
    ) -> HttpResponse:
        """The header's "Change password" goes to the storefront's own page
        (allauth), so the password rules, the security email and the audit
        trail are the same for staff as for customers."""
        return redirect("account_change_password")

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        """The menu and the index, with the number of registrations waiting
        beside the approval queue ("3 awaiting approval")."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for model in app["models"]:
                if model["object_name"] == "PendingRegistration":
                    waiting = _awaiting_approval(request)
                    model["name"] = format_html(
                        '{} <span class="badge">{}</span>',
                        model["name"],
                        ngettext(
                            "%(count)d awaiting approval", "%(count)d awaiting approval", waiting
                        )
                        % {"count": waiting},
                    )
        return app_list

    def each_context(self, request: HttpRequest) -> dict:
        context = super().each_context(request)
        context["site_url"] = reverse("storefront:home")
        return context


def _awaiting_approval(request: HttpRequest) -> int:
    # The menu and the index both ask on the index page: counted once.
    count = getattr(request, "_backoffice_awaiting_approval", None)
    if count is None:
        count = queries.pending_registrations().count()
        request._backoffice_awaiting_approval = count  # type: ignore[attr-defined]
    return count


backoffice_site = BackofficeSite(name="backoffice")
