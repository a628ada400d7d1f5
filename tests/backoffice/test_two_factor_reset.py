"""The merchant sees a customer's two-factor methods and resets them for a
customer who lost their phone, after re-entering their OWN authenticator
code: a wrong code removes nothing; a right one removes every method, emails
the customer and records who did it; the customer signs in and sets up again."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer, CustomerEvent
from tests.conftest import MERCHANT_TOTP_SECRET, PASSWORD
from tests.totp import current_totp

CUSTOMER_SECRET = "KRUGS4ZANFZSA5DIMUQHG3DPMVRXEZLU"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anna(store, make_account_holder) -> Customer:
    anna = make_account_holder(store, "anna@example.com", first_name="Anna")
    TOTP.activate(anna, CUSTOMER_SECRET)
    RecoveryCodes.activate(anna)
    Authenticator.objects.create(
        user=anna, type=Authenticator.Type.WEBAUTHN, data={"name": "Anna's phone"}
    )
    return anna


def reset_url(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_reset_two_factor", args=[customer.pk])


def kinds(customer: Customer) -> list[str]:
    return sorted(Authenticator.objects.filter(user=customer).values_list("type", flat=True))


def test_the_customer_page_lists_the_methods_without_secrets(anna, merchant_client):
    page = merchant_client.get(
        reverse("backoffice:customers_customer_change", args=[anna.pk])
    ).content.decode()

    assert '<th scope="row">Authenticator app</th>' in page
    assert '<th scope="row">Recovery codes (10 left)</th>' in page
    assert "Passkey: Anna&#x27;s phone" in page
    assert f'href="{reset_url(anna)}">Reset two-factor</a>' in page
    assert CUSTOMER_SECRET not in page


def test_a_wrong_own_code_removes_nothing(anna, merchant_client, smtp_sink):
    right = current_totp(MERCHANT_TOTP_SECRET)
    wrong = ("1" if right[0] != "1" else "2") + right[1:]

    response = merchant_client.post(reset_url(anna), {"code": wrong})

    assert response.status_code == 400
    assert (
        "That is not a current code of your authenticator app, or it was used already."
        in response.content.decode()
    )
    assert kinds(anna) == ["recovery_codes", "totp", "webauthn"]
    assert not anna.events.filter(kind=CustomerEvent.Kind.TWO_FACTOR_RESET).exists()
    deliver_due_emails()
    assert smtp_sink.to("anna@example.com") == []


def test_the_customers_code_is_not_the_merchants_own(anna, merchant_client):
    response = merchant_client.post(reset_url(anna), {"code": current_totp(CUSTOMER_SECRET)})

    assert response.status_code == 400
    assert kinds(anna) == ["recovery_codes", "totp", "webauthn"]


def test_the_right_own_code_removes_every_method_emails_and_records_the_merchant(
    anna, merchant, merchant_client, smtp_sink
):
    confirm = merchant_client.get(reset_url(anna))
    assert confirm.status_code == 200
    assert "This removes 3 two-factor methods of anna@example.com." in confirm.content.decode()

    response = merchant_client.post(reset_url(anna), {"code": current_totp(MERCHANT_TOTP_SECRET)})

    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:customers_customer_change", args=[anna.pk])
    assert kinds(anna) == []
    event = anna.events.get(kind=CustomerEvent.Kind.TWO_FACTOR_RESET)
    assert event.actor == merchant
    assert event.data == {"removed": ["recovery_codes", "totp", "webauthn"]}
    deliver_due_emails()
    [message] = smtp_sink.to("anna@example.com")
    assert message["Subject"] == "Two-factor authentication was reset for your Test Shop account"
    assert "Hello Anna," in smtp_sink.text_of(message)
    assert "http://testserver/account/login/" in smtp_sink.text_of(message)

    # The customer signs in with the password alone and sets up again.
    customer = Client()
    signed_in = customer.post(
        "/account/login/", {"login": "anna@example.com", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("storefront:my-account")
    activate = "/account/2fa/totp/activate/"
    customer.post(f"/account/reauthenticate/?next={activate}", {"password": PASSWORD})
    setup = customer.get(activate)
    assert setup.status_code == 200
    new_secret = setup.context["form"].secret
    activated = customer.post(activate, {"code": current_totp(new_secret)})
    assert activated.status_code == 302
    assert kinds(anna) == ["recovery_codes", "totp"]  # allauth adds fresh codes


def test_the_trail_says_what_was_removed_and_by_whom(anna, merchant, merchant_client):
    merchant_client.post(reset_url(anna), {"code": current_totp(MERCHANT_TOTP_SECRET)})

    page = merchant_client.get(
        reverse("backoffice:customers_customer_change", args=[anna.pk])
    ).content.decode()

    assert (
        '<td data-label="Event">Two-factor authentication reset</td>\n'
        '      <td data-label="By">merchant@example.com</td>\n'
        '      <td data-label="Details">'
        "Removed: Recovery codes, Authenticator app, Passkey</td>"
    ) in page


def test_a_customer_without_two_factor_has_nothing_to_reset(
    store, make_account_holder, merchant_client
):
    ben = make_account_holder(store, "ben@example.com")

    page = merchant_client.get(
        reverse("backoffice:customers_customer_change", args=[ben.pk])
    ).content.decode()
    response = merchant_client.post(
        reset_url(ben), {"code": current_totp(MERCHANT_TOTP_SECRET)}, follow=True
    )

    assert "No two-factor method is set up." in page
    assert reset_url(ben) not in page
    assert "This customer has no two-factor methods to reset." in response.content.decode()
    assert not ben.events.filter(kind=CustomerEvent.Kind.TWO_FACTOR_RESET).exists()
