from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# allauth insists on globally unique emails when email is the login method.
# Ours are unique per account realm instead (a database constraint on the
# customer record), and every lookup by email goes through the realm-scoped
# backend and forms in this app, so that one message does not apply here.
REALM_SCOPED_EMAIL_CHECK = "Using email as a login method requires ACCOUNT_UNIQUE_EMAIL"


def _without_global_email_check(check):
    def wrapped(app_configs, **kwargs):
        return [m for m in check(app_configs, **kwargs) if m.msg != REALM_SCOPED_EMAIL_CHECK]

    wrapped.tags = getattr(check, "tags", ())  # type: ignore[attr-defined]
    return wrapped


class IdentityConfig(AppConfig):
    name = "shop_accounts.identity"
    label = "identity"
    verbose_name = _("Sign-in")

    def ready(self) -> None:
        from allauth.account import checks as allauth_checks
        from allauth.account.signals import user_logged_in
        from allauth.usersessions import signals as usersessions_signals

        # allauth's user sessions check each earlier session of the customer
        # at every sign-in (3 queries apiece); the adapter's `login` records
        # the new session instead, in a fixed number of queries
        # (identity/activity.py). This app comes after allauth's in
        # INSTALLED_APPS, so allauth has connected its receiver by now.
        if not user_logged_in.disconnect(receiver=usersessions_signals.on_user_logged_in):
            raise ImproperlyConfigured(
                "shop_accounts.identity must come after allauth.usersessions in INSTALLED_APPS."
            )

        registry = checks.registry.registry
        original = allauth_checks.settings_check
        if original in registry.registered_checks:
            registry.registered_checks.discard(original)
            registry.register(_without_global_email_check(original))

        from django.urls import reverse

        from shop_accounts.stores.links import register_link

        # Domain code links to the sign-in page by this name (the email that a
        # registration is approved); the page is allauth's, mounted by us.
        register_link("sign_in", lambda: reverse("account_login"))
        register_link("sign_up", lambda: reverse("account_signup"))
