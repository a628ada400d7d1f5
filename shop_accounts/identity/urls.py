"""Our sign-in pages under /account/, included before allauth's URLs so that
the per-store switches in front of allauth's pages take precedence."""

from django.urls import path

from shop_accounts.identity import (
    closed_signup,
    email_addresses,
    passkey_signup,
    rate_limits,
    views,
)
from shop_accounts.identity.reauthentication import fresh_sign_in_required

app_name = "identity"

urlpatterns = [
    path("login/link/", views.request_signin_link, name="signin-link-request"),
    path("login/link/sent/", views.signin_link_sent, name="signin-link-sent"),
    path("login/link/<str:token>/", views.signin_with_link, name="signin-link"),
    path("invitation/<str:token>/", views.accept_invitation, name="invitation"),
    path(
        "invitation/<str:token>/renew/",
        views.request_new_invitation,
        name="invitation-renew",
    ),
    # Same paths and names as allauth's, switched per store.
    path("login/", rate_limits.login, name="account_login"),
    path("signup/", closed_signup.signup, name="account_signup"),
    path(
        "email/",
        fresh_sign_in_required(email_addresses.email, allow_get=True),
        name="account_email",
    ),
    path(
        "login/code/",
        rate_limits.answer_429_when_rate_limited(views.request_login_code),
        name="account_request_login_code",
    ),
    path("login/code/confirm/", views.confirm_login_code, name="account_confirm_login_code"),
    path(
        "confirm-email/<str:key>/",
        passkey_signup.ConfirmEmailView.as_view(),
        name="account_confirm_email",
    ),
    path("inactive/", views.AccountInactiveView.as_view(), name="account_inactive"),
    path("2fa/webauthn/login/", views.login_webauthn, name="mfa_login_webauthn"),
    path(
        "2fa/webauthn/add/",
        fresh_sign_in_required(views.AddPasskeyView.as_view()),
        name="mfa_add_webauthn",
    ),
    path(
        "2fa/webauthn/keys/<int:pk>/remove/",
        fresh_sign_in_required(views.RemovePasskeyView.as_view()),
        name="mfa_remove_webauthn",
    ),
    path("2fa/authenticate/", rate_limits.mfa_authenticate, name="mfa_authenticate"),
    path("sessions/", views.SignedInDevicesView.as_view(), name="usersessions_list"),
    path("sessions/<int:pk>/end/", views.end_session, name="session-end"),
]
