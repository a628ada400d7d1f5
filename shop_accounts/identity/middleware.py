"""Identity middleware: a session belongs to one account realm (a signed-in
user is only signed in on the stores of their own realm)."""

import time
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from shop_accounts.conf import shop_settings
from shop_accounts.identity import activity, two_factor
from shop_accounts.stores.context import request_store_or_none
from shop_accounts.stores.models import Store

# When a staff member's session began and last saw a request (epoch seconds).
STAFF_SIGNED_IN_AT = "staff_signed_in_at"
STAFF_LAST_SEEN_AT = "staff_last_seen_at"


class RealmSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        store = request_store_or_none(request)
        if (
            user is not None
            and user.is_authenticated
            and store is not None
            and user.realm_id != store.account_realm_id
        ):
            logout(request)
        return self.get_response(request)


class SessionActivityMiddleware:
    """Keep the signed-in devices list's "last seen" time and IP address up
    to date, writing at most once per SHOP_SESSION_ACTIVITY_SECONDS per
    session (identity/activity.py), so a page view writes nothing in the
    common case. Replaces allauth's UserSessionsMiddleware; placed after
    RealmSessionMiddleware, so a session being signed out is not recorded."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.session_key:
            activity.record_session_activity(request)
        return self.get_response(request)


class TwoFactorPolicyMiddleware:
    """The store's two-factor setting on allauth's pages. Off: the pages for
    an authenticator app and recovery codes are not there (passkeys stay
    where the store lets customers sign in with one). Required: a signed-in
    customer without an authenticator app or passkey is sent to set one up
    before any other page (signing out and the set-up pages themselves
    excepted). Staff are not affected: the back office has its own rule."""

    _OFF_PAGES = {
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
    }
    # Pages a customer who must set up a second factor can still reach.
    _SETUP_PAGES = {"account_logout", "account_reauthenticate", "set-language"}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.resolver_match is None:
            return None
        store = request_store_or_none(request)
        name = request.resolver_match.url_name or ""
        mode = two_factor.two_factor_mode(user, store)
        if mode == Store.TwoFactor.OFF and (
            name in self._OFF_PAGES
            or (name == "mfa_index" and not (store and store.signin_with_passkey))
        ):
            raise Http404
        if (
            two_factor.must_set_up_second_factor(user, store)
            and not name.startswith("mfa_")
            and name not in self._SETUP_PAGES
        ):
            messages.info(
                request,
                _(
                    "This shop asks every customer for a second factor. "
                    "Set up an authenticator app or a passkey to continue."
                ),
            )
            return redirect("mfa_index")
        return None

    def process_template_response(
        self, request: HttpRequest, response: TemplateResponse
    ) -> TemplateResponse:
        # The two-factor page lists only what the store offers.
        match = request.resolver_match
        if match is not None and match.url_name == "mfa_index" and response.context_data:
            store = request_store_or_none(request)
            if two_factor.two_factor_mode(request.user, store) == Store.TwoFactor.OFF:
                response.context_data["MFA_SUPPORTED_TYPES"] = ["webauthn"]
        return response


class StaffSessionLimitsMiddleware:
    """Staff sessions last at most SHOP_STAFF_SESSION_HOURS and end after
    SHOP_STAFF_IDLE_MINUTES without a request, on the server: the session is
    flushed and the next back-office page asks to sign in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = time.time()
            session = request.session
            started = session.setdefault(STAFF_SIGNED_IN_AT, now)
            last_seen = session.get(STAFF_LAST_SEEN_AT, now)
            if (
                now - started > shop_settings.STAFF_SESSION_HOURS * 3600
                or now - last_seen > shop_settings.STAFF_IDLE_MINUTES * 60
            ):
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
            elif STAFF_LAST_SEEN_AT not in session or now - last_seen >= 60:
                # Written at most once a minute, not on every request.
                session[STAFF_LAST_SEEN_AT] = now
        return self.get_response(request)
