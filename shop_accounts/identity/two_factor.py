"""Two-factor authentication per store (off / optional / required) and for
staff, on top of allauth.mfa: who is asked for a second factor at sign-in,
who must set one up, and which factors count.

allauth has no "required" mode of its own; the rules live here and are
applied by the login stage below, the adapter (an emailed code after the
password) and TwoFactorPolicyMiddleware (setting one up before anything else).
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt, is_mfa_enabled
from django.db import transaction
from django.http import HttpRequest

from shop_accounts.customers.models import Customer
from shop_accounts.identity.allauth_internals import (
    AuthenticateStage,
    compare_user_code,
    format_hotp_value,
    get_authentication_records,
    hotp_value,
    yield_hotp_counters_from_time,
)
from shop_accounts.identity.locks import lock_authenticator
from shop_accounts.stores.context import request_store_or_none
from shop_accounts.stores.models import Store

# Factors that stand on their own as a second factor. Recovery codes are
# only a fallback for these; an emailed code is what REQUIRED stores ask of
# customers who have neither.
STRONG_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]

# The ways in that prove the same thing an emailed code would (access to the
# mailbox): asking for an emailed code after them adds nothing.
_EMAILED_METHODS = {"code", "link", "invitation"}


def has_strong_factor(user: object) -> bool:
    """Does the user have an authenticator app or a passkey?"""
    return isinstance(user, Customer) and is_mfa_enabled(user, STRONG_FACTORS)


def two_factor_mode(user: object, store: Store | None) -> str:
    """The two-factor rule for this user on this store. Staff always have
    two-factor authentication available and asked for, whatever the store's
    setting (the back office requires it of them)."""
    if store is None or getattr(user, "is_staff", False):
        return Store.TwoFactor.OPTIONAL
    return store.two_factor


def must_set_up_second_factor(user: object, store: Store | None) -> bool:
    """A customer of a store that requires two-factor authentication, who has
    no authenticator app or passkey yet."""
    return (
        isinstance(user, Customer)
        and not user.is_staff
        and two_factor_mode(user, store) == Store.TwoFactor.REQUIRED
        and not has_strong_factor(user)
    )


def emailed_code_required(request: HttpRequest, user: object) -> bool:
    """apt-shop's second factor: in a store that requires two-factor
    authentication, a customer without an authenticator app or passkey who
    signed in with a password is asked for a code sent by email."""
    if not must_set_up_second_factor(user, request_store_or_none(request)):
        return False
    if not getattr(user, "is_active", False):
        # An account still waiting for its email to be proved goes on to
        # allauth's verification stage instead.
        return False
    records = get_authentication_records(request, user)
    method = records[-1]["method"] if records else None
    return method not in _EMAILED_METHODS and method != "mfa"


class StoreAuthenticateStage(AuthenticateStage):
    """allauth's "enter your second factor" stage, skipped for customers of a
    store that has two-factor authentication switched off."""

    def _should_handle(self, request: HttpRequest) -> bool:
        if two_factor_mode(self.login.user, request_store_or_none(request)) == Store.TwoFactor.OFF:
            return False
        return super()._should_handle(request)


# Where an authenticator-app row remembers the last time step it signed in
# with (allauth keeps only the secret there).
LAST_USED_STEP = "shop_last_used_step"


@transaction.atomic
def claim_totp_code(authenticator: Authenticator, code: str) -> bool:
    """Spend an authenticator-app code that allauth has just accepted: its
    time step must be later than the last one used. allauth remembers used
    codes in the cache only, which each server process has its own of (the
    default in-memory cache); this remembers them on the authenticator's
    row, under a row lock, so a code signs in once whichever process sees it."""
    locked = lock_authenticator(authenticator.pk)
    secret = decrypt(locked.data["secret"])
    step = next(
        (
            counter
            for counter in yield_hotp_counters_from_time()
            if compare_user_code(
                actual=code, expected=format_hotp_value(hotp_value(secret, counter))
            )
        ),
        None,
    )
    if step is None:
        return True  # allauth's development bypass code, refused outside DEBUG
    if step <= locked.data.get(LAST_USED_STEP, -1):
        return False
    locked.data[LAST_USED_STEP] = step
    locked.save(update_fields=["data"])
    return True
