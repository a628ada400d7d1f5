"""The django-allauth adapter: where allauth's flows meet our stores,
customer records and outbox. Sign-up policies, sign-in links and 2FA rules
hang off these hooks."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import Login
from allauth.account.utils import has_verified_email
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.forms import BaseForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from shop_accounts.cart import sessions as cart_sessions
from shop_accounts.core.middleware import CUSTOMER_LANGUAGE_SESSION_KEY, activate_request_language
from shop_accounts.core.outbox import queue_email, render_email
from shop_accounts.core.templatetags.greetings import greeting_name
from shop_accounts.customers import actions, events
from shop_accounts.customers.emails import placeholder_values
from shop_accounts.customers.models import Customer
from shop_accounts.identity import activity, passkeys, security_events, two_factor
from shop_accounts.identity.allauth_internals import (
    EmailVerificationStage,
    LoginStageController,
    context,
    get_authentication_records,
    record_authentication,
)
from shop_accounts.identity.devices import device_name
from shop_accounts.identity.flows.signin_link import LINK_METHOD
from shop_accounts.identity.realms import account_holder, holder_of_extra_address
from shop_accounts.stores.branding import OwnText, branding_of, own_text
from shop_accounts.stores.context import request_store_or_none
from shop_accounts.stores.models import Store

# Where send_mail hands the merchant's wording (stores.EmailText) to render_mail.
OWN_TEXT_KEY = "_shop_own_text"
PASSKEY_SIGNUP_STAGE = "allauth.mfa.webauthn.stages.PasskeySignupStage"
# Where the reason for "account inactive" waits for that page (a state).
INACTIVE_REASON_SESSION_KEY = "shop_account_inactive_reason"
# Accounts that become active once their email is proved, or that must prove
# it before they wait for the merchant.
AWAITING_EMAIL_PROOF = {
    Customer.AccountState.AWAITING_ACTIVATION,
    Customer.AccountState.AWAITING_APPROVAL,
}


def signin_method(records: list[dict[str, Any]]) -> str:
    """How a sign-in began, from allauth's authentication records of the
    session: the first record is the first factor ("password", "code",
    "link", "invitation", "password_reset"); a passwordless passkey is
    allauth's "mfa" record of type webauthn. A second factor comes later and
    is not the method."""
    if not records:
        return "unknown"
    first = records[0]
    if first.get("method") == "mfa":
        return "passkey" if first.get("type") == Authenticator.Type.WEBAUTHN else "mfa"
    return str(first.get("method", "unknown"))


def user_display(user: AbstractBaseUser) -> str:
    """How allauth's messages and pages name a customer ("Signed in as …",
    ACCOUNT_USER_DISPLAY): the name, else the email, cut where overlong."""
    return greeting_name(str(user))


def _record_sign_in_by_confirmation(request: HttpRequest, user: Customer, email: str) -> None:
    """The confirmation link opened in the browser whose sign-up waits for it
    signs in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION): that sign-in began with
    an emailed link, which the trail says. Nothing is recorded where the
    link signs nobody in (another browser), nor for a passkey sign-up, whose
    passkey is the way in."""
    stage = LoginStageController.enter(request, EmailVerificationStage.key)
    if (
        stage is None
        or request.user.is_authenticated
        or stage.login.user is None
        or stage.login.user.pk != user.pk
        or stage.login.state.get("passkey_signup")
    ):
        return
    record_authentication(request, user, method=LINK_METHOD, email=email)


class ShopAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        store = request_store_or_none(request)
        return store is not None and store.signup_mode != Store.SignupMode.INVITATION

    def save_user(
        self, request: HttpRequest, user: AbstractBaseUser, form: BaseForm, commit: bool = True
    ) -> AbstractBaseUser:
        """Sign-up per the store's sign-up mode (customers.actions.register_customer):
        the account waits for its email confirmation or the merchant's approval."""
        store = request_store_or_none(request)
        assert store is not None
        data = form.cleaned_data
        return actions.register_customer(
            store=store,
            email=data["email"],
            password=data.get("password1"),
            language=translation.get_language() or store.default_language,
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            accepts_marketing=bool(data.get("accepts_marketing")),
            **{field: data[field] for field in actions.SIGNUP_DETAILS if data.get(field)},
        )

    def pre_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> Any:
        """A sign-up (or sign-in) of an account whose email is not proved yet
        goes on to allauth's mandatory verification stage, which (re)sends the
        confirmation link and says so; the sign-in itself never completes for
        an account that is not active (see `login`). Every other inactive
        account gets allauth's "account inactive" page, with our reason.

        The first factor is proved here, so from now on the pages speak the
        customer's language: the second-factor step, allauth's "Signed in
        as" message, the page after (unless the visitor chose another)."""
        if isinstance(user, Customer):
            request.session[CUSTOMER_LANGUAGE_SESSION_KEY] = user.language
            activate_request_language(request)
        if (
            isinstance(user, Customer)
            and user.account_state in AWAITING_EMAIL_PROOF
            and not has_verified_email(user, user.email)
        ):
            return None
        return super().pre_login(request, user, **kwargs)

    def respond_user_inactive(self, request: HttpRequest, user: AbstractBaseUser) -> Any:
        # Shown only after the person proved who they are (a right password,
        # an emailed token), so saying why reveals nothing to a stranger.
        request.session[INACTIVE_REASON_SESSION_KEY] = getattr(user, "account_state", "")
        return super().respond_user_inactive(request, user)

    def get_email_verification_redirect_url(self, email_address: Any) -> str:
        """After confirming the email of a registration that still awaits the
        merchant's approval, say so (instead of offering a sign-in that would
        be refused); the link's holder has just proved the mailbox."""
        user = email_address.user
        if (
            not self.request.user.is_authenticated
            and isinstance(user, Customer)
            and user.account_state == Customer.AccountState.AWAITING_APPROVAL
        ):
            self.request.session[INACTIVE_REASON_SESSION_KEY] = user.account_state
            return reverse("account_inactive")
        return super().get_email_verification_redirect_url(email_address)

    def confirm_email(self, request: HttpRequest, email_address: Any) -> bool:
        """allauth's email confirmation link: the email is proved, which
        activates an account awaiting activation (and is recorded)."""
        confirmed = super().confirm_email(request, email_address)
        if confirmed and isinstance(email_address.user, Customer):
            actions.confirm_customer_email(email_address.user, email=email_address.email)
            _record_sign_in_by_confirmation(request, email_address.user, email_address.email)
        return confirmed

    def set_password(self, user: AbstractBaseUser, password: str) -> None:
        """Password reset and change go through our action, so the customer's
        trail shows them."""
        assert isinstance(user, Customer)
        changed = actions.set_customer_password(user, password=password, actor=user)
        user.password = changed.password

    def get_login_stages(self) -> list[str]:
        # allauth's second-factor stage, skipped where the store has
        # two-factor authentication off (identity/two_factor.py).
        stages = [
            "shop_accounts.identity.two_factor.StoreAuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]
        # "Create your passkey" of a passkey sign-up (identity/passkey_signup.py);
        # allauth adds it only with its global MFA_PASSKEY_SIGNUP_ENABLED. It
        # does nothing for any other sign-in.
        if PASSKEY_SIGNUP_STAGE not in stages:
            stages.append(PASSKEY_SIGNUP_STAGE)
        return stages

    def is_login_by_code_required(self, login: Login) -> bool:
        """An emailed code as the second factor of customers without an
        authenticator app or passkey, in stores that require two factors."""
        if login.user is not None and two_factor.emailed_code_required(self.request, login.user):
            return True
        return super().is_login_by_code_required(login)

    def login(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        # Every way in (password, code, link, passkey) ends here: an account
        # that is not active never gets a session, whatever stage let it by.
        if not user.is_active:
            raise ImmediateHttpResponse(self.respond_user_inactive(request, user))
        # Read before Django's login cycles the session (it keeps the data,
        # or flushes it when another account was signed in).
        method = signin_method(get_authentication_records(request, user))
        guest_cart_token = cart_sessions.guest_token(request.session)
        super().login(request, user)
        if isinstance(user, Customer):
            store = request_store_or_none(request)
            events.record_signed_in(
                customer=user, method=method, store_id=store.pk if store else None
            )
            if store is not None:
                # The guest's cart merges into the saved one (cart/sessions.py).
                cart_sessions.carry_over_at_sign_in(
                    request.session, store=store, customer=user, guest_token=guest_cart_token
                )
        # The language middleware runs before authentication; it reads this.
        request.session[CUSTOMER_LANGUAGE_SESSION_KEY] = getattr(user, "language", "")
        # The new session in the list of signed-in devices (allauth's own
        # receiver, which checks every earlier session, is disconnected).
        activity.record_new_session(request)

    def format_email_subject(self, subject: str) -> str:
        return subject

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        """allauth's emails, rendered like ours (core.outbox.render_email): the
        subject and text with autoescape off, so a store called "Jansen &
        Zonen" stays so in the subject; the HTML part, built from the text in
        the store's layout, escapes it. `send_mail` puts the merchant's
        wording in the context."""
        wording = context.pop(OWN_TEXT_KEY, None) or OwnText()
        subject, text, html = render_email(
            template_prefix,
            context,
            language=translation.get_language() or "en",
            body="message",
            request=self.request,
            branding=branding_of(context.get("store")),
            own_subject=wording.subject,
            own_message=wording.message,
        )
        message = EmailMultiAlternatives(
            self.format_email_subject(subject),
            text.strip(),
            self.get_from_email(),
            [email] if isinstance(email, str) else email,
            headers=headers,
        )
        if html:
            message.attach_alternative(html, "text/html")
        return message

    def get_from_email(self) -> str:
        store = request_store_or_none(self.request)
        return store.sender if store else super().get_from_email()

    # The customer a security notification is about (set while it is sent).
    _notified: Customer | None = None

    def send_notification_mail(
        self,
        template_prefix: str,
        user: AbstractBaseUser,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        """allauth's security notifications (password changed or reset, email
        changed or removed, 2FA added or removed, recovery code used; see
        settings.ACCOUNT_EMAIL_NOTIFICATIONS): record the change on the
        customer's trail, then email it in the customer's language, also to an
        old address that is no longer theirs."""
        if isinstance(user, Customer):
            security_events.record_security_notification(user, template_prefix, context)
            self._notified = user
        try:
            super().send_notification_mail(template_prefix, user, context, email)
        finally:
            self._notified = None

    def send_account_already_exists_mail(self, email: str) -> None:
        """Someone signed up with the email of an account (the page answered
        as for a new one): tell the owner, in their language and the store's
        voice, where to sign in or set a new password."""
        request = self.request
        owner = account_holder(email, request) or holder_of_extra_address(email, request)
        context = {
            "email": email,
            "user": owner,
            "login_url": request.build_absolute_uri(reverse("account_login")),
            "password_reset_url": request.build_absolute_uri(reverse("account_reset_password")),
        }
        self._notified = owner
        try:
            self.send_mail("account/email/account_already_exists", email, context)
        finally:
            self._notified = None

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render allauth's emails in the recipient's language and put them in
        the outbox instead of sending them inline."""
        store = request_store_or_none(self.request)
        customer = self._notified or account_holder(email, self.request)
        if customer is not None:
            language = customer.language
        else:
            language = translation.get_language() or (store.default_language if store else "en")
        kind = template_prefix.rsplit("/", 1)[-1]
        context = {"store": store, **context}
        # Security notifications name the device as the devices page does.
        if context.get("user_agent"):
            context.setdefault("device", device_name(str(context["user_agent"])))
        # A sign-in before activation re-sends the activation email under
        # allauth's plain confirmation template: it is worded as the activation.
        wording_kind = kind
        if (
            kind == "email_confirmation"
            and customer is not None
            and customer.account_state in AWAITING_EMAIL_PROOF
        ):
            wording_kind = "email_confirmation_signup"
        values = {**placeholder_values(customer), "email": email}
        context[OWN_TEXT_KEY] = own_text(store, wording_kind, language, values)
        # The activation email of a passkey sign-up says to open the link in
        # the same browser (identity/passkey_signup.py).
        context.setdefault(
            "passkey_signup",
            getattr(getattr(self.request, "resolver_match", None), "url_name", "")
            == "account_signup_by_passkey",
        )
        with translation.override(language):
            context.setdefault("current_site", SiteOfStore(store, self.request))
            message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = str(content)
        queue_email(
            recipient=email,
            subject=str(message.subject),
            body_text=str(message.body),
            body_html=html,
            language=language,
            store_id=store.pk if store else None,
            kind=kind,
            from_email=message.from_email,
        )


class SiteOfStore:
    """What allauth's email templates call `current_site`: the store."""

    def __init__(self, store: Store | None, request: HttpRequest | None) -> None:
        self.name = store.name if store else ""
        self.domain = (
            request.get_host() if request is not None else (store.hostname if store else "")
        )

    def __str__(self) -> str:
        return self.name


class ShopMFAAdapter(DefaultMFAAdapter):
    """allauth.mfa's adapter: authenticator apps and passkeys are labelled
    with the store's name, a new passkey is named after its device, and a
    store that requires two factors keeps each customer's last authenticator
    app or passkey."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "This shop asks for a second step at every sign-in. Add another passkey or an "
            "authenticator app before you remove this one."
        ),
    }

    def generate_authenticator_name(self, user: AbstractBaseUser, type: str) -> str:
        """A new passkey is named after the device adding it, numbered when
        the customer has one of that name (identity/passkeys.py)."""
        if type == Authenticator.Type.WEBAUTHN and isinstance(user, Customer):
            return passkeys.default_passkey_name(user, context.request)
        return super().generate_authenticator_name(user, type)

    def get_totp_issuer(self) -> str:
        store = request_store_or_none(context.request)
        return store.name if store else super().get_totp_issuer()

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        entity = super().get_public_key_credential_rp_entity()
        store = request_store_or_none(context.request)
        return {**entity, "name": store.name} if store else entity

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        user = authenticator.user
        store = request_store_or_none(context.request)
        if (
            authenticator.type in two_factor.STRONG_FACTORS
            and two_factor.two_factor_mode(user, store) == Store.TwoFactor.REQUIRED
            and not Authenticator.objects.filter(
                user_id=user.pk, type__in=two_factor.STRONG_FACTORS
            )
            .exclude(pk=authenticator.pk)
            .exists()
        ):
            return False
        return super().can_delete_authenticator(authenticator)
