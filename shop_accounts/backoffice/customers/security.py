"""The customer page's sign-in security: which sign-in methods are locked
after too many failures (with an Unlock button each) and which devices are
signed in (with "Sign out everywhere"). Mixed into CustomerAdmin; each button
is a POST that calls the domain action, recorded on the customer's trail."""

from typing import Any

from django.contrib import admin
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shop_accounts.backoffice.customers.fieldsets import with_fieldset_after
from shop_accounts.backoffice.customers.steps import customer_button_view
from shop_accounts.backoffice.policy import acting_merchant
from shop_accounts.customers.models import Customer
from shop_accounts.identity import actions as identity_actions
from shop_accounts.identity import factor_locks, queries
from shop_accounts.identity.models import FactorFailures

DEVICES_SHOWN = 20
SECURITY_FIELDS = ["locked_methods", "signed_in_devices"]

# One whole sentence per way in, so translators never assemble a name into
# someone else's sentence.
UNLOCKED_MESSAGES = {
    FactorFailures.Factor.PASSWORD: _("Signing in with a password works again for %(email)s."),
    FactorFailures.Factor.TOTP: _(
        "Signing in with authenticator app codes works again for %(email)s."
    ),
    FactorFailures.Factor.RECOVERY_CODE: _(
        "Signing in with recovery codes works again for %(email)s."
    ),
    FactorFailures.Factor.EMAIL_CODE: _("Signing in with emailed codes works again for %(email)s."),
}


class AccountSecurityAdminMixin(admin.ModelAdmin):
    """Locked sign-in methods and signed-in devices for CustomerAdmin."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), *SECURITY_FIELDS]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or not obj.pk:
            return fieldsets
        # Right after the account's state and review, before notes and history.
        return with_fieldset_after(
            fieldsets,
            {"account_state", "account_review"},
            (_("Sign-in methods and devices"), {"fields": [*SECURITY_FIELDS]}),
        )

    def get_urls(self) -> list[URLPattern]:
        mine = [
            path(
                "<path:object_id>/unlock/<str:factor>/",
                self.admin_site.admin_view(customer_button_view(self, self._unlock)),
                name="customers_customer_unlock_factor",
            ),
            path(
                "<path:object_id>/sign-out-everywhere/",
                self.admin_site.admin_view(customer_button_view(self, self._sign_out_everywhere)),
                name="customers_customer_sign_out_everywhere",
            ),
        ]
        return [*mine, *super().get_urls()]

    @admin.display(description=_("locked sign-in methods"))
    def locked_methods(self, customer: Customer) -> SafeString:
        if not customer.pk:
            return SafeString("")
        return SafeString(
            render_to_string(
                "backoffice/customer_locked_methods.html",
                {
                    "locks": [
                        (
                            lock,
                            reverse(
                                "backoffice:customers_customer_unlock_factor",
                                args=[customer.pk, lock.factor],
                            ),
                        )
                        for lock in factor_locks.factor_locks_for(customer)
                    ],
                },
            )
        )

    @admin.display(description=_("signed-in devices"))
    def signed_in_devices(self, customer: Customer) -> SafeString:
        if not customer.pk:
            return SafeString("")
        return SafeString(
            render_to_string(
                "backoffice/customer_devices.html",
                {
                    "devices": list(queries.devices_of(customer)[:DEVICES_SHOWN]),
                    "limit": DEVICES_SHOWN,
                    "sign_out_url": reverse(
                        "backoffice:customers_customer_sign_out_everywhere", args=[customer.pk]
                    ),
                },
            )
        )

    # --- the buttons -------------------------------------------------------------------

    def _unlock(self, request: HttpRequest, customer: Customer, factor: str = "") -> str:
        if factor not in FactorFailures.Factor.values:
            raise Http404
        factor_locks.unlock_factor(customer, factor=factor, actor=acting_merchant(request))
        return str(UNLOCKED_MESSAGES[FactorFailures.Factor(factor)]) % {"email": customer.email}

    def _sign_out_everywhere(self, request: HttpRequest, customer: Customer) -> str:
        ended = identity_actions.end_customer_sessions(customer, actor=acting_merchant(request))
        if not ended:
            return str(_("%(email)s was not signed in on any device.")) % {"email": customer.email}
        return ngettext(
            "%(email)s is signed out of %(count)d device.",
            "%(email)s is signed out of %(count)d devices.",
            ended,
        ) % {"email": customer.email, "count": ended}
