"""No account enumeration: sign-in, sign-up, password reset and requests for
a sign-in link or code answer with the same status and the same page for an
email that has an account and for one that has none."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer
from tests.conftest import PASSWORD

KNOWN = "anna@example.com"
UNKNOWN = "nobody@example.com"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture(autouse=True)
def anna(store, make_account_holder):
    cache.clear()
    yield make_account_holder(store, KNOWN)
    cache.clear()


def comparable(content: bytes, email: str) -> str:
    """The page without its per-response tokens and nonces, and with the
    typed email blanked (pages may repeat what was typed)."""
    page = re.sub(r'(value|nonce)="[^"]*"', r'\1=""', content.decode())
    return page.replace(email, "EMAIL")


def answers(method_url: str, data_for, follow: bool = True) -> list[tuple[int, list, str]]:
    results = []
    for email in (KNOWN, UNKNOWN):
        response = Client().post(method_url, data_for(email), follow=follow)
        chain = [url for url, _status in getattr(response, "redirect_chain", [])]
        results.append((response.status_code, chain, comparable(response.content, email)))
    return results


def test_sign_in_with_a_wrong_password_answers_like_an_unknown_email(store):
    known, unknown = answers(
        reverse("account_login"), lambda email: {"login": email, "password": "wrong password!"}
    )

    assert known == unknown
    assert known[0] == 200
    assert "The email address and/or password you specified are not correct." in known[2]


def test_password_reset_answers_the_same(store, smtp_sink):
    known, unknown = answers(reverse("account_reset_password"), lambda email: {"email": email})

    assert known == unknown
    assert known[0] == 200
    assert known[1] == [reverse("account_reset_password_done")]


def test_sign_in_link_request_answers_the_same(store, smtp_sink):
    known, unknown = answers(
        reverse("identity:signin-link-request"), lambda email: {"email": email}
    )

    assert known == unknown
    assert known[1] == [reverse("identity:signin-link-sent")]
    deliver_due_emails()
    assert len(smtp_sink.to(KNOWN)) == 1


def test_sign_in_code_request_answers_the_same(store, smtp_sink):
    known, unknown = answers(reverse("account_request_login_code"), lambda email: {"email": email})

    assert known == unknown
    assert known[1] == [reverse("account_confirm_login_code")]


def test_wrong_sign_in_code_answers_the_same(store, smtp_sink):
    pages = []
    for email in (KNOWN, UNKNOWN):
        client = Client()
        client.post(reverse("account_request_login_code"), {"email": email})
        response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
        pages.append((response.status_code, comparable(response.content, email)))

    assert pages[0] == pages[1]
    assert "Incorrect code." in pages[0][1]


def test_sign_up_with_a_taken_email_answers_like_a_new_one(store, smtp_sink):
    known, unknown = answers(
        reverse("account_signup"),
        lambda email: {
            "first_name": "Nina",
            "last_name": "Jansen",
            "email": email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert known == unknown
    assert known[0] == 200
    assert known[1] == [reverse("account_email_verification_sent")]


def test_locked_password_answers_like_an_unknown_email(store, anna, monkeypatch):
    monkeypatch.setenv("SHOP_FACTOR_FAILURE_LIMIT", "1")
    Client().post(reverse("account_login"), {"login": KNOWN, "password": "wrong password!"})

    known, unknown = answers(
        reverse("account_login"), lambda email: {"login": email, "password": PASSWORD}
    )

    assert known == unknown


# --- Sign-up on a taken email: the owner is told, in the store's voice -------------

SIGNUP_WAYS = {
    "password": ("account_signup", {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}),
    "without a password": ("account_signup", {}),
    "passkey": ("account_signup_by_passkey", {}),
}


def sign_up_answers(store, way: str, taken: str, new: str) -> list[tuple[int, list, str]]:
    from shop_accounts.stores import actions as store_actions

    if way == "without a password":
        store_actions.update_store(store, signup_without_password=True)
    url_name, data = SIGNUP_WAYS[way]
    results = []
    for email in (taken, new):
        response = Client().post(
            reverse(url_name),
            {"first_name": "Nina", "last_name": "Jansen", "email": email, **data},
            follow=True,
        )
        chain = [url for url, _status in response.redirect_chain]
        results.append((response.status_code, chain, comparable(response.content, email)))
    return results


@pytest.mark.parametrize("way", list(SIGNUP_WAYS))
def test_sign_up_on_a_taken_email_answers_like_a_new_one_and_tells_the_owner(
    store, anna, smtp_sink, way
):
    taken, new = sign_up_answers(store, way, KNOWN, "nina@example.com")

    assert taken == new
    assert taken[1] == [reverse("account_email_verification_sent")]
    assert "Confirmation email sent to EMAIL." in taken[2]
    deliver_due_emails()
    (to_owner,) = smtp_sink.to(KNOWN)
    text = smtp_sink.text_of(to_owner)
    assert to_owner["From"].addresses[0].display_name == store.name
    assert to_owner["Subject"] == "Someone tried to register at Test Shop with your email address"
    assert f"tried to register at Test Shop with your email address {KNOWN}." in text
    assert "http://testserver/account/login/" in text
    assert "http://testserver/account/password/reset/" in text
    assert "confirm-email" not in text
    assert Customer.objects.filter(email=KNOWN).count() == 1


def test_the_owner_of_a_taken_email_is_told_in_their_language(store, smtp_sink):
    from shop_accounts.customers import actions

    actions.update_customer(Customer.objects.get(email=KNOWN), actor=None, language="de")

    Client().post(
        reverse("account_signup"),
        {
            "first_name": "Nina",
            "last_name": "Jansen",
            "email": KNOWN,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    deliver_due_emails()
    (to_owner,) = smtp_sink.to(KNOWN)
    assert to_owner["Subject"] == (
        "Jemand hat versucht, sich bei Test Shop mit Ihrer E-Mail-Adresse zu registrieren"
    )
    assert "http://testserver/account/login/" in smtp_sink.text_of(to_owner)


def test_sign_up_on_another_accounts_extra_address_answers_like_a_new_one(store, anna, smtp_sink):
    EmailAddress.objects.create(user=anna, email="anna.work@example.com", verified=True)

    taken, new = sign_up_answers(store, "password", "anna.work@example.com", "nina@example.com")

    assert taken == new
    assert not Customer.objects.filter(email="anna.work@example.com").exists()
    deliver_due_emails()
    (to_owner,) = smtp_sink.to("anna.work@example.com")
    assert "tried to register at Test Shop" in smtp_sink.text_of(to_owner)
