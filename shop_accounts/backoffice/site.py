"""The merchant's back office, built on Django's admin and made to read like
a shop tool. Staff sign in through the storefront's own sign-in (allauth:
rate limits and 2FA apply), never through a separate admin login."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from shop_accounts.backoffice.policy import is_merchant, is_staff_member


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

    def each_context(self, request: HttpRequest) -> dict:
        context = super().each_context(request)
        context["site_url"] = reverse("storefront:home")
        return context


backoffice_site = BackofficeSite(name="backoffice")
