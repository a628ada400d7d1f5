"""Deactivation by the merchant ends the customer's sessions at once (their
next request is signed out) and shuts every way in: password, emailed link,
emailed code, and whatever else reaches allauth's login (passkeys). The
backend, allauth and the account state agree on who may sign in."""

import re

import pytest
from allauth.account.adapter import get_adapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.identity import actions as identity_actions
from shop_accounts.identity.backends import RealmAuthenticationBackend
from shop_accounts.stores import actions as store_actions
from tests.conftest import PASSWORD

Kind = CustomerEvent.Kind
State = Customer.AccountState
CHANGELIST = reverse("backoffice:customers_customer_changelist")
MY_ACCOUNT = reverse("storefront:my-account")
LINK_URL = re.compile(r"http://[^\s/]+(/account/login/link/[A-Za-z0-9_\-]+/)")
INACTIVE = "/account/inactive/"


@pytest.fixture
def anna(store, make_account_holder) -> Customer:
    store_actions.update_store(store, signin_with_link=True, signin_with_code=True)
    return make_account_holder(store, "anna@example.com", first_name="Anna")


def signed_in_browser(email: str) -> Client:
    browser = Client()
    browser.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert browser.get(MY_ACCOUNT).wsgi_request.user.is_authenticated
    return browser


def is_signed_in(browser: Client) -> bool:
    return browser.get(MY_ACCOUNT).wsgi_request.user.is_authenticated


def test_merchant_deactivation_signs_out_every_browser_on_its_next_request(
    anna, merchant, merchant_client
):
    laptop, phone = signed_in_browser("anna@example.com"), signed_in_browser("anna@example.com")
    session_keys = [laptop.session.session_key, phone.session.session_key]
    assert UserSession.objects.filter(user=anna).count() == 2

    merchant_client.post(
        CHANGELIST,
        {"action": "deactivate_accounts", "_selected_action": [anna.pk], "confirmed": "yes"},
    )

    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert not Session.objects.filter(session_key__in=session_keys).exists()
    assert not UserSession.objects.filter(user=anna).exists()
    anna.refresh_from_db()
    assert anna.account_state == State.DEACTIVATED
    ended = anna.events.get(kind=Kind.SESSIONS_ENDED)
    assert (ended.actor, ended.data) == (merchant, {"sessions": 2})


def test_deactivating_a_customer_without_sessions_records_no_sessions_ended(anna, merchant):
    identity_actions.deactivate_account(anna, actor=merchant)

    assert not anna.events.filter(kind=Kind.SESSIONS_ENDED).exists()


def test_other_customers_sessions_are_left_alone(anna, merchant, make_account_holder, store):
    make_account_holder(store, "ben@example.com")
    ben = signed_in_browser("ben@example.com")
    signed_in_browser("anna@example.com")

    identity_actions.deactivate_account(anna, actor=merchant)

    assert is_signed_in(ben)


def test_deactivated_customer_is_refused_at_password_sign_in_with_the_reason(anna, merchant):
    identity_actions.deactivate_account(anna, actor=merchant)
    browser = Client()

    response = browser.post(
        reverse("account_login"), {"login": "anna@example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == INACTIVE
    page = browser.get(INACTIVE).content.decode()
    assert "This account has been deactivated by Test Shop" in page
    assert not is_signed_in(browser)


def test_deactivated_customer_gets_no_sign_in_link_and_an_earlier_link_fails(
    anna, merchant, smtp_sink
):
    Client().post(reverse("identity:signin-link-request"), {"email": "anna@example.com"})
    deliver_due_emails()
    (message,) = smtp_sink.to("anna@example.com")
    earlier_link = LINK_URL.search(smtp_sink.text_of(message)).group(1)

    identity_actions.deactivate_account(anna, actor=merchant)
    Client().post(reverse("identity:signin-link-request"), {"email": "anna@example.com"})
    deliver_due_emails()
    browser = Client()
    response = browser.post(earlier_link)

    assert len(smtp_sink.to("anna@example.com")) == 1
    assert response.status_code == 410
    assert not is_signed_in(browser)


def test_a_sign_in_code_asked_for_before_deactivation_does_not_sign_in(anna, merchant, smtp_sink):
    browser = Client()
    browser.post(reverse("account_request_login_code"), {"email": "anna@example.com"})
    deliver_due_emails()
    text = smtp_sink.text_of(smtp_sink.to("anna@example.com")[0])
    code = re.search(r"^\s*([A-Z0-9-]{4,})\s*$", text, re.MULTILINE).group(1)

    identity_actions.deactivate_account(anna, actor=merchant)
    response = browser.post(reverse("account_confirm_login_code"), {"code": code})

    assert response.status_code == 302
    assert response["Location"] == INACTIVE
    assert not is_signed_in(browser)


@pytest.mark.parametrize("state", list(State))
def test_backend_allauth_and_account_state_agree_on_who_may_sign_in(store, state):
    customer = actions.create_customer(store=store, email="x@example.com", actor=None)
    Customer.objects.filter(pk=customer.pk).update(
        account_state=state, is_active=state == State.ACTIVE
    )
    customer.refresh_from_db()
    backend = RealmAuthenticationBackend()

    may = state == State.ACTIVE
    assert customer.is_active is may
    assert backend.user_can_authenticate(customer) is may
    assert (backend.get_user(customer.pk) is not None) is may


def test_any_login_of_a_deactivated_customer_is_refused_by_the_adapter(anna, merchant):
    """Passkey sign-in, like every allauth flow, ends in the adapter's login."""
    identity_actions.deactivate_account(anna, actor=merchant)
    anna.refresh_from_db()
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    request.session = SessionStore()
    request.store = anna.store  # type: ignore[attr-defined]

    with pytest.raises(ImmediateHttpResponse) as refused:
        get_adapter(request).login(request, anna)

    assert refused.value.response["Location"] == INACTIVE
    assert "_auth_user_id" not in request.session


def test_reactivated_customer_signs_in_again(anna, merchant):
    identity_actions.deactivate_account(anna, actor=merchant)

    actions.reactivate_account(anna, actor=merchant)

    assert is_signed_in(signed_in_browser("anna@example.com"))
