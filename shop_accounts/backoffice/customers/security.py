"""The customer page's sign-in security: which sign-in methods are locked
after too many failures (with an Unlock button each) and which devices are
signed in (with "Sign out everywhere"). Mixed into CustomerAdmin; each button
is a POST that calls the domain action, recorded on the customer's trail."""

from typing import Any

from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import ModelAdmin

from shop_accounts.backoffice.customers.fieldsets import with_fieldset_after
from shop_accounts.backoffice.customers.steps import customer_button_view
from shop_accounts.backoffice.errors import add_domain_error, message_for
from shop_accounts.backoffice.policy import acting_merchant
from shop_accounts.core.errors import DomainError
from shop_accounts.customers.models import Customer
from shop_accounts.identity import actions as identity_actions
from shop_accounts.identity import factor_locks, queries, two_factor_reset
from shop_accounts.identity.errors import WrongOwnCode
from shop_accounts.identity.models import FactorFailures

DEVICES_SHOWN = 20
SECURITY_FIELDS = ["locked_methods", "signed_in_devices", "second_factors"]

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


class OwnCodeForm(forms.Form):
    code = forms.CharField(
        label=_("A code from your own authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _unused_codes(factor: Authenticator) -> int | None:
    """How many recovery codes are left (None for other kinds)."""
    if factor.type != Authenticator.Type.RECOVERY_CODES:
        return None
    return len(factor.wrap().get_unused_codes())


class AccountSecurityAdminMixin(ModelAdmin):
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
            path(
                "<path:object_id>/reset-two-factor/",
                self.admin_site.admin_view(self.reset_two_factor_view),
                name="customers_customer_reset_two_factor",
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

    @admin.display(description=_("two-factor methods"))
    def second_factors(self, customer: Customer) -> SafeString:
        if not customer.pk:
            return SafeString("")
        return SafeString(
            render_to_string(
                "backoffice/customer_second_factors.html",
                {
                    "factors": [
                        (factor, _unused_codes(factor))
                        for factor in two_factor_reset.second_factors_of(customer)
                    ],
                    "reset_url": reverse(
                        "backoffice:customers_customer_reset_two_factor", args=[customer.pk]
                    ),
                },
            )
        )

    def reset_two_factor_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The confirm page of "Reset two-factor": the merchant re-enters a
        code of their own authenticator app; a wrong one changes nothing."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        customer = self.get_object(request, object_id)
        if customer is None or not self.has_change_permission(request, customer):
            raise Http404
        form = OwnCodeForm(request.POST or None, label_suffix="")
        if request.method == "POST" and form.is_valid():
            try:
                two_factor_reset.reset_two_factor(
                    customer, actor=acting_merchant(request), own_code=form.cleaned_data["code"]
                )
            except WrongOwnCode as wrong:
                add_domain_error(form, wrong)
            except DomainError as refused:
                self.message_user(request, message_for(refused), messages.ERROR)
                return redirect("backoffice:customers_customer_change", customer.pk)
            else:
                done = _(
                    "Two-factor authentication was reset for %(email)s, who was told by email."
                )
                self.message_user(request, done % {"email": customer.email}, messages.SUCCESS)
                return redirect("backoffice:customers_customer_change", customer.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": customer,
            "title": _("Reset two-factor authentication for %(customer)s") % {"customer": customer},
            "form": form,
            "customer": customer,
            "factors": two_factor_reset.second_factors_of(customer),
        }
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(
            request, "backoffice/customer_reset_two_factor.html", context, status=status
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
