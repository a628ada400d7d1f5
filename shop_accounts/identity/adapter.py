"""The django-allauth adapter: where allauth's flows meet our stores,
customer records and outbox. Sign-up policies, sign-in links and 2FA rules
hang off these hooks."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import Login
from django.contrib.auth.base_user import AbstractBaseUser
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils import translation

from shop_accounts.core.outbox import queue_email
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity import two_factor
from shop_accounts.identity.realms import account_holder, store_of
from shop_accounts.stores.models import Store


class ShopAccountAdapter(DefaultAccountAdapter):
    def _store(self) -> Store | None:
        return store_of(self.request)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        store = store_of(request)
        return store is not None and store.signup_mode != Store.SignupMode.INVITATION

    def save_user(
        self, request: HttpRequest, user: AbstractBaseUser, form: BaseForm, commit: bool = True
    ) -> AbstractBaseUser:
        store = store_of(request)
        assert store is not None
        data = form.cleaned_data
        return actions.open_account(
            store=store,
            email=data["email"],
            password=data.get("password1"),
            language=translation.get_language() or store.default_language,
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )

    def set_password(self, user: AbstractBaseUser, password: str) -> None:
        """Password reset and change go through our action, so the customer's
        trail shows them."""
        assert isinstance(user, Customer)
        changed = actions.set_customer_password(user, password=password, actor=user)
        user.password = changed.password

    def get_login_stages(self) -> list[str]:
        # allauth's second-factor stage, skipped where the store has
        # two-factor authentication off (identity/two_factor.py).
        return [
            "shop_accounts.identity.two_factor.StoreAuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]

    def is_login_by_code_required(self, login: Login) -> bool:
        """An emailed code as the second factor of customers without an
        authenticator app or passkey, in stores that require two factors."""
        if login.user is not None and two_factor.emailed_code_required(self.request, login.user):
            return True
        return super().is_login_by_code_required(login)

    def login(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        super().login(request, user)
        # The language middleware runs before authentication; it reads this.
        request.session["customer_language"] = getattr(user, "language", "")

    def format_email_subject(self, subject: str) -> str:
        return subject

    def get_from_email(self) -> str:
        store = self._store()
        return store.sender if store else super().get_from_email()

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render allauth's emails in the recipient's language and put them in
        the outbox instead of sending them inline."""
        store = self._store()
        customer = account_holder(email, self.request)
        if customer is not None:
            language = customer.language
        else:
            language = translation.get_language() or (store.default_language if store else "en")
        context = {"store": store, **context}
        with translation.override(language):
            context.setdefault("current_site", _SiteOfStore(store, self.request))
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
            kind=template_prefix.rsplit("/", 1)[-1],
            from_email=message.from_email,
        )


class _SiteOfStore:
    """What allauth's email templates call `current_site`: the store."""

    def __init__(self, store: Store | None, request: HttpRequest | None) -> None:
        self.name = store.name if store else ""
        self.domain = (
            request.get_host() if request is not None else (store.hostname if store else "")
        )

    def __str__(self) -> str:
        return self.name
