"""Sign-up without a password, where the store allows it: the form asks for
the email only, the account is opened without a usable password, the emailed
link proves the email and activates it, and the customer signs in with an
emailed code or link and may set a password later in My account."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.conftest import PASSWORD

State = Customer.AccountState
Kind = CustomerEvent.Kind
CONFIRM_LINK = re.compile(r"http://testserver(/account/confirm-email/[^\s]+/)")
SIGNIN_CODE = re.compile(r"^\s*([A-Z0-9-]{4,})\s*$", re.MULTILINE)
VERIFICATION_SENT = "/account/confirm-email/"
REQUEST_CODE = "/account/login/code/"
CONFIRM_CODE = "/account/login/code/confirm/"


@pytest.fixture
def passwordless_store(store: Store) -> Store:
    return store_actions.update_store(
        store, signup_without_password=True, signin_with_code=True, signin_with_link=True
    )


def signup_fields(client: Client) -> set[str]:
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    return set(response.context["form"].fields)


def confirm_email(smtp_sink, email: str) -> None:
    deliver_due_emails()
    message = smtp_sink.to(email)[-1]
    link = CONFIRM_LINK.search(smtp_sink.text_of(message)).group(1)
    assert Client().post(link).status_code == 302


def sign_in_with_code(client: Client, smtp_sink, email: str) -> None:
    assert client.post(REQUEST_CODE, {"email": email})["Location"] == CONFIRM_CODE
    deliver_due_emails()
    code = SIGNIN_CODE.search(smtp_sink.text_of(smtp_sink.to(email)[-1])).group(1)
    response = client.post(CONFIRM_CODE, {"code": code})
    assert response["Location"] == reverse("storefront:my-account")


def signed_in(client: Client) -> Customer | None:
    user = client.get(reverse("storefront:my-account")).wsgi_request.user
    return user if user.is_authenticated else None


def test_passwordless_store_asks_for_the_email_only(client, passwordless_store):
    fields = signup_fields(client)

    assert "email" in fields
    assert "password1" not in fields
    assert "password2" not in fields


def test_store_with_passwords_at_sign_up_asks_for_a_password(client, store):
    assert {"email", "password1", "password2"} <= signup_fields(client)


def test_without_a_code_or_link_sign_in_the_switch_keeps_the_password(client, store):
    store_actions.update_store(
        store, signup_without_password=True, signin_with_code=False, signin_with_link=False
    )

    assert {"password1", "password2"} <= signup_fields(client)


def test_passwordless_sign_up_is_proved_by_the_emailed_link_then_signs_in_with_a_code(
    client, passwordless_store, smtp_sink
):
    response = client.post(
        reverse("account_signup"),
        {"first_name": "Nina", "last_name": "Jansen", "email": "nina@example.com"},
    )

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT
    nina = Customer.objects.get(email="nina@example.com")
    assert nina.account_state == State.AWAITING_ACTIVATION
    assert not nina.has_usable_password()
    assert signed_in(client) is None

    confirm_email(smtp_sink, "nina@example.com")

    nina.refresh_from_db()
    assert nina.account_state == State.ACTIVE
    assert EmailAddress.objects.get(user=nina).verified
    assert list(nina.events.order_by("id").values_list("kind", flat=True)) == [
        Kind.CREATED,
        Kind.ACCOUNT_CREATED,
        Kind.REGISTERED,
        Kind.EMAIL_VERIFIED,
        Kind.ACCOUNT_ACTIVATED,
    ]
    browser = Client()
    sign_in_with_code(browser, smtp_sink, "nina@example.com")
    assert signed_in(browser) == nina


def test_a_password_posted_anyway_is_not_set(client, passwordless_store, smtp_sink):
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
    confirm_email(smtp_sink, "nina@example.com")

    nina = Customer.objects.get(email="nina@example.com")
    assert not nina.has_usable_password()
    browser = Client()
    browser.post(reverse("account_login"), {"login": "nina@example.com", "password": PASSWORD})
    assert signed_in(browser) is None


def test_passwordless_customer_sets_a_password_later_in_my_account(
    client, passwordless_store, smtp_sink
):
    client.post(
        reverse("account_signup"),
        {"first_name": "Nina", "last_name": "Jansen", "email": "nina@example.com"},
    )
    confirm_email(smtp_sink, "nina@example.com")
    browser = Client()
    sign_in_with_code(browser, smtp_sink, "nina@example.com")

    my_account = browser.get(reverse("storefront:my-account"))
    assert reverse("account_set_password").encode() in my_account.content
    assert b"Set a password" in my_account.content
    response = browser.post(
        reverse("account_set_password"), {"password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302
    nina = Customer.objects.get(email="nina@example.com")
    assert nina.check_password(PASSWORD)
    cache.clear()
    fresh = Client()
    fresh.post(reverse("account_login"), {"login": "nina@example.com", "password": PASSWORD})
    assert signed_in(fresh) == nina


def test_approval_store_without_passwords_asks_the_business_data_only(
    client, passwordless_store, smtp_sink
):
    store_actions.update_store(passwordless_store, signup_mode=Store.SignupMode.APPROVAL)
    assert signup_fields(client) >= {"first_name", "last_name", "email", "company_name"}
    assert not signup_fields(client) & {"password1", "password2"}

    response = client.post(
        reverse("account_signup"),
        {"email": "bo@example.com", "first_name": "Bo", "last_name": "Berg"},
    )

    assert response.status_code == 302
    bo = Customer.objects.get(email="bo@example.com")
    assert bo.account_state == State.AWAITING_APPROVAL
    assert not bo.has_usable_password()
    assert bo.first_name == "Bo"


def test_invitation_store_still_has_no_sign_up_form(client, passwordless_store):
    store_actions.update_store(passwordless_store, signup_mode=Store.SignupMode.INVITATION)

    response = client.post(
        reverse("account_signup"),
        {"first_name": "Nina", "last_name": "Jansen", "email": "nina@example.com"},
    )

    assert "<h1>Accounts by invitation only</h1>" in response.content.decode()
    assert not Customer.objects.filter(email="nina@example.com").exists()


def test_passwordless_sign_up_answers_the_same_for_an_email_with_an_account(
    client, passwordless_store, make_account_holder, smtp_sink
):
    anna = make_account_holder(passwordless_store, "anna@example.com")

    known = Client().post(
        reverse("account_signup"),
        {"first_name": "Nina", "last_name": "Jansen", "email": "anna@example.com"},
    )
    unknown = Client().post(
        reverse("account_signup"),
        {"first_name": "Nina", "last_name": "Jansen", "email": "nina@example.com"},
    )

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == VERIFICATION_SENT
    anna.refresh_from_db()
    assert anna.check_password(PASSWORD)
    assert Customer.objects.filter(email="anna@example.com").count() == 1
