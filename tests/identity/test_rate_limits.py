"""Rate limits on every credential form and every emailed token
(settings.ACCOUNT_RATE_LIMITS): over a limit the page answers 429 with a
translated explanation; limits are time windows, so the owner gets in again."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from allauth.account import app_settings as account_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer
from tests.conftest import PASSWORD
from tests.totp import current_totp

WRONG = "not the password at all"
NEW_PASSWORD = "a brand new passphrase"
TOO_MANY = "Be patient, you are sending too many requests."


@pytest.fixture
def limits(settings):
    """Shorten some limits for one test."""

    def set_limits(**rates: str) -> None:
        settings.ACCOUNT_RATE_LIMITS = {**django_settings.ACCOUNT_RATE_LIMITS, **rates}

    return set_limits


def sign_in(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def signed_in_customer(client: Client) -> Customer | None:
    user = client.get(reverse("storefront:my-account")).wsgi_request.user
    return user if user.is_authenticated else None


def signed_in(email: str) -> Client:
    client = Client()
    assert sign_in(client, email, PASSWORD).status_code == 302
    return client


def test_every_credential_form_and_emailed_token_has_a_limit():
    for action in [
        "login",
        "login_failed",
        "signup",
        "reset_password",
        "reset_password_from_key",
        "confirm_email",
        "request_login_code",
        "request_signin_link",
        "change_password",
        "manage_email",
        "reauthenticate",
    ]:
        assert account_settings.RATE_LIMITS[action], action


def test_a_limit_is_overridden_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ACCOUNT_RATE_LIMITS['login_failed'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shop_accounts.settings",
        "SHOP_TESTING": "1",
        "SHOP_RATE_LIMIT_LOGIN_FAILED": "7/h/ip",
    }

    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "7/h/ip"


def test_sign_in_posts_over_the_limit_get_the_429_page(store, limits):
    limits(login="2/m/ip")
    client = Client()
    sign_in(client, "anna@example.com", WRONG)
    sign_in(client, "anna@example.com", WRONG)

    response = sign_in(client, "anna@example.com", WRONG)

    assert response.status_code == 429
    page = response.content.decode()
    assert "<h1>Too many attempts</h1>" in page
    assert TOO_MANY in page
    assert page.count("<main") == 1


def test_429_page_is_in_the_visitors_language(store, limits):
    limits(login="1/m/ip")
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "de"
    sign_in(client, "anna@example.com", WRONG)

    response = sign_in(client, "anna@example.com", WRONG)

    assert response.status_code == 429
    assert '<html lang="de">' in response.content.decode()
    assert (
        "Bitte haben Sie etwas Geduld: Sie senden zu viele Anfragen." in response.content.decode()
    )


def test_failed_sign_ins_of_one_account_slow_down_but_do_not_lock_the_owner_out(
    store, make_account_holder, limits
):
    anna = make_account_holder(store, "anna@example.com")
    limits(login_failed="10/m/ip,3/5m/key")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _attempt in range(3):
            assert sign_in(Client(), "anna@example.com", WRONG).status_code == 200

        refused = sign_in(Client(), "anna@example.com", PASSWORD)

        assert refused.status_code == 429
        assert "Too many failed login attempts. Try again later." in refused.content.decode()
        clock.shift(timedelta(minutes=5, seconds=1))
        client = Client()
        assert sign_in(client, "anna@example.com", PASSWORD).status_code == 302
        assert signed_in_customer(client) == anna


def test_failed_sign_ins_of_one_account_do_not_slow_down_another(
    store, make_account_holder, limits
):
    make_account_holder(store, "anna@example.com")
    make_account_holder(store, "ben@example.com")
    limits(login_failed="10/m/ip,3/5m/key")
    for _attempt in range(3):
        sign_in(Client(), "anna@example.com", WRONG)

    assert sign_in(Client(), "ben@example.com", PASSWORD).status_code == 302


def test_sign_ups_over_the_limit_get_429(store, limits):
    limits(signup="1/m/ip")
    data = {
        "first_name": "Nina",
        "last_name": "Jansen",
        "email": "nina@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    Client().post(reverse("account_signup"), data)

    response = Client().post(reverse("account_signup"), {**data, "email": "olga@example.com"})

    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert not Customer.objects.filter(email="olga@example.com").exists()


@pytest.mark.parametrize("email", ["anna@example.com", "nobody@example.com"])
def test_password_reset_requests_for_one_email_over_the_limit_get_429(
    store, make_account_holder, smtp_sink, limits, email
):
    make_account_holder(store, "anna@example.com")
    limits(reset_password="20/m/ip,2/m/key")
    for _attempt in range(2):
        Client().post(reverse("account_reset_password"), {"email": email})

    response = Client().post(reverse("account_reset_password"), {"email": email})

    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    deliver_due_emails()
    assert len(smtp_sink.to(email)) == 2


def test_password_reset_link_posts_over_the_limit_get_429(store, limits):
    limits(reset_password_from_key="1/m/ip")
    url = "/account/password/reset/key/1-set-password/"
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    Client().post(url, data)

    assert Client().post(url, data).status_code == 429


def test_sign_in_code_requests_for_one_email_over_the_limit_get_429(
    store, make_account_holder, smtp_sink, limits
):
    make_account_holder(store, "anna@example.com")
    limits(request_login_code="20/m/ip,2/m/key")
    for _attempt in range(2):
        Client().post(reverse("account_request_login_code"), {"email": "anna@example.com"})

    response = Client().post(reverse("account_request_login_code"), {"email": "anna@example.com"})

    assert response.status_code == 429
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    deliver_due_emails()
    assert len(smtp_sink.to("anna@example.com")) == 2


def test_sign_in_link_requests_over_the_limit_get_429(
    store, make_account_holder, smtp_sink, limits
):
    make_account_holder(store, "anna@example.com")
    limits(request_signin_link="5/m/ip,1/10m/key")
    Client().post(reverse("identity:signin-link-request"), {"email": "anna@example.com"})

    response = Client().post(reverse("identity:signin-link-request"), {"email": "anna@example.com"})

    assert response.status_code == 429
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    deliver_due_emails()
    assert len(smtp_sink.to("anna@example.com")) == 1


def test_password_changes_over_the_limit_get_429(store, make_account_holder, limits):
    anna = make_account_holder(store, "anna@example.com")
    limits(change_password="1/m/user")
    client = signed_in("anna@example.com")
    wrong = {"oldpassword": WRONG, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    client.post(reverse("account_change_password"), wrong)

    response = client.post(reverse("account_change_password"), {**wrong, "oldpassword": PASSWORD})

    assert response.status_code == 429
    anna.refresh_from_db()
    assert anna.check_password(PASSWORD)


def test_email_management_over_the_limit_gets_429(store, make_account_holder, limits):
    make_account_holder(store, "anna@example.com")
    limits(manage_email="1/m/user")
    client = signed_in("anna@example.com")
    client.post(reverse("account_email"), {"action_add": "", "email": "one@example.com"})

    response = client.post(reverse("account_email"), {"action_add": "", "email": "two@example.com"})

    assert response.status_code == 429
    assert not Customer.objects.filter(emailaddress__email="two@example.com").exists()


def test_activation_email_is_not_sent_again_within_the_cooldown(store, smtp_sink):
    data = {
        "first_name": "Nina",
        "last_name": "Jansen",
        "email": "nina@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    with time_machine.travel(timezone.now(), tick=False) as clock:
        Client().post(reverse("account_signup"), data)
        sign_in(Client(), "nina@example.com", NEW_PASSWORD)  # unverified: would resend
        deliver_due_emails()
        assert len(smtp_sink.to("nina@example.com")) == 1

        clock.shift(timedelta(minutes=3, seconds=1))
        sign_in(Client(), "nina@example.com", NEW_PASSWORD)
        deliver_due_emails()
        assert len(smtp_sink.to("nina@example.com")) == 2


def test_wrong_two_factor_codes_over_the_limit_get_429_and_slow_down_only(
    store, make_account_holder, limits
):
    anna = make_account_holder(store, "anna@example.com")
    secret = generate_totp_secret()
    TOTP.activate(anna, secret)
    limits(login_failed="10/m/ip,2/5m/key")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = Client()
        sign_in(client, "anna@example.com", PASSWORD)
        for wrong in ("000000", "111111"):
            assert client.post(reverse("mfa_authenticate"), {"code": wrong}).status_code == 200

        refused = client.post(reverse("mfa_authenticate"), {"code": "222222"})

        assert refused.status_code == 429
        assert "Too many failed login attempts. Try again later." in refused.content.decode()
        clock.shift(timedelta(minutes=5, seconds=1))
        code = current_totp(secret)
        client.post(reverse("mfa_authenticate"), {"code": code})
        assert signed_in_customer(client) == anna
