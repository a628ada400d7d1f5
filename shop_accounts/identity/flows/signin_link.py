"""Signing in with an emailed sign-in link (identity/signin_links.py)."""

from allauth.account import app_settings as account_settings
from allauth.account.models import Login
from django.http import HttpRequest, HttpResponse

from shop_accounts.identity import signin_links
from shop_accounts.identity.allauth_internals import (
    perform_login,
    record_authentication,
    verify_email_indirectly,
)
from shop_accounts.identity.errors import SignInLinkNotUsable
from shop_accounts.stores.models import Store

# How a link sign-in appears in allauth's authentication records.
LINK_METHOD = "link"


def sign_in_with_link(
    request: HttpRequest, token: str, *, store: Store, remember: bool
) -> HttpResponse:
    """Spend the sign-in link `token` on `store` and sign its customer in
    through allauth's login stages, so a customer with two-factor
    authentication still passes it. Following the link proves the customer
    reads the mailbox, so the email counts as verified. `remember` keeps the
    session after the browser closes ("stay signed in").

    Returns allauth's response: the next login stage's page, or the redirect
    after signing in. Raises SignInLinkNotUsable when the link is unknown,
    used, expired, of another realm, or its account is not active; nothing
    is recorded then."""
    customer = signin_links.consume_signin_link(token, store=store)
    if customer is None:
        raise SignInLinkNotUsable()
    record_authentication(request, customer, method=LINK_METHOD, email=customer.email)
    verify_email_indirectly(request, customer, customer.email)
    response = perform_login(request, Login(user=customer, email=customer.email))
    request.session.set_expiry(account_settings.SESSION_COOKIE_AGE if remember else 0)
    return response
