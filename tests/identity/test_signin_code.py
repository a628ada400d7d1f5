"""Signing in with an emailed one-time code (allauth's login by code), scoped
to the store's account realm and a first factor only."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer
from shop_accounts.stores import actions as store_actions

REQUEST_CODE = "/account/login/code/"
CONFIRM_CODE = "/account/login/code/confirm/"


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".testserver"]
    cache.clear()
    yield
    cache.clear()


def emailed_code(smtp_sink, email: str) -> str:
    deliver_due_emails()
    messages = smtp_sink.to(email)
    assert len(messages) == 1
    text = smtp_sink.text_of(messages[-1])
    match = re.search(r"^\s*([A-Z0-9-]{4,})\s*$", text, re.MULTILINE)
    assert match, text
    return match.group(1)


def signed_in_customer(client: Client, host: str = "testserver") -> Customer | None:
    response = client.get(reverse("storefront:my-account"), HTTP_HOST=host)
    user = response.wsgi_request.user
    return user if user.is_authenticated else None


def without_tokens(content: bytes) -> bytes:
    """A page with its per-response CSRF tokens and CSP nonces blanked."""
    return re.sub(rb'(value|nonce)="[^"]*"', rb'\1=""', content)


def test_emailed_code_signs_in(client, store, make_account_holder, smtp_sink):
    anna = make_account_holder(store, "anna@example.com")

    response = client.post(REQUEST_CODE, {"email": "anna@example.com"})
    assert response.status_code == 302
    assert response["Location"] == CONFIRM_CODE
    code = emailed_code(smtp_sink, "anna@example.com")
    response = client.post(CONFIRM_CODE, {"code": code})

    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:my-account")
    assert signed_in_customer(client) == anna


def test_wrong_code_does_not_sign_in(client, store, make_account_holder, smtp_sink):
    make_account_holder(store, "anna@example.com")
    client.post(REQUEST_CODE, {"email": "anna@example.com"})
    code = emailed_code(smtp_sink, "anna@example.com")

    wrong = ("B" if code[0] == "A" else "A") + code[1:]

    response = client.post(CONFIRM_CODE, {"code": wrong})

    assert response.status_code == 200
    assert b"Incorrect code." in response.content
    assert signed_in_customer(client) is None


def test_known_and_unknown_emails_get_the_same_answer(
    client, store, make_account_holder, smtp_sink
):
    make_account_holder(store, "anna@example.com")
    other = Client()

    known = client.post(REQUEST_CODE, {"email": "anna@example.com"})
    unknown = other.post(REQUEST_CODE, {"email": "nobody@example.com"})
    known_page = client.get(known["Location"])
    unknown_page = other.get(unknown["Location"])

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known_page.status_code == unknown_page.status_code == 200
    known_text = without_tokens(known_page.content).replace(b"anna@example.com", b"EMAIL")
    unknown_text = without_tokens(unknown_page.content).replace(b"nobody@example.com", b"EMAIL")
    assert known_text == unknown_text


def test_code_signs_in_the_account_of_this_stores_realm(
    client, store, other_store, make_account_holder, smtp_sink
):
    make_account_holder(store, "anna@example.com")
    other_anna = make_account_holder(other_store, "anna@example.com")

    client.post(REQUEST_CODE, {"email": "anna@example.com"}, HTTP_HOST="other.testserver")
    code = emailed_code(smtp_sink, "anna@example.com")
    client.post(CONFIRM_CODE, {"code": code}, HTTP_HOST="other.testserver")

    assert signed_in_customer(client, host="other.testserver") == other_anna
    assert signed_in_customer(client) is None


def test_no_code_for_an_account_only_in_a_store_with_separate_accounts(
    client, store, other_store, make_account_holder, smtp_sink
):
    make_account_holder(store, "anna@example.com")

    client.post(REQUEST_CODE, {"email": "anna@example.com"}, HTTP_HOST="other.testserver")
    deliver_due_emails()

    texts = [smtp_sink.text_of(m) for m in smtp_sink.to("anna@example.com")]
    assert len(texts) == 1
    assert "Your sign-in code is listed below" not in texts[0]


def test_customer_with_two_factor_is_asked_for_the_second_factor(
    client, store, make_account_holder, smtp_sink
):
    anna = make_account_holder(store, "anna@example.com")
    TOTP.activate(anna, generate_totp_secret())
    client.post(REQUEST_CODE, {"email": "anna@example.com"})
    code = emailed_code(smtp_sink, "anna@example.com")

    response = client.post(CONFIRM_CODE, {"code": code})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_customer(client) is None


def test_code_pages_are_not_found_where_the_store_has_codes_switched_off(
    client, store, make_account_holder, smtp_sink
):
    make_account_holder(store, "anna@example.com")
    store_actions.update_store(store, signin_with_code=False)

    assert client.get(REQUEST_CODE).status_code == 404
    assert client.post(REQUEST_CODE, {"email": "anna@example.com"}).status_code == 404
    assert client.get(CONFIRM_CODE).status_code == 404
    assert deliver_due_emails() == 0
