from django.urls import include, path

from shop_accounts.backoffice.site import backoffice_site
from shop_accounts.identity import passkey_signup

# 503 "temporarily unavailable" when the database cannot be reached, else the
# 500 page; both without details (core/outages.py).
handler500 = "shop_accounts.core.outages.server_error"

urlpatterns = [
    path("backoffice/", backoffice_site.urls),
    path("account/captcha/", include("shop_accounts.captcha.urls")),
    path("account/", include("shop_accounts.identity.urls")),
    # allauth's passkey sign-up pages under allauth's names, switched per store
    # (allauth registers them only with its global MFA_PASSKEY_SIGNUP_ENABLED).
    path(
        "account/signup/passkey/",
        passkey_signup.signup_by_passkey,
        name="account_signup_by_passkey",
    ),
    path(
        "account/2fa/webauthn/signup/",
        passkey_signup.signup_webauthn,
        name="mfa_signup_webauthn",
    ),
    path("account/", include("allauth.urls")),
    path("", include("shop_accounts.storefront.urls")),
]
