"""The hard cap on consecutive failures per account and sign-in method (NIST
800-63B): at the cap (SHOP_FACTOR_FAILURE_LIMIT, 3 here) that method is
locked and the customer emailed; the other ways in keep working; a password
reset unlocks everything; a success starts the count again."""

import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.identity.models import FactorFailures
from tests.conftest import PASSWORD
from tests.totp import current_totp

Factor = FactorFailures.Factor
Kind = CustomerEvent.Kind
WRONG = "not the password at all"
LINK_URL = re.compile(r"http://[^\s/]+(/account/login/link/[A-Za-z0-9_\-]+/)")
RESET_LINK = re.compile(r"http://testserver(/account/password/reset/key/[^\s]+/)")
CODE = re.compile(r"^\s*([A-Z0-9-]{4,})\s*$", re.MULTILINE)


@pytest.fixture(autouse=True)
def limit_of_three(monkeypatch):
    monkeypatch.setenv("SHOP_FACTOR_FAILURE_LIMIT", "3")
    cache.clear()
    yield
    cache.clear()


def sign_in(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def signed_in_customer(client: Client) -> Customer | None:
    user = client.get(reverse("storefront:my-account")).wsgi_request.user
    return user if user.is_authenticated else None


def locked(customer: Customer) -> list[str]:
    return sorted(
        FactorFailures.objects.filter(customer=customer, locked_at__isnull=False).values_list(
            "factor", flat=True
        )
    )


def mails(smtp_sink, email: str) -> list:
    deliver_due_emails()
    return smtp_sink.to(email)


def test_password_is_locked_after_the_limit_of_consecutive_failures(
    store, make_account_holder, smtp_sink
):
    anna = make_account_holder(store, "anna@example.com")
    for _attempt in range(3):
        sign_in(Client(), "anna@example.com", WRONG)

    client = Client()
    sign_in(client, "anna@example.com", PASSWORD)

    assert signed_in_customer(client) is None
    assert locked(anna) == [Factor.PASSWORD]
    event = CustomerEvent.objects.get(customer=anna, kind=Kind.FACTOR_LOCKED)
    assert event.data == {"factor": "password", "failures": 3}


def test_customer_is_emailed_when_a_method_is_locked(store, make_account_holder, smtp_sink):
    make_account_holder(store, "anna@example.com", first_name="Anna")
    for _attempt in range(3):
        sign_in(Client(), "anna@example.com", WRONG)

    (message,) = mails(smtp_sink, "anna@example.com")

    assert message["Subject"] == "A way of signing in to Test Shop was locked"
    text = smtp_sink.text_of(message)
    assert "Hello Anna," in text
    assert "Your password was entered wrongly 3 times in a row" in text
    assert "http://testserver/account/password/reset/" in text


def test_lock_email_is_in_the_customers_language(store, make_account_holder, smtp_sink):
    make_account_holder(store, "anna@example.com", language="de")
    for _attempt in range(3):
        sign_in(Client(), "anna@example.com", WRONG)
    mails(smtp_sink, "anna@example.com")

    email = OutboundEmail.objects.get(recipient="anna@example.com", kind="factor_locked")

    assert email.language == "de"
    assert email.status == OutboundEmail.Status.SENT
    (message,) = smtp_sink.to("anna@example.com")
    assert message["Subject"] == "Eine Anmeldemöglichkeit bei Test Shop wurde gesperrt"


def test_more_failures_on_a_locked_method_send_no_more_emails(
    store, make_account_holder, smtp_sink
):
    anna = make_account_holder(store, "anna@example.com")
    for _attempt in range(4):
        sign_in(Client(), "anna@example.com", WRONG)

    assert len(mails(smtp_sink, "anna@example.com")) == 1
    assert CustomerEvent.objects.filter(customer=anna, kind=Kind.FACTOR_LOCKED).count() == 1


def test_locked_password_answers_like_a_wrong_password(store, make_account_holder):
    make_account_holder(store, "anna@example.com")
    for _attempt in range(3):
        sign_in(Client(), "anna@example.com", WRONG)

    locked_answer = sign_in(Client(), "anna@example.com", PASSWORD)
    wrong_answer = sign_in(Client(), "nobody@example.com", PASSWORD)

    assert locked_answer.status_code == wrong_answer.status_code == 200
    error = "The email address and/or password you specified are not correct."
    assert error in locked_answer.content.decode()
    assert error in wrong_answer.content.decode()


def test_a_success_starts_the_count_again(store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")
    for _round in range(2):
        sign_in(Client(), "anna@example.com", WRONG)
        sign_in(Client(), "anna@example.com", WRONG)
        client = Client()
        sign_in(client, "anna@example.com", PASSWORD)
        assert signed_in_customer(client) == anna

    assert locked(anna) == []
    assert FactorFailures.objects.get(customer=anna, factor=Factor.PASSWORD).consecutive == 0


def test_failures_of_one_account_do_not_lock_another(store, make_account_holder):
    make_account_holder(store, "anna@example.com")
    ben = make_account_holder(store, "ben@example.com")
    for _attempt in range(3):
        sign_in(Client(), "anna@example.com", WRONG)

    client = Client()
    sign_in(client, "ben@example.com", PASSWORD)

    assert signed_in_customer(client) == ben


def test_locked_password_leaves_the_sign_in_link_working(store, make_account_holder, smtp_sink):
    anna = make_account_holder(store, "anna@example.com")
    for _attempt in range(3):
        sign_in(Client(), "anna@example.com", WRONG)
    client = Client()
    client.post(reverse("identity:signin-link-request"), {"email": "anna@example.com"})
    link = LINK_URL.search(smtp_sink.text_of(mails(smtp_sink, "anna@example.com")[-1])).group(1)

    client.post(link)

    assert signed_in_customer(client) == anna
    assert locked(anna) == [Factor.PASSWORD]


def test_password_reset_unlocks_every_method(store, make_account_holder, smtp_sink):
    anna = make_account_holder(store, "anna@example.com")
    for factor in (Factor.PASSWORD, Factor.TOTP):
        FactorFailures.objects.create(
            customer=anna, factor=factor, consecutive=3, locked_at="2026-01-01T00:00Z"
        )
    Client().post(reverse("account_reset_password"), {"email": "anna@example.com"})
    link = RESET_LINK.search(smtp_sink.text_of(mails(smtp_sink, "anna@example.com")[-1])).group(1)
    client = Client()
    form_url = client.get(link, follow=True).wsgi_request.path
    new_password = "a brand new passphrase"

    client.post(form_url, {"password1": new_password, "password2": new_password})

    assert locked(anna) == []
    unlocked = CustomerEvent.objects.filter(customer=anna, kind=Kind.FACTOR_UNLOCKED)
    assert sorted(event.data["factor"] for event in unlocked) == ["password", "totp"]
    fresh = Client()
    sign_in(fresh, "anna@example.com", new_password)
    assert signed_in_customer(fresh) == anna


# --- the second step: authenticator app and recovery codes ------------------------


@pytest.fixture
def anna_with_2fa(store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")
    secret = generate_totp_secret()
    TOTP.activate(anna, secret)
    codes = RecoveryCodes.activate(anna).generate_codes()
    return anna, secret, codes


def at_second_step(email: str = "anna@example.com") -> Client:
    client = Client()
    response = sign_in(client, email, PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    return client


def second_step(client: Client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_authenticator_app_is_locked_after_the_limit(anna_with_2fa, smtp_sink):
    anna, secret, _codes = anna_with_2fa
    client = at_second_step()
    for wrong in ("000000", "111111", "222222"):
        second_step(client, wrong)

    response = second_step(client, current_totp(secret))

    assert "Codes from your authenticator app are locked" in response.content.decode()
    assert signed_in_customer(client) is None
    assert locked(anna) == [Factor.TOTP]
    (message,) = mails(smtp_sink, "anna@example.com")
    assert "authenticator app" in smtp_sink.text_of(message)


def test_locked_authenticator_app_leaves_recovery_codes_working(anna_with_2fa):
    anna, _secret, codes = anna_with_2fa
    FactorFailures.objects.create(
        customer=anna, factor=Factor.TOTP, consecutive=3, locked_at="2026-01-01T00:00Z"
    )
    client = at_second_step()

    second_step(client, codes[0])

    assert signed_in_customer(client) == anna


def test_recovery_codes_are_locked_after_the_limit(anna_with_2fa):
    anna, secret, codes = anna_with_2fa
    client = at_second_step()
    for wrong in ("00000000", "11111111", "22222222"):
        second_step(client, wrong)

    response = second_step(client, codes[0])

    assert "Recovery codes are locked" in response.content.decode()
    assert signed_in_customer(client) is None
    assert locked(anna) == [Factor.RECOVERY_CODE]
    second_step(client, current_totp(secret))
    assert signed_in_customer(client) == anna


# --- emailed sign-in codes ------------------------------------------------------------


def emailed_code(smtp_sink, email: str) -> str:
    return CODE.search(smtp_sink.text_of(mails(smtp_sink, email)[-1])).group(1)


def test_emailed_codes_are_locked_after_the_limit(store, make_account_holder, smtp_sink):
    anna = make_account_holder(store, "anna@example.com")
    client = Client()
    client.post(reverse("account_request_login_code"), {"email": "anna@example.com"})
    for wrong in ("AAAAAA", "BBBBBB", "CCCCCC"):
        client.post(reverse("account_confirm_login_code"), {"code": wrong})
    assert locked(anna) == [Factor.EMAIL_CODE]
    cache.clear()  # past the rate limit on asking for codes

    client = Client()
    client.post(reverse("account_request_login_code"), {"email": "anna@example.com"})
    response = client.post(
        reverse("account_confirm_login_code"), {"code": emailed_code(smtp_sink, "anna@example.com")}
    )

    assert "Incorrect code." in response.content.decode()
    assert signed_in_customer(client) is None
    password_client = Client()
    sign_in(password_client, "anna@example.com", PASSWORD)
    assert signed_in_customer(password_client) == anna
