"""Re-authentication before a sensitive change (email addresses, passkeys)
also for customers allauth cannot ask again.

allauth asks for the password or a second factor again when the last one is
older than ACCOUNT_REAUTHENTICATION_TIMEOUT (5 minutes). A customer with
neither (signed up without a password, signing in with an emailed code or
link) has nothing to be asked for, and allauth then lets every change
through, however old the session. For them the sign-in itself must be recent:
past the window the session ends and the sign-in page leads back to the page
they were on, so a stolen session cannot add the thief's address either.
"""

import time
from collections.abc import Callable
from typing import Any

from allauth.account import app_settings as account_settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from shop_accounts.identity.allauth_internals import (
    get_authentication_records,
    get_reauthentication_flows,
)


def _signed_in_recently(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
    latest = max((record.get("at", 0) for record in records), default=0)
    return time.time() - latest < account_settings.REAUTHENTICATION_TIMEOUT


def needs_fresh_sign_in(request: HttpRequest) -> bool:
    """Is this a customer allauth cannot ask again, signed in too long ago?"""
    user = request.user
    return (
        user.is_authenticated
        and not get_reauthentication_flows(user)
        and not _signed_in_recently(request)
    )


def fresh_sign_in_required(
    view: Callable[..., HttpResponse], *, allow_get: bool = False
) -> Callable[..., HttpResponse]:
    """`view` ends a stale session of a customer without password or
    authenticator and sends them to sign in again (then back here); with
    `allow_get`, the page itself still shows and only its forms are guarded."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (not allow_get or request.method != "GET") and needs_fresh_sign_in(request):
            back_to = request.path
            logout(request)
            messages.info(
                request,
                _(
                    "For your security, sign in again before you change your email "
                    "addresses or passkeys."
                ),
            )
            return redirect(f"{reverse('account_login')}?{urlencode({'next': back_to})}")
        return view(request, *args, **kwargs)

    return wrapped
