"""allauth's forms, scoped to the request's account realm."""

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.fields import EmailField
from allauth.account.forms import (
    AddEmailForm,
    ConfirmLoginCodeForm,
    LoginForm,
    RequestLoginCodeForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
    SetPasswordForm,
    SignupForm,
    UserTokenForm,
)
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from shop_accounts.customers import events
from shop_accounts.customers.models import Customer
from shop_accounts.identity import factor_locks, passkeys, two_factor
from shop_accounts.identity.allauth_internals import context, ratelimit
from shop_accounts.identity.captcha import CaptchaFormMixin
from shop_accounts.identity.queries import passkey_names_of
from shop_accounts.identity.realms import (
    account_holder,
    email_used_by_another,
    holder_of_extra_address,
    in_realm,
)
from shop_accounts.stores.context import request_store_or_none
from shop_accounts.stores.models import Store

CustomerType = Customer.CustomerType


class RealmLoginForm(CaptchaFormMixin, LoginForm):
    """Email and password sign-in in the realm of the current store."""

    captcha_form = "signin"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Stay signed in")

    def clean(self) -> dict[str, Any]:
        store = request_store_or_none(self.request)
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
        kwargs.setdefault("label_suffix", "")  # our labels end without a colon
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        store = request_store_or_none(self.request)
        realm = store.account_realm_id if store is not None else ""
        if not ratelimit.consume(
            self.request, action="request_signin_link", key=f"{realm}:{email}"
        ):
            raise get_adapter().validation_error("too_many_login_attempts")
        return email


class SigninWithLinkForm(forms.Form):
    """The one button behind an emailed sign-in link."""

    remember = forms.BooleanField(label=_("Stay signed in"), required=False)


def _country_choices() -> list[tuple[str, str]]:
    # Called at each render: names in the page's language, sorted in it.
    return [("", gettext("Choose a country")), *countries]


class RealmSignupForm(CaptchaFormMixin, SignupForm):
    """allauth's sign-up, per realm and per the store's policy:

    - first and last name, required, optional or not asked
      (Store.signup_name_fields);
    - in a manual-approval store, what the merchant needs to decide: phone,
      and for a business its company name (then required) and VAT number;
    - in a business store (Store.default_customer_type), the customer type
      starts at "business", with the company data and the country (required);
    - consent to marketing emails, unticked;
    - no password where the store signs up without one
      (Store.signs_up_without_password) or with a passkey (allauth's
      `by_passkey`): the customer signs in with an emailed code or link (or
      the passkey) and may set a password later."""

    captcha_form = "signup"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        store = request_store_or_none(getattr(self, "request", None))
        if store is None:
            return
        if store.signs_up_without_password:
            # ACCOUNT_SIGNUP_FIELDS is global; this store's form has none.
            self.fields.pop("password1", None)
            self.fields.pop("password2", None)
        self._add_name_fields(store)
        if store.signup_mode == Store.SignupMode.APPROVAL:
            self.fields["phone"] = forms.CharField(label=_("Phone"), max_length=40, required=False)
        if store.signup_mode == Store.SignupMode.APPROVAL or store.is_business_store:
            self._add_company_fields(store)
        if store.is_business_store:
            self.fields["country"] = forms.ChoiceField(
                label=_("Country"),
                choices=_country_choices,
                # Most customers of a shop are where the shop is.
                initial=getattr(store.country, "code", "") or "",
                widget=forms.Select(attrs={"autocomplete": "country"}),
            )
        self.fields["accepts_marketing"] = forms.BooleanField(
            label=_("Send me news and offers"),
            help_text=_("By email. You can unsubscribe at any time."),
            required=False,
            initial=False,
        )
        order = ["first_name", "last_name", "email", "phone", "customer_type"]
        order += ["company_name", "vat_number", "country", "password1", "password2"]
        order += ["accepts_marketing", self.captcha_field_name]
        self.order_fields(order)

    def _add_name_fields(self, store: Store) -> None:
        if store.signup_name_fields == Store.NameFields.HIDDEN:
            return
        required = store.signup_name_fields == Store.NameFields.REQUIRED
        for field, label in (("first_name", _("First name")), ("last_name", _("Last name"))):
            self.fields[field] = forms.CharField(
                label=label,
                max_length=150,  # Customer.first_name / last_name
                required=required,
                widget=forms.TextInput(
                    attrs={"autocomplete": "given-name" if field == "first_name" else "family-name"}
                ),
            )

    def _add_company_fields(self, store: Store) -> None:
        self.fields["customer_type"] = forms.ChoiceField(
            label=_("Customer type"),
            choices=CustomerType.choices,
            initial=store.default_customer_type,
            widget=forms.RadioSelect,
            required=False,
        )
        self.fields["company_name"] = forms.CharField(
            label=_("Company name"),
            max_length=200,
            required=False,
            help_text=_("Required for a business."),
            widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        )
        self.fields["vat_number"] = forms.CharField(
            label=_("VAT number"), max_length=40, required=False
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        store = request_store_or_none(getattr(self, "request", None))
        if "customer_type" in self.fields and not cleaned.get("customer_type"):
            cleaned["customer_type"] = (
                store.default_customer_type if store is not None else CustomerType.PRIVATE
            )
        if (
            cleaned.get("customer_type") == CustomerType.BUSINESS
            and "company_name" in self.fields
            and not cleaned.get("company_name", "").strip()
        ):
            self.add_error(
                "company_name",
                forms.ValidationError(
                    _("Enter the company name of the business."), code="company_required"
                ),
            )
        return cleaned

    def validate_unique_email(self, value: str) -> str:
        # allauth's own check is global; ours is per realm. Like allauth with
        # enumeration prevention, a taken email is not revealed on the page:
        # the flow continues and the owner is told by email instead. A
        # verified extra address of an account is taken too: a second account
        # must not open on it.
        self.account_already_exists = (
            account_holder(value) is not None or holder_of_extra_address(value) is not None
        )
        return value

    def try_save(self, request: Any) -> Any:
        if self.account_already_exists and self.cleaned_data.get("password1"):
            # A new account's password is hashed (Argon2id, a noticeable
            # fraction of a second); hash this one too and throw it away, so
            # the answer's timing does not tell a taken email from a new one.
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)


class RealmResetPasswordForm(CaptchaFormMixin, ResetPasswordForm):
    captcha_form = "password_reset"
    users: list

    def clean_email(self) -> str:
        email = super().clean_email()
        self.users = in_realm(self.users)
        return email

    def save(self, request: Any, **kwargs: Any) -> str:
        """Email the reset link, and put the request on the trail of the
        account it went to (nothing for an email without one)."""
        email = super().save(request, **kwargs)
        store = request_store_or_none(request)
        for user in self.users:
            if isinstance(user, Customer):
                events.record_password_reset_requested(
                    customer=user, store_id=store.pk if store else None
                )
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

    def save(self, request: Any) -> Any:
        """Tell the account's own address that another one was added (allauth
        only asks the new address to confirm itself)."""
        address = super().save(request)
        if address.pk:
            get_adapter(request).send_notification_mail(
                "account/email/email_added", self.user, {"added_email": address.email}
            )
        return address


class RealmUserTokenForm(UserTokenForm):
    """A password-reset link opens only on the stores of its account's realm
    (allauth finds the user by primary key, whatever store serves the link)."""

    def _get_user(self, uidb36: str) -> Any:
        user = super()._get_user(uidb36)
        return user if user is not None and in_realm([user]) else None


# --- The failure cap per sign-in method (identity/factor_locks.py) ------------------


class FactorLockedConfirmLoginCodeForm(ConfirmLoginCodeForm):
    """allauth's "enter the emailed code" form, counting wrong codes against
    the account's cap. A locked method answers like a wrong code: whoever
    typed the email may not be its owner, and the owner was told by email."""

    def clean_code(self) -> str:
        stage = getattr(context.request, "_login_stage", None)
        customer = stage.login.user if stage is not None else None
        factor = factor_locks.Factor.EMAIL_CODE
        if customer is not None and factor_locks.is_locked(customer, factor):
            raise get_adapter().validation_error("incorrect_code")
        try:
            code = super().clean_code()
        except forms.ValidationError:
            if customer is not None:
                factor_locks.record_factor_failure(
                    customer, factor, store=request_store_or_none(context.request)
                )
            raise
        if customer is not None:
            factor_locks.record_factor_success(customer, factor)
        return code


class FactorLockMixin:
    """The second step (authenticator app or recovery code, one field for
    both) with the failure cap of each. Which one a wrong code was meant for
    is told by its length."""

    user: Any
    cleaned_data: dict[str, Any]
    authenticator: Authenticator

    locked_messages = {
        factor_locks.Factor.TOTP: _(
            "Codes from your authenticator app are locked after too many wrong "
            "tries. Use a recovery code or a passkey, or set a new password with "
            "“Forgot your password?” to unlock them."
        ),
        factor_locks.Factor.RECOVERY_CODE: _(
            "Recovery codes are locked after too many wrong tries. Use your "
            "authenticator app or a passkey, or set a new password with "
            "“Forgot your password?” to unlock them."
        ),
    }

    def clean_code(self) -> str:
        typed = "".join(str(self.cleaned_data.get("code", "")).split())
        meant = (
            factor_locks.Factor.TOTP
            if len(typed) == mfa_settings.TOTP_DIGITS
            else factor_locks.Factor.RECOVERY_CODE
        )
        if factor_locks.is_locked(self.user, meant):
            raise forms.ValidationError(self.locked_messages[meant], code="factor_locked")
        try:
            code: str = super().clean_code()  # type: ignore[misc]
        except forms.ValidationError as error:
            if error.code == "incorrect_code":
                factor_locks.record_factor_failure(
                    self.user, meant, store=request_store_or_none(context.request)
                )
            raise
        used = (
            factor_locks.Factor.RECOVERY_CODE
            if self.authenticator.type == Authenticator.Type.RECOVERY_CODES
            else factor_locks.Factor.TOTP
        )
        factor_locks.record_factor_success(self.user, used)
        if used == factor_locks.Factor.RECOVERY_CODE:
            # allauth sends no notification for this one; ours goes the same way.
            get_adapter().send_notification_mail(
                "mfa/email/recovery_code_used",
                self.user,
                {"unused_codes": _unused_recovery_codes(self.authenticator)},
            )
        return code


def _unused_recovery_codes(authenticator: Authenticator) -> int:
    # allauth marks the code used on a fresh copy of the row.
    fresh = Authenticator.objects.get(pk=authenticator.pk)
    return len(fresh.wrap().get_unused_codes())


class SingleUseTotpMixin:
    """An authenticator-app code signs in once, also across server processes
    (identity/two_factor.claim_totp_code); a replay is an incorrect code."""

    authenticator: Authenticator

    def clean_code(self) -> str:
        code: str = super().clean_code()  # type: ignore[misc]
        if self.authenticator.type == Authenticator.Type.TOTP and not (
            two_factor.claim_totp_code(self.authenticator, code)
        ):
            raise get_mfa_adapter().validation_error("incorrect_code")
        return code


class FactorLockedAuthenticateForm(FactorLockMixin, SingleUseTotpMixin, AuthenticateForm):
    pass


class FactorLockedReauthenticateForm(FactorLockMixin, SingleUseTotpMixin, ReauthenticateForm):
    pass


class UnlockingResetPasswordKeyForm(ResetPasswordKeyForm):
    """Setting a new password from an emailed reset link proves the mailbox:
    it unlocks every sign-in method locked after too many failures."""

    def save(self) -> None:
        super().save()
        factor_locks.unlock_factors(self.user, actor=self.user)


class InvitationPasswordForm(SetPasswordForm):
    """Choose the password that opens an invited account. The email is shown
    (read only) so password managers store the pair; the password is checked
    by allauth's adapter, so the store's password rules apply."""

    email = forms.EmailField(label=_("Email"), disabled=True, required=False)

    field_order = ["email", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.user is not None
        self.fields["email"].initial = self.user.email
        self.fields["email"].widget.attrs["autocomplete"] = "username"
        self.order_fields(self.field_order)


# The longest passkey name kept: a device name with a number fits well within it.
PASSKEY_NAME_LENGTH = 100


def _passkey_name_field(*, required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Name"),
        max_length=PASSKEY_NAME_LENGTH,
        required=required,
        help_text=_("So you can tell your passkeys apart, for example “Work laptop”."),
    )


class PasskeyAddWebAuthnForm(AddWebAuthnForm):
    """allauth's "add a passkey", for a passkey that always signs in on its
    own: no "Passwordless" choice. The page asks the browser for a
    discoverable credential verified on the device (identity/views.py
    AddPasskeyView); this form refuses one the device could not keep as such,
    since it could not sign in. A name the customer already has for another
    passkey gets a number, so the rows in the list can be told apart."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("passwordless", None)
        self.fields["name"] = _passkey_name_field(required=False)

    def clean_name(self) -> str:
        self.cleaned_data["name"] = self.cleaned_data["name"].strip()
        name: str = super().clean_name()
        return passkeys.distinct_passkey_name(self.user, name)

    def clean(self) -> dict[str, Any]:
        credential = self.cleaned_data.get("credential")
        results = credential.get("clientExtensionResults") if isinstance(credential, dict) else None
        properties = results.get("credProps") if isinstance(results, dict) else None
        if isinstance(properties, dict) and properties.get("rk") is False:
            raise forms.ValidationError(
                _(
                    "This device could not keep a passkey that signs you in on its own. "
                    "Try again on your phone or computer."
                ),
                code="passkey_not_discoverable",
            )
        # allauth's check that the device verified the customer (PIN,
        # fingerprint or face), as for its "Passwordless" passkeys.
        self.cleaned_data["passwordless"] = True
        return super().clean()


class PasskeyEditWebAuthnForm(EditWebAuthnForm):
    """allauth's "rename a passkey", refusing a name another of the customer's
    passkeys has."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"] = _passkey_name_field(required=True)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if name in passkey_names_of(self.instance.user, except_pk=self.instance.pk):
            raise forms.ValidationError(
                _("You already have a passkey called “%(name)s”. Choose another name."),
                code="passkey_name_taken",
                params={"name": name},
            )
        return name
