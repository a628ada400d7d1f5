"""The merchant's back office, built on Django's admin and made to read like
a shop tool with django-unfold's look (its menu: backoffice/navigation.py).
Staff sign in through the storefront's own sign-in (allauth: rate limits and
2FA apply), never through a separate admin login."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.sites import UnfoldAdminSite

from shop_accounts.backoffice.policy import is_merchant, is_staff_member
from shop_accounts.customers import queries

# unfold's menus, filters and conditional fields run on Alpine.js, which
# compiles its expressions with `new Function` ('unsafe-eval'), and unfold
# writes its theme colours in a <style> element. Allowed on the back office's
# pages only (staff with two-factor); the storefront keeps the strict policy.
_SITE_CSP = cast(dict[str, list[str]], settings.SECURE_CSP)
BACKOFFICE_CSP: dict[str, list[str]] = {
    **_SITE_CSP,
    "script-src": [*_SITE_CSP["script-src"], "'unsafe-eval'"],
    "style-src": [*_SITE_CSP["style-src"], "'unsafe-inline'"],
}


class BackofficeSite(UnfoldAdminSite):
    site_header = _("Shop Accounts · back office")
    site_title = _("Back office")
    index_title = _("Customers, stores and emails")
    index_template = "backoffice/index.html"
    enable_nav_sidebar = True

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        wrapped = super().admin_view(view, cacheable)

        @wraps(wrapped)
        def with_backoffice_csp(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = wrapped(request, *args, **kwargs)
            # A view with a policy of its own keeps it (the email preview's
            # frame: inline styles, no scripts at all).
            if not hasattr(response, "_csp_config"):
                response._csp_config = BACKOFFICE_CSP
            return response

        return with_backoffice_csp

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

    def password_change(  # a redirect, not a page
        self, request: HttpRequest, extra_context=None
    ) -> HttpResponse:
        """The header's "Change password" goes to the storefront's own page
        (allauth), so the password rules, the security email and the audit
        trail are the same for staff as for customers."""
        return redirect("account_change_password")

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        waiting = awaiting_approval(request)
        text = ngettext("%(count)d awaiting approval", "%(count)d awaiting approval", waiting)
        return super().index(
            request,
            {"awaiting_approval": text % {"count": waiting} if waiting else ""}
            | (extra_context or {}),
        )

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        """The menu and the index, with the number of registrations waiting
        beside the approval queue ("3 awaiting approval")."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for model in app["models"]:
                if model["object_name"] == "PendingRegistration":
                    waiting = awaiting_approval(request)
                    model["name"] = format_html(
                        '{} <span class="backoffice-count">{}</span>',
                        model["name"],
                        ngettext(
                            "%(count)d awaiting approval", "%(count)d awaiting approval", waiting
                        )
                        % {"count": waiting},
                    )
        return app_list

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        context["site_url"] = reverse("storefront:home")
        return context


def awaiting_approval(request: HttpRequest) -> int:
    """How many registrations await approval (the menu's badge, the index)."""
    # The menu and the index both ask on the index page: counted once.
    count = getattr(request, "_backoffice_awaiting_approval", None)
    if count is None:
        count = queries.pending_registrations().count()
        request._backoffice_awaiting_approval = count  # type: ignore[attr-defined]
    return count


backoffice_site = BackofficeSite(name="backoffice")
