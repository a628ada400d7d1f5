"""The sign-in flows work without our HTML views: called with a bare request
(a RequestFactory request with a session, as a JSON view would have after
the middleware), they spend the token, sign in, prove the email and end
sessions exactly as the pages do."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.identity import invitations
from shop_accounts.identity.allauth_internals import context as allauth_context
from shop_accounts.identity.errors import InvitationNotUsable, SignInLinkNotUsable, UnknownDevice
from shop_accounts.identity.flows import devices as device_flows
from shop_accounts.identity.flows import invitation as invitation_flows
from shop_accounts.identity.flows import signin_link as signin_link_flows
from shop_accounts.identity.models import SignInLink
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.context import reset_current_store, set_current_store
from tests.conftest import PASSWORD

LINK_TOKEN = re.compile(r"/account/login/link/([A-Za-z0-9_\-]+)/")
INVITATION_TOKEN = re.compile(r"/account/invitation/([A-Za-z0-9_\-]+)/")
NEW_PASSWORD = "a long walk on a quiet beach"


def bare_request(store, user=None) -> HttpRequest:
    """What a JSON view gets: a request with a session, the store and the
    user set by the middleware, and no view of ours in between."""
    request = RequestFactory().post("/api/sign-in/", HTTP_HOST=store.hostname)
    SessionMiddleware(lambda request: None).process_request(request)  # type: ignore[arg-type,return-value]
    request.session.save()
    request.user = user or AnonymousUser()
    request.store = store  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


@contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    """The store and allauth's request context, as their middleware sets them."""
    token = set_current_store(request.store)  # type: ignore[attr-defined]
    try:
        with allauth_context.request_context(request):
            yield
    finally:
        reset_current_store(token)


def emailed_token(client: Client, smtp_sink, email: str) -> str:
    assert client.post("/account/login/link/", {"email": email}).status_code == 302
    deliver_due_emails()
    (message,) = smtp_sink.to(email)
    match = LINK_TOKEN.search(smtp_sink.text_of(message))
    assert match
    return match.group(1)


def test_sign_in_with_link_flow_signs_in_a_bare_request(
    client, store, make_account_holder, smtp_sink
):
    store = store_actions.update_store(store, signin_with_link=True)
    anna = make_account_holder(store, "anna@example.com")
    EmailAddress.objects.filter(user=anna).update(verified=False)
    token = emailed_token(client, smtp_sink, "anna@example.com")
    request = bare_request(store)

    with serving(request):
        response = signin_link_flows.sign_in_with_link(request, token, store=store, remember=False)

    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:my-account")
    assert request.user == anna
    assert request.session["_auth_user_id"] == str(anna.pk)
    assert request.session.get_expire_at_browser_close()
    assert EmailAddress.objects.get(user=anna).verified
    assert SignInLink.objects.get().used_at is not None
    assert anna.events.filter(kind=CustomerEvent.Kind.SIGNED_IN_WITH_LINK).count() == 1


def test_sign_in_with_link_flow_refuses_a_spent_link_and_signs_in_nobody(
    client, store, make_account_holder, smtp_sink
):
    store = store_actions.update_store(store, signin_with_link=True)
    anna = make_account_holder(store, "anna@example.com")
    token = emailed_token(client, smtp_sink, "anna@example.com")
    first = bare_request(store)
    with serving(first):
        signin_link_flows.sign_in_with_link(first, token, store=store, remember=True)
    second = bare_request(store)

    with serving(second), pytest.raises(SignInLinkNotUsable):
        signin_link_flows.sign_in_with_link(second, token, store=store, remember=True)

    assert not second.user.is_authenticated
    assert "_auth_user_id" not in second.session
    assert anna.events.filter(kind=CustomerEvent.Kind.SIGNED_IN_WITH_LINK).count() == 1


def invitation_token(store, merchant, smtp_sink) -> tuple[Customer, str]:
    anna = actions.create_customer(store=store, email="anna@example.com", actor=None)
    invitations.invite_customer(anna, store=store, actor=merchant)
    deliver_due_emails()
    (message,) = smtp_sink.to("anna@example.com")
    match = INVITATION_TOKEN.search(smtp_sink.text_of(message))
    assert match
    return anna, match.group(1)


def test_accept_invitation_flow_opens_the_account_and_signs_in(store, merchant, smtp_sink):
    anna, token = invitation_token(store, merchant, smtp_sink)
    request = bare_request(store)

    with serving(request):
        response = invitation_flows.accept_invitation_with_password(
            request, token, NEW_PASSWORD, store=store
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:my-account")
    assert request.user == anna
    anna.refresh_from_db()
    assert anna.account_state == Customer.AccountState.ACTIVE
    assert anna.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=anna).verified


def test_accept_invitation_with_passkey_flow_goes_on_to_add_a_passkey(store, merchant, smtp_sink):
    store = store_actions.update_store(store, signin_with_passkey=True)
    anna, token = invitation_token(store, merchant, smtp_sink)
    request = bare_request(store)

    with serving(request):
        response = invitation_flows.accept_invitation_with_passkey(request, token, store=store)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_add_webauthn")
    assert request.user == anna
    anna.refresh_from_db()
    assert not anna.has_usable_password()


def test_accept_invitation_flow_refuses_a_used_link_and_signs_in_nobody(store, merchant, smtp_sink):
    anna, token = invitation_token(store, merchant, smtp_sink)
    first = bare_request(store)
    with serving(first):
        invitation_flows.accept_invitation_with_password(first, token, NEW_PASSWORD, store=store)
    second = bare_request(store)

    with serving(second), pytest.raises(InvitationNotUsable) as refused:
        invitation_flows.accept_invitation_with_password(
            second, token, "another long password here", store=store
        )

    assert refused.value.reason == "used"
    assert not second.user.is_authenticated
    anna.refresh_from_db()
    assert anna.check_password(NEW_PASSWORD)


def test_sign_out_other_devices_flow_ends_every_other_session(store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        assert (
            device.post(
                "/account/login/", {"login": "anna@example.com", "password": PASSWORD}
            ).status_code
            == 302
        )
    request = bare_request(store, user=anna)

    with serving(request):
        ended = device_flows.sign_out_other_devices(request, customer=anna)

    assert ended == 2
    assert UserSession.objects.filter(user_id=anna.pk).count() == 0
    assert not phone.get(reverse("storefront:my-account")).wsgi_request.user.is_authenticated
    event = anna.events.get(kind=CustomerEvent.Kind.SESSIONS_ENDED)
    assert event.data == {"sessions": 2}


def test_sign_out_device_flow_refuses_a_session_of_someone_else(store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")
    make_account_holder(store, "bert@example.com")
    bert = Client()
    assert (
        bert.post(
            "/account/login/", {"login": "bert@example.com", "password": PASSWORD}
        ).status_code
        == 302
    )
    berts_session = UserSession.objects.get()
    request = bare_request(store, user=anna)

    with serving(request), pytest.raises(UnknownDevice):
        device_flows.sign_out_device(request, berts_session.pk, customer=anna)

    assert UserSession.objects.filter(pk=berts_session.pk).exists()
    assert bert.get(reverse("storefront:my-account")).wsgi_request.user.is_authenticated
