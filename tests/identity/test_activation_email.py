"""The email that confirms a sign-up says what it is for: activating the
account at this store, and in a manual-approval store that the shop reviews
the registration after the confirmation. It goes out in the customer's
language (English text asserted; German is being translated)."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.conftest import PASSWORD

CONFIRM_LINK = re.compile(r"http://testserver(/account/confirm-email/[^\s]+/)")


def sign_up(client: Client, email: str, **extra: str) -> None:
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "Nina",
            "last_name": "Jansen",
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            **extra,
        },
    )
    assert response.status_code == 302


def activation_email(smtp_sink, email: str):
    deliver_due_emails()
    (message,) = smtp_sink.to(email)
    return message, smtp_sink.text_of(message)


@pytest.mark.parametrize("mode", [Store.SignupMode.FREE, Store.SignupMode.ACTIVATION_LINK])
def test_activation_email_says_activate_your_account_at_the_store(client, store, smtp_sink, mode):
    store_actions.update_store(store, signup_mode=mode)

    sign_up(client, "nina@example.com")

    message, text = activation_email(smtp_sink, "nina@example.com")
    assert message["Subject"] == f"Activate your account at {store.name}"
    assert (
        f"Thank you for registering at {store.name}. Confirm your email address "
        f"to activate your account at {store.name}." in text
    )
    assert CONFIRM_LINK.search(text)
    assert "After you confirm, you can sign in with your email address and password." in text
    assert "the shop reviews your registration" not in text
    assert "You're receiving this email because" not in text


def test_activation_email_of_an_approval_store_says_the_shop_reviews_the_registration(
    client, store, smtp_sink
):
    store_actions.update_store(store, signup_mode=Store.SignupMode.APPROVAL)

    sign_up(client, "bo@example.com", first_name="Bo", last_name="Berg", customer_type="private")

    message, text = activation_email(smtp_sink, "bo@example.com")
    assert message["Subject"] == f"Activate your account at {store.name}"
    assert text.startswith("Hello Bo,")
    assert (
        "After you confirm, the shop reviews your registration. "
        "We will email you as soon as it has been decided." in text
    )
    assert CONFIRM_LINK.search(text)


def test_activation_email_of_a_passwordless_sign_up_says_how_to_sign_in(client, store, smtp_sink):
    store_actions.update_store(store, signup_without_password=True, signin_with_code=True)

    client.post(
        reverse("account_signup"),
        {"first_name": "Nina", "last_name": "Jansen", "email": "nina@example.com"},
    )

    _message, text = activation_email(smtp_sink, "nina@example.com")
    assert "you sign in with a code or link we send you by email: no password needed" in text


def test_activation_email_goes_out_in_the_customers_language(client, store, smtp_sink):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    sign_up(client, "jonas@example.com")

    assert Customer.objects.get(email="jonas@example.com").language == "de"
    outbound = OutboundEmail.objects.get(recipient="jonas@example.com")
    assert outbound.language == "de"
    assert outbound.kind == "email_confirmation_signup"
    _message, text = activation_email(smtp_sink, "jonas@example.com")
    assert CONFIRM_LINK.search(text)
    assert store.name in text


def test_the_activation_link_in_the_email_activates_the_account(client, store, smtp_sink):
    sign_up(client, "nina@example.com")
    _message, text = activation_email(smtp_sink, "nina@example.com")

    link = CONFIRM_LINK.search(text).group(1)
    assert Client().post(link).status_code == 302

    assert Customer.objects.get(email="nina@example.com").account_state == (
        Customer.AccountState.ACTIVE
    )


def test_a_sign_in_before_activation_sends_the_activation_email_again(client, store, smtp_sink):
    sign_up(Client(), "nina@example.com")
    deliver_due_emails()
    cache.clear()  # allauth sends a confirmation at most every 3 minutes

    client.post(reverse("account_login"), {"login": "nina@example.com", "password": PASSWORD})

    deliver_due_emails()
    _first, again = smtp_sink.to("nina@example.com")
    assert again["Subject"] == f"Activate your account at {store.name}"
    text = smtp_sink.text_of(again)
    assert f"to activate your account at {store.name}." in text
    assert CONFIRM_LINK.search(text)


def test_an_address_added_in_my_account_gets_the_plain_confirmation(
    client, store, make_account_holder, smtp_sink
):
    anna = make_account_holder(store, "anna@example.com")
    client.force_login(anna)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    client.post(reverse("account_email"), {"action_add": "", "email": "anna@work.example"})

    deliver_due_emails()
    (message,) = smtp_sink.to("anna@work.example")
    assert message["Subject"] == f"Confirm your email address for {store.name}"
    assert "activate your account" not in smtp_sink.text_of(message)
    assert CONFIRM_LINK.search(smtp_sink.text_of(message))
