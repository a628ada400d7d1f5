"""The emailed password-reset and activation links: single use and expiring
after their documented settings (SHOP_PASSWORD_RESET_HOURS,
SHOP_EMAIL_CONFIRMATION_DAYS)."""

import re
from datetime import timedelta

import time_machine
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from tests.conftest import PASSWORD

RESET_LINK = re.compile(r"http://[^\s/]+(/account/password/reset/key/[^\s]+/)")
CONFIRM_LINK = re.compile(r"http://[^\s/]+(/account/confirm-email/[^\s]+/)")
NEW_PASSWORD = "a brand new passphrase for anna"


def emailed_link(smtp_sink, email: str, pattern: re.Pattern) -> str:
    deliver_due_emails()
    (message,) = smtp_sink.to(email)
    return pattern.search(smtp_sink.text_of(message)).group(1)


def reset_link(client, smtp_sink) -> str:
    client.post(reverse("account_reset_password"), {"email": "anna@example.com"})
    return emailed_link(smtp_sink, "anna@example.com", RESET_LINK)


def set_password_with(link: str) -> Client:
    browser = Client()
    form = browser.get(link, follow=True)
    browser.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    return browser


def opens_the_reset_form(link: str) -> bool:
    return 'name="password1"' in Client().get(link, follow=True).content.decode()


def test_reset_link_works_until_its_lifetime_runs_out(
    client, store, make_account_holder, smtp_sink
):
    make_account_holder(store, "anna@example.com")
    link = reset_link(client, smtp_sink)

    with time_machine.travel(timedelta(hours=23, minutes=50)):
        assert opens_the_reset_form(link)
    with time_machine.travel(timedelta(hours=24, minutes=10)):
        assert not opens_the_reset_form(link)


def test_reset_lifetime_follows_the_setting(
    client, store, make_account_holder, smtp_sink, settings
):
    settings.PASSWORD_RESET_TIMEOUT = 60 * 60  # SHOP_PASSWORD_RESET_HOURS=1
    make_account_holder(store, "anna@example.com")
    link = reset_link(client, smtp_sink)

    with time_machine.travel(timedelta(hours=2)):
        assert not opens_the_reset_form(link)


def test_reset_link_works_once(client, store, make_account_holder, smtp_sink):
    anna = make_account_holder(store, "anna@example.com")
    link = reset_link(client, smtp_sink)

    set_password_with(link)

    anna.refresh_from_db()
    assert anna.check_password(NEW_PASSWORD)
    assert not opens_the_reset_form(link)


def sign_up(client) -> None:
    client.post(
        reverse("account_signup"),
        {
            "first_name": "Nina",
            "last_name": "Jansen",
            "email": "nina@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def test_activation_link_expires_after_its_lifetime(client, store, smtp_sink):
    sign_up(client)
    link = emailed_link(smtp_sink, "nina@example.com", CONFIRM_LINK)

    with time_machine.travel(timedelta(days=3, hours=1)):
        response = Client().post(link)

    assert response.status_code == 404
    assert not EmailAddress.objects.filter(email="nina@example.com", verified=True).exists()


def test_activation_link_works_within_its_lifetime(client, store, smtp_sink):
    sign_up(client)
    link = emailed_link(smtp_sink, "nina@example.com", CONFIRM_LINK)

    with time_machine.travel(timedelta(days=2, hours=23)):
        Client().post(link)

    assert EmailAddress.objects.filter(email="nina@example.com", verified=True).exists()
