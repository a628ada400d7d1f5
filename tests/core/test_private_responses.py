"""Responses that may carry personal data are never stored by a browser or a
proxy (`Cache-Control: no-store, private`): every page for a signed-in
customer, every answer to a form post, and the sign-in and sign-up pages that
echo an email. A stricter header a view sets is kept. Guests' shop pages
stay cacheable."""

import pytest
from django.test import Client
from django.urls import reverse

from shop_accounts.customers.models import Customer
from tests.conftest import PASSWORD

PRIVATE = {"no-store", "private"}
# Django's never_cache, which allauth's sign-in and sign-up and some of our
# views set themselves.
NEVER_CACHE = {"max-age=0", "no-cache", "no-store", "must-revalidate", "private"}


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def anna(store, make_account_holder) -> Customer:
    return make_account_holder(store, "anna@example.com")


@pytest.fixture
def signed_in(anna) -> Client:
    browser = Client()
    response = browser.post(reverse("account_login"), {"login": anna.email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


@pytest.mark.parametrize(
    "page",
    [
        "storefront:my-account",
        "account_email",
        "mfa_index",
        "usersessions_list",
        "account_change_password",
        "storefront:home",
        "storefront:catalog",
    ],
)
def test_pages_for_a_signed_in_customer_are_never_stored(signed_in, page):
    response = signed_in.get(reverse(page))

    assert response.status_code == 200
    assert directives(response) == PRIVATE


def test_a_signed_in_customers_not_found_page_is_never_stored(signed_in):
    response = signed_in.get("/no-such-page/")

    assert response.status_code == 404
    assert directives(response) == PRIVATE


def test_the_sign_in_answer_is_never_stored(anna):
    response = Client().post(reverse("account_login"), {"login": anna.email, "password": PASSWORD})

    assert response.status_code == 302
    assert directives(response) == NEVER_CACHE


def test_a_refused_sign_in_that_echoes_the_email_is_never_stored(anna):
    response = Client().post(
        reverse("account_login"), {"login": anna.email, "password": "not the password"}
    )

    assert response.status_code == 200
    assert anna.email in response.content.decode()
    assert directives(response) == NEVER_CACHE


def test_a_sign_up_and_the_page_after_it_are_never_stored(store):
    browser = Client()
    new_password = "a long and unusual passphrase"

    response = browser.post(
        reverse("account_signup"),
        {
            "first_name": "Nina",
            "last_name": "Jansen",
            "email": "nina@example.com",
            "password1": new_password,
            "password2": new_password,
        },
    )
    after = browser.get(response["Location"])

    assert response.status_code == 302
    assert directives(response) == NEVER_CACHE
    assert after.status_code == 200
    assert "nina@example.com" in after.content.decode()
    assert directives(after) == PRIVATE


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("account_login", NEVER_CACHE),
        ("account_signup", NEVER_CACHE),
        ("account_reset_password", PRIVATE),
        ("account_request_login_code", NEVER_CACHE),
    ],
)
def test_the_sign_in_and_sign_up_forms_are_never_stored(store, page, expected):
    response = Client().get(reverse(page))

    assert response.status_code == 200
    assert directives(response) == expected


def test_the_password_reset_answer_and_the_page_after_it_are_never_stored(anna):
    browser = Client()

    response = browser.post(reverse("account_reset_password"), {"email": anna.email})
    after = browser.get(response["Location"])

    assert response.status_code == 302
    assert directives(response) == PRIVATE
    assert after.status_code == 200
    assert directives(after) == PRIVATE


def test_a_stricter_header_set_by_the_view_is_kept(signed_in):
    response = signed_in.get(reverse("storefront:contact"))

    assert response.status_code == 200
    assert directives(response) == NEVER_CACHE


def test_a_guests_shop_pages_stay_cacheable(store):
    guest = Client()

    pages = [guest.get(reverse(name)) for name in ("storefront:home", "storefront:catalog")]

    assert [page.status_code for page in pages] == [200, 200]
    assert [page.has_header("Cache-Control") for page in pages] == [False, False]
