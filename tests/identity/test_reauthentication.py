"""Re-authentication before sensitive changes: adding, removing or making
primary an email address, and adding or removing a passkey, ask for the
password again unless it was given in the last 5 minutes (allauth's
ACCOUNT_REAUTHENTICATION_TIMEOUT). A stolen session cannot add the thief's
address and take the account over."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from tests.conftest import PASSWORD

START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=5)
EMAIL_PAGE = reverse("account_email")


def sign_in(email: str) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response["Location"] == reverse("storefront:my-account")
    return client


def reauthenticate(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def asks_for_the_password_again(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("account_reauthenticate")
    )


@pytest.fixture
def anna(store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")
    EmailAddress.objects.create(user=anna, email="anna.work@example.com", verified=True)
    return anna


EMAIL_CHANGES = {
    "add": {"action_add": "", "email": "anna.new@example.com"},
    "remove": {"action_remove": "", "email": "anna.work@example.com"},
    "make primary": {"action_primary": "", "email": "anna.work@example.com"},
}


def addresses(anna) -> dict[str, bool]:
    """Anna's addresses, each with whether it is the primary one."""
    return dict(EmailAddress.objects.filter(user=anna).values_list("email", "primary"))


@pytest.mark.parametrize("change", list(EMAIL_CHANGES))
def test_an_email_change_minutes_after_a_password_sign_in_asks_for_the_password(anna, change):
    before = addresses(anna)
    with time_machine.travel(START, tick=False) as clock:
        client = sign_in("anna@example.com")
        clock.shift(timedelta(minutes=3))

        response = client.post(EMAIL_PAGE, EMAIL_CHANGES[change])

    assert asks_for_the_password_again(response)
    assert addresses(anna) == before
    anna.refresh_from_db()
    assert anna.email == "anna@example.com"


@pytest.mark.parametrize("change", list(EMAIL_CHANGES))
def test_an_email_change_past_the_window_after_a_reauthentication_asks_again(anna, change):
    before = addresses(anna)
    with time_machine.travel(START, tick=False) as clock:
        client = sign_in("anna@example.com")
        reauthenticate(client)
        clock.shift(WINDOW + timedelta(seconds=1))

        response = client.post(EMAIL_PAGE, EMAIL_CHANGES[change])

    assert asks_for_the_password_again(response)
    assert addresses(anna) == before


@pytest.mark.parametrize(
    ("change", "after"),
    [
        (
            "add",
            {
                "anna@example.com": True,
                "anna.work@example.com": False,
                "anna.new@example.com": False,
            },
        ),
        ("remove", {"anna@example.com": True}),
        ("make primary", {"anna@example.com": False, "anna.work@example.com": True}),
    ],
)
def test_an_email_change_within_the_window_after_a_reauthentication_goes_through(
    anna, change, after
):
    with time_machine.travel(START, tick=False) as clock:
        client = sign_in("anna@example.com")
        reauthenticate(client)
        clock.shift(WINDOW - timedelta(seconds=1))

        response = client.post(EMAIL_PAGE, EMAIL_CHANGES[change])

    assert response["Location"] == EMAIL_PAGE
    assert addresses(anna) == after


def test_the_password_given_again_completes_the_change_that_asked_for_it(anna):
    with time_machine.travel(START, tick=False) as clock:
        client = sign_in("anna@example.com")
        clock.shift(timedelta(minutes=10))
        asked = client.post(EMAIL_PAGE, EMAIL_CHANGES["add"])
        assert asks_for_the_password_again(asked)

        client.post(asked["Location"], {"password": PASSWORD})

    assert "anna.new@example.com" in addresses(anna)


def test_adding_a_passkey_past_the_window_asks_for_the_password(anna):
    with time_machine.travel(START, tick=False) as clock:
        client = sign_in("anna@example.com")
        reauthenticate(client)
        assert client.get(reverse("mfa_add_webauthn")).status_code == 200
        clock.shift(WINDOW + timedelta(seconds=1))

        response = client.get(reverse("mfa_add_webauthn"))

    assert asks_for_the_password_again(response)


def test_removing_a_passkey_past_the_window_asks_for_the_password(anna):
    with time_machine.travel(START, tick=False) as clock:
        client = sign_in("anna@example.com")
        passkey = Authenticator.objects.create(
            user=anna, type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop", "credential": {}}
        )
        reauthenticate(client)
        clock.shift(WINDOW + timedelta(seconds=1))

        response = client.post(reverse("mfa_remove_webauthn", args=[passkey.pk]))

    assert asks_for_the_password_again(response)
    assert Authenticator.objects.filter(pk=passkey.pk).exists()


# --- Customers without a password or authenticator ------------------------------------
# allauth has nothing to ask them again; their sign-in itself must be recent.

SIGNIN_CODE = re.compile(r"^\s*([A-Z0-9-]{4,})\s*$", re.MULTILINE)


@pytest.fixture
def nina(store, make_account_holder):
    return make_account_holder(store, "nina@example.com", password=None)


def sign_in_with_code(smtp_sink, email: str) -> Client:
    client = Client()
    assert client.post(reverse("account_request_login_code"), {"email": email}).status_code == 302
    deliver_due_emails()
    code = SIGNIN_CODE.search(smtp_sink.text_of(smtp_sink.to(email)[-1])).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response["Location"] == reverse("storefront:my-account")
    return client


def signed_in_as(client: Client) -> str | None:
    user = client.get(reverse("storefront:my-account")).wsgi_request.user
    return user.email if user.is_authenticated else None


def test_without_a_password_an_email_change_soon_after_signing_in_goes_through(nina, smtp_sink):
    with time_machine.travel(START, tick=False) as clock:
        client = sign_in_with_code(smtp_sink, "nina@example.com")
        clock.shift(WINDOW - timedelta(seconds=1))

        response = client.post(EMAIL_PAGE, {"action_add": "", "email": "nina.new@example.com"})

    assert response["Location"] == EMAIL_PAGE
    assert "nina.new@example.com" in addresses(nina)


def test_without_a_password_an_email_change_past_the_window_asks_to_sign_in_again(nina, smtp_sink):
    with time_machine.travel(START, tick=False) as clock:
        client = sign_in_with_code(smtp_sink, "nina@example.com")
        clock.shift(WINDOW + timedelta(seconds=1))
        assert client.get(EMAIL_PAGE).status_code == 200

        response = client.post(EMAIL_PAGE, {"action_add": "", "email": "nina.new@example.com"})

        assert response["Location"] == f"{reverse('account_login')}?next=%2Faccount%2Femail%2F"
        assert signed_in_as(client) is None
    assert addresses(nina) == {"nina@example.com": True}
    page = client.get(response["Location"]).content.decode()
    assert "For your security, sign in again before you change your email addresses" in page


def test_without_a_password_adding_a_passkey_past_the_window_asks_to_sign_in_again(nina, smtp_sink):
    with time_machine.travel(START, tick=False) as clock:
        client = sign_in_with_code(smtp_sink, "nina@example.com")
        assert client.get(reverse("mfa_add_webauthn")).status_code == 200
        clock.shift(WINDOW + timedelta(seconds=1))

        response = client.get(reverse("mfa_add_webauthn"))

        assert response["Location"] == (
            f"{reverse('account_login')}?next=%2Faccount%2F2fa%2Fwebauthn%2Fadd%2F"
        )
        assert signed_in_as(client) is None
