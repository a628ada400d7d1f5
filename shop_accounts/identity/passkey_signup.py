"""Sign-up with a passkey instead of a password, where the store has passkey
sign-in on: allauth's own flow (its "sign up using a passkey" form, which is
our RealmSignupForm without password fields, and its PasskeySignupStage with
the "create passkey" page), switched per store.

allauth ties that flow to ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED (its
MFA_PASSKEY_SIGNUP_ENABLED check), because the pending sign-up lives in the
session and a link may be opened elsewhere. Our sign-ups prove the email with
a link, for every store, so the glue is here: when the confirmation link is
opened in the browser that signed up (the pending sign-up is in its session,
as with allauth's ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION), the sign-up resumes at
"create your passkey" and then signs in. Opened in another browser, the link
confirms the email only; the customer then signs in with an emailed code or
link and adds a passkey in My account, or sets a password with "Forgot your
password?".
"""

from typing import Any

from allauth.account import views as allauth_views
from allauth.mfa.webauthn import views as webauthn_views
from django.http import Http404, HttpRequest, HttpResponse

from shop_accounts.identity.allauth_internals import EmailVerificationStage, LoginStageController
from shop_accounts.identity.closed_signup import refuse_posts_when_closed
from shop_accounts.identity.views import RealmConfirmEmailView
from shop_accounts.stores.context import request_store_or_none


def _passkeys_on(request: HttpRequest) -> bool:
    store = request_store_or_none(request)
    return store is not None and store.signin_with_passkey


def signup_by_passkey(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """allauth's "sign up using a passkey" form (the email, and the approval
    data where the store asks for it), 404 where the store has passkeys off."""
    if not _passkeys_on(request):
        raise Http404
    return _signup_by_passkey(request, *args, **kwargs)


_signup_by_passkey = refuse_posts_when_closed(allauth_views.signup_by_passkey)


def signup_webauthn(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """allauth's "create your passkey" step of a passkey sign-up."""
    if not _passkeys_on(request):
        raise Http404
    return webauthn_views.signup_webauthn(request, *args, **kwargs)


class ConfirmEmailView(RealmConfirmEmailView):
    """The emailed confirmation link. For a passkey sign-up pending in this
    browser's session, confirming the email resumes that sign-up (next: the
    "create your passkey" stage) instead of ending it."""

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        confirmation: Any = self.get_object()
        stage = LoginStageController.enter(self.request, EmailVerificationStage.key)
        if (
            stage is None
            or not stage.login.state.get("passkey_signup")
            or stage.login.user is None
            or stage.login.user.pk != confirmation.email_address.user_id
            or self.request.user.is_authenticated
        ):
            return super().post(*args, **kwargs)
        self.object = confirmation
        if not confirmation.confirm(self.request):
            return self.respond(False)
        return stage.exit()
