"""The customer's trail records every sign-in with its method, each wrong
password for an existing account, and each password-reset request; the
merchant reads them in words."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from shop_accounts.backoffice.customers.event_details import describe
from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.identity import invitations
from shop_accounts.identity.adapter import signin_method
from tests.conftest import PASSWORD

Kind = CustomerEvent.Kind
LOGIN = "/account/login/"
LINK_PATH = re.compile(r"http://[^\s/]+(/account/login/link/[A-Za-z0-9_\-]+/)")
INVITATION_PATH = re.compile(r"http://[^\s/]+(/account/invitation/[A-Za-z0-9_\-]+/)")
NEW_PASSWORD = "a long walk on a quiet beach"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anna(store, make_account_holder) -> Customer:
    return make_account_holder(store, "anna@example.com")


def sign_ins(customer: Customer) -> list[dict]:
    return list(customer.events.filter(kind=Kind.SIGNED_IN).values_list("data", flat=True))


def emailed(smtp_sink, email: str, pattern: re.Pattern) -> str:
    deliver_due_emails()
    match = pattern.search(smtp_sink.text_of(smtp_sink.to(email)[-1]))
    assert match
    return match.group(1)


def test_a_password_sign_in_records_the_method_and_the_store(client, store, anna):
    response = client.post(LOGIN, {"login": "anna@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert sign_ins(anna) == [{"method": "password", "store_id": store.pk}]
    event = anna.events.get(kind=Kind.SIGNED_IN)
    assert event.actor == anna
    assert describe(event) == "With a password"


def test_a_link_sign_in_records_the_link_method(client, store, anna, smtp_sink):
    client.post("/account/login/link/", {"email": "anna@example.com"})
    path = emailed(smtp_sink, "anna@example.com", LINK_PATH)

    response = client.post(path)

    assert response.status_code == 302
    assert sign_ins(anna) == [{"method": "link", "store_id": store.pk}]


def test_a_code_sign_in_records_the_code_method(client, store, anna, smtp_sink):
    client.post("/account/login/code/", {"email": "anna@example.com"})
    deliver_due_emails()
    text = smtp_sink.text_of(smtp_sink.to("anna@example.com")[-1])
    code = re.search(r"^\s*([A-Z0-9-]{4,})\s*$", text, re.MULTILINE).group(1)

    response = client.post("/account/login/code/confirm/", {"code": code})

    assert response.status_code == 302
    assert sign_ins(anna) == [{"method": "code", "store_id": store.pk}]


def test_accepting_an_invitation_records_the_invitation_method(client, store, merchant, smtp_sink):
    jan = actions.create_customer(store=store, email="jan@example.com", actor=None)
    invitations.invite_customer(jan, store=store, actor=merchant)
    path = emailed(smtp_sink, "jan@example.com", INVITATION_PATH)

    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert sign_ins(jan) == [{"method": "invitation", "store_id": store.pk}]


def test_a_passwordless_passkey_is_the_passkey_method_and_a_second_factor_is_not():
    # allauth's own records, as its passkey login and 2FA stage write them.
    passkey = [{"method": "mfa", "type": "webauthn", "passwordless": True, "at": 1.0}]
    password_then_app = [
        {"method": "password", "email": "anna@example.com", "at": 1.0},
        {"method": "mfa", "type": "totp", "id": 1, "at": 2.0},
    ]

    assert signin_method(passkey) == "passkey"
    assert signin_method(password_then_app) == "password"


def test_a_wrong_password_records_a_failed_attempt_for_that_account_only(
    client, store, anna, make_account_holder
):
    bea = make_account_holder(store, "bea@example.com")

    response = client.post(LOGIN, {"login": "anna@example.com", "password": PASSWORD + "x"})

    assert response.status_code == 200
    failed = anna.events.get(kind=Kind.SIGNIN_FAILED)
    assert failed.data == {"method": "password", "store_id": store.pk}
    assert failed.actor is None
    assert describe(failed) == "Wrong password"
    assert sign_ins(anna) == []
    assert not bea.events.filter(kind=Kind.SIGNIN_FAILED).exists()


def test_a_wrong_password_for_an_unknown_email_records_nothing(client, store, anna):
    before = CustomerEvent.objects.count()

    response = client.post(LOGIN, {"login": "nobody@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert CustomerEvent.objects.count() == before


def test_a_password_reset_request_is_on_the_trail_of_that_account_only(
    client, store, anna, smtp_sink
):
    before = CustomerEvent.objects.count()

    client.post("/account/password/reset/", {"email": "nobody@example.com"})
    assert CustomerEvent.objects.count() == before
    response = client.post("/account/password/reset/", {"email": "anna@example.com"})

    assert response.status_code == 302
    requested = anna.events.get(kind=Kind.PASSWORD_RESET_REQUESTED)
    assert requested.data == {"store_id": store.pk}
    assert CustomerEvent.objects.count() == before + 1


def test_the_customer_page_shows_the_sign_in_in_the_shops_time_zone_named(
    client, store, anna, merchant_client
):
    # Stored in UTC; the back office shows it in TIME_ZONE (Europe/Amsterdam,
    # CET in December), so 09:15 UTC reads 10:15 CET.
    with time_machine.travel(datetime(2026, 12, 2, 9, 15, tzinfo=UTC), tick=False):
        client.post(LOGIN, {"login": "anna@example.com", "password": PASSWORD})

    page = merchant_client.get(
        reverse("backoffice:customers_customer_change", args=[anna.pk])
    ).content.decode()

    assert anna.events.get(kind=Kind.SIGNED_IN).created_at == datetime(
        2026, 12, 2, 9, 15, tzinfo=UTC
    )
    assert (
        '<td data-label="When"><time datetime="2026-12-02T10:15:00+01:00">'
        "Dec. 2, 2026, 10:15 a.m. CET</time></td>\n"
        '      <td data-label="Event">Signed in</td>\n'
        '      <td data-label="By">anna@example.com</td>\n'
        '      <td data-label="Details">With a password</td>'
    ) in page
