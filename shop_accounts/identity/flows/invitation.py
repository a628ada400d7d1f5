"""Accepting an emailed invitation (identity/invitations.py) and signing in."""

from allauth.account.models import Login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from shop_accounts.identity import invitations
from shop_accounts.identity.allauth_internals import perform_login, record_authentication
from shop_accounts.stores.models import Store

# How an invitation sign-in appears in allauth's authentication records.
INVITATION_METHOD = "invitation"


def accept_invitation_with_password(
    request: HttpRequest, token: str, password: str, *, store: Store
) -> HttpResponse:
    """Accept the invitation `token` on `store` with the password the
    customer chose (the action checks the store's password rules, activates
    the account and proves the email), then sign the customer in through
    allauth's login stages.

    Returns allauth's response. Raises InvitationNotUsable (unknown, used or
    expired) or the password's ValidationError; nothing is spent then."""
    customer = invitations.accept_invitation(token, password, store=store)
    record_authentication(request, customer, method=INVITATION_METHOD, email=customer.email)
    return perform_login(request, Login(user=customer, email=customer.email))


def accept_invitation_with_passkey(
    request: HttpRequest, token: str, *, store: Store
) -> HttpResponse:
    """ "Use a passkey instead": accept the invitation without a password
    (the same single-use UPDATE), sign in, and go on to allauth's page to add
    a passkey. The emailed token has just proved the mailbox, so the session
    counts as freshly authenticated and that page asks for nothing more.

    Returns allauth's response (the redirect to "add a passkey" once signed
    in). Raises InvitationNotUsable, also when `store` has passkeys off."""
    customer = invitations.accept_invitation(token, None, store=store)
    record_authentication(
        request, customer, method=INVITATION_METHOD, email=customer.email, reauthenticated=True
    )
    return perform_login(
        request,
        Login(user=customer, email=customer.email, redirect_url=reverse("mfa_add_webauthn")),
    )
