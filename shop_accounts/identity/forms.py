"""allauth's forms, scoped to the request's account realm."""

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.fields import EmailField
from allauth.account.forms import (
    AddEmailForm,
    LoginForm,
    RequestLoginCodeForm,
    ResetPasswordForm,
    SignupForm,
    UserTokenForm,
)
from allauth.core import ratelimit
from django import forms
from django.utils.translation import gettext_lazy as _

from shop_accounts.identity.captcha import CaptchaFormMixin
from shop_accounts.identity.realms import (
    account_holder,
    email_used_by_another,
    in_realm,
    store_of,
)


class RealmLoginForm(CaptchaFormMixin, LoginForm):
    """Email and password sign-in in the realm of the current store."""

    captcha_form = "signin"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Stay signed in")

    def clean(self) -> dict[str, Any]:
        store = store_of(self.request)
        if store is not None and not store.signin_with_password:
            # Refused before any password is checked: the shop has switched
            # passwords off, the other ways in remain.
            raise forms.ValidationError(
                _(
                    "This shop does not use passwords to sign in. "
                    "Ask for a sign-in link or code by email instead."
                ),
                code="password_signin_off",
            )
        return super().clean()


class RealmRequestLoginCodeForm(CaptchaFormMixin, RequestLoginCodeForm):
    """allauth's "email me a sign-in code", for the account holder of the
    current store's realm only (allauth looks the email up globally)."""

    captcha_form = "token_request"

    _user: Any

    def clean_email(self) -> str:
        email = super().clean_email()
        holder = account_holder(email) if email else None
        self._user = holder if holder is not None and holder.is_active else None
        return email


class SigninLinkRequestForm(CaptchaFormMixin, forms.Form):
    """Ask for an emailed sign-in link. Rate limited per IP and per email in
    the realm; the answer never says whether the email has an account."""

    captcha_form = "token_request"

    email = EmailField()

    def __init__(self, *args: Any, request: Any, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        store = store_of(self.request)
        realm = store.account_realm_id if store is not None else ""
        if not ratelimit.consume(
            self.request, action="request_signin_link", key=f"{realm}:{email}"
        ):
            raise get_adapter().validation_error("too_many_login_attempts")
        return email


class SigninWithLinkForm(forms.Form):
    """The one button behind an emailed sign-in link."""

    remember = forms.BooleanField(label=_("Stay signed in"), required=False)


class RealmSignupForm(CaptchaFormMixin, SignupForm):
    captcha_form = "signup"

    def validate_unique_email(self, value: str) -> str:
        # allauth's own check is global; ours is per realm. Like allauth with
        # enumeration prevention, a taken email is not revealed on the page:
        # the flow continues and the owner is told by email instead.
        self.account_already_exists = account_holder(value) is not None
        return value


class RealmResetPasswordForm(CaptchaFormMixin, ResetPasswordForm):
    captcha_form = "password_reset"
    users: list

    def clean_email(self) -> str:
        email = super().clean_email()
        self.users = in_realm(self.users)
        return email


class RealmAddEmailForm(AddEmailForm):
    """Add an email address in My Account: allauth checks other accounts
    globally (and not at all without ACCOUNT_UNIQUE_EMAIL); within a realm an
    email belongs to one customer record, guests included."""

    def clean_email(self) -> str:
        email = super().clean_email()
        if email and self.user is not None and email_used_by_another(email, customer=self.user):
            raise get_adapter().validation_error("email_taken")
        return email


class RealmUserTokenForm(UserTokenForm):
    """A password-reset link opens only on the stores of its account's realm
    (allauth finds the user by primary key, whatever store serves the link)."""

    def _get_user(self, uidb36: str) -> Any:
        user = super()._get_user(uidb36)
        return user if user is not None and in_realm([user]) else None
