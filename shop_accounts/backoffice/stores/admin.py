"""Stores in the back office: details, account policy, sign-in methods and
CAPTCHA. A save calls the store actions; stores are never deleted."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from unfold.admin import ModelAdmin

from shop_accounts.backoffice.policy import acting_merchant
from shop_accounts.backoffice.site import backoffice_site
from shop_accounts.backoffice.stores.forms import StoreForm
from shop_accounts.customers import actions
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store

# The providers that need a site key and a secret key from their console.
HOSTED_PROVIDERS = [
    str(provider)
    for provider in Store.CaptchaProvider
    if provider not in (Store.CaptchaProvider.NONE, Store.CaptchaProvider.ALTCHA)
]


@admin.register(Store, site=backoffice_site)
class StoreAdmin(ModelAdmin):
    form = StoreForm
    list_display = [
        "name",
        "hostname",
        "is_default",
        "signup_mode",
        "checkout_accounts",
        "shares_accounts",
    ]
    # The policy in the sections a merchant scans it by.
    fieldsets = [
        (
            _("Store"),
            {
                "fields": [
                    "name",
                    "hostname",
                    "is_default",
                    ("default_language", "currency", "country", "prices_include_tax"),
                    "email_from",
                ]
            },
        ),
        (
            _("Sign-up"),
            {
                "fields": [
                    "signup_mode",
                    "signup_without_password",
                    ("signup_name_fields", "default_customer_type"),
                    "invitation_days",
                ]
            },
        ),
        (
            _("Sign-in"),
            {
                "fields": [
                    ("signin_with_password", "signin_with_link"),
                    ("signin_with_code", "signin_with_passkey"),
                    "two_factor",
                    "min_password_length",
                    "signin_link_days",
                    "shares_accounts",
                ]
            },
        ),
        (_("Checkout"), {"fields": ["checkout_accounts"]}),
        (_("Visibility"), {"fields": ["shop_visibility", "guest_prices", "show_account_link"]}),
        (
            _("Emails"),
            {"fields": [("email_colour", "email_logo_url"), "postal_address"]},
        ),
        (
            _("Form protection (CAPTCHA)"),
            {
                "fields": [
                    "captcha_provider",
                    "captcha_site_key",
                    "new_captcha_secret_key",
                    "clear_captcha_secret_key",
                    "captcha_min_score",
                    ("captcha_on_signin", "captcha_on_signup", "captcha_on_password_reset"),
                    ("captcha_on_token_request", "captcha_on_contact"),
                ]
            },
        ),
    ]
    # Only the chosen provider's fields (unfold's conditional fields, run by
    # Alpine.js); without JavaScript every field shows.
    conditional_fields = {
        **dict.fromkeys(
            ["captcha_site_key", "new_captcha_secret_key", "clear_captcha_secret_key"],
            f"{list(HOSTED_PROVIDERS)}.includes(captcha_provider)",
        ),
        "captcha_min_score": f"captcha_provider == '{Store.CaptchaProvider.RECAPTCHA_V3}'",
        **dict.fromkeys(
            [
                "captcha_on_signin",
                "captcha_on_signup",
                "captcha_on_password_reset",
                "captcha_on_token_request",
                "captcha_on_contact",
            ],
            f"captcha_provider != '{Store.CaptchaProvider.NONE}'",
        ),
    }

    # A failure while saving must not put the secret key into an error report.
    @method_decorator(sensitive_post_parameters("new_captcha_secret_key"))
    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request: HttpRequest, obj: Store, form: StoreForm, change: bool) -> None:
        data = dict(form.cleaned_data)
        shares = data.pop("shares_accounts")
        if not change:
            created = store_actions.create_store(shares_accounts=shares, **data)
            obj.pk = created.pk
        else:
            store_actions.update_store(obj, **data)
            actions.set_account_sharing(obj, shares_accounts=shares, actor=acting_merchant(request))
        obj.refresh_from_db()

    def has_delete_permission(self, request: HttpRequest, obj: Store | None = None) -> bool:
        return False
