"""Staff reach the back office only through the storefront's own sign-in,
with their second factor: staff without an authenticator app or passkey are
sent to set one up, and a password alone never opens the back office."""

from datetime import UTC, datetime
from io import StringIO

import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from shop_accounts.backoffice.management.commands import load_demo_data
from shop_accounts.customers.models import Customer
from shop_accounts.identity.actions import record_verified_email
from shop_accounts.stores import actions as store_actions
from tests.conftest import MERCHANT_TOTP_SECRET, PASSWORD
from tests.totp import current_totp

LOGIN = "/account/login/"
BACKOFFICE = "/backoffice/"


def sign_in_with_password(client: Client, email: str) -> str:
    response = client.post(LOGIN, {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


def staff_without_second_factor(store) -> Customer:
    staff = Customer.objects.create_superuser("clerk@example.com", PASSWORD, store=store)
    record_verified_email(staff)
    return staff


def test_staff_sign_in_with_password_and_authenticator_code_opens_the_back_office(
    client, store, merchant
):
    assert sign_in_with_password(client, merchant.email) == reverse("mfa_authenticate")
    response = client.post(
        reverse("mfa_authenticate"), {"code": current_totp(MERCHANT_TOTP_SECRET)}
    )

    assert response.status_code == 302
    page = client.get(BACKOFFICE)
    assert page.status_code == 200
    assert page.wsgi_request.user == merchant


def test_a_password_alone_does_not_open_the_back_office(client, store, merchant):
    sign_in_with_password(client, merchant.email)

    response = client.get(BACKOFFICE, follow=True)

    # The sign-in page sends the pending sign-in back to its second step.
    assert [url for url, _status in response.redirect_chain] == [
        "/backoffice/login/?next=/backoffice/",
        f"{LOGIN}?next=%2Fbackoffice%2F",
        reverse("mfa_authenticate"),
    ]
    assert not response.wsgi_request.user.is_authenticated


def test_a_wrong_authenticator_code_does_not_open_the_back_office(client, store, merchant):
    sign_in_with_password(client, merchant.email)

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert response.status_code == 200
    assert b"Incorrect code." in response.content
    assert client.get(BACKOFFICE).status_code == 302


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, store):
    staff = staff_without_second_factor(store)
    assert sign_in_with_password(client, staff.email) == reverse("storefront:my-account")

    response = client.get(BACKOFFICE, follow=True)

    assert response.redirect_chain[-1][0] == reverse("mfa_index")
    assert response.status_code == 200
    assert b"The back office needs two-factor authentication." in response.content
    assert client.get(reverse("backoffice:customers_customer_changelist")).status_code == 302


def test_staff_who_set_up_an_authenticator_app_may_enter(client, store):
    staff = staff_without_second_factor(store)
    client.force_login(staff)
    assert client.get(BACKOFFICE).status_code == 302

    TOTP.activate(staff, MERCHANT_TOTP_SECRET)

    assert client.get(BACKOFFICE).status_code == 200


def test_staff_with_a_passkey_may_enter(client, store):
    staff = staff_without_second_factor(store)
    Authenticator.objects.create(
        user=staff, type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop", "credential": {}}
    )
    client.force_login(staff)

    assert client.get(BACKOFFICE).status_code == 200


def test_staff_recovery_codes_alone_do_not_count(client, store):
    staff = staff_without_second_factor(store)
    Authenticator.objects.create(
        user=staff, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x", "used_mask": 0}
    )
    client.force_login(staff)

    assert client.get(BACKOFFICE).status_code == 302


def test_staff_are_asked_for_their_second_factor_where_the_store_has_it_off(
    client, store, merchant
):
    store_actions.update_store(store, two_factor="off")

    assert sign_in_with_password(client, merchant.email) == reverse("mfa_authenticate")
    assert client.get(BACKOFFICE).status_code == 302


def test_customers_are_not_let_into_the_back_office(client, store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")
    TOTP.activate(anna, MERCHANT_TOTP_SECRET)
    client.force_login(anna)

    response = client.get(BACKOFFICE, follow=True)

    assert response.redirect_chain[-1][0] == reverse("storefront:my-account")
    assert b"The back office is only for the shop&#x27;s staff." in response.content


def test_demo_merchant_enters_the_back_office_with_the_printed_authenticator_code(client, db):
    printed = StringIO()
    call_command("load_demo_data", stdout=printed)
    assert load_demo_data.MERCHANT_TOTP_SECRET in printed.getvalue()
    assert "manage.py demo_totp_code" in printed.getvalue()

    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC), tick=True):
        code_output = StringIO()
        call_command("demo_totp_code", stdout=code_output)
        code = code_output.getvalue().split()[0]
        response = client.post(
            LOGIN,
            {"login": load_demo_data.MERCHANT_EMAIL, "password": load_demo_data.MERCHANT_PASSWORD},
        )
        assert response["Location"] == reverse("mfa_authenticate")
        client.post(reverse("mfa_authenticate"), {"code": code})

        assert client.get(BACKOFFICE).status_code == 200
