"""Bad input is answered with a 4xx or the page as usual, never a 500: NUL
characters (which PostgreSQL refuses in text), overlong values, wrong types
and unknown choices, in the query strings and forms of every surface."""

from decimal import Decimal

import pytest
from django.test import Client

from shop_accounts.catalog import actions as catalog_actions
from shop_accounts.customers import actions

NUL = "a\x00b"
LONG = "x" * 5000

STOREFRONT_GETS = [
    f"/catalog/?page={NUL}",
    "/catalog/?page=-1",
    "/catalog/?page=99999999999999999999",
    f"/products/{LONG[:300]}/",
    f"/account/login/?next={NUL}",
    "/account/login/?next=https://evil.example/",
    f"/account/login/link/{NUL}/",
    f"/account/login/link/{LONG}/",
    f"/account/invitation/{NUL}/",
    f"/account/confirm-email/{NUL}/",
    f"/account/password/reset/key/{NUL}-x/",
    f"/contact/?subject={NUL}",
]

BACKOFFICE_GETS = [
    f"/backoffice/customers/customer/?q={NUL}",
    f"/backoffice/customers/customer/?q={LONG}",
    "/backoffice/customers/customer/?account_state__exact=bogus",
    "/backoffice/customers/customer/?store__id__exact=abc",
    "/backoffice/customers/customer/?o=99",
    "/backoffice/customers/customer/?p=abc",
    "/backoffice/customers/customer/abc/change/",
    "/backoffice/customers/customer/999999/change/",
    f"/backoffice/core/outboundemail/?q={NUL}",
    f"/backoffice/catalog/product/?q={NUL}",
]

FORM_POSTS = [
    ("/account/login/", {"login": NUL, "password": NUL}),
    ("/account/login/", {"login": LONG, "password": LONG}),
    ("/account/signup/", {"email": NUL, "password1": NUL, "password2": NUL}),
    ("/account/signup/", {"email": f"{LONG}@example.com", "password1": LONG, "password2": LONG}),
    ("/account/password/reset/", {"email": NUL}),
    ("/account/login/code/", {"email": NUL}),
    ("/account/login/link/", {"email": NUL}),
    ("/contact/", {"name": NUL, "email": NUL, "subject": NUL, "message": NUL}),
    ("/contact/", {"name": LONG, "email": "a@example.com", "subject": LONG, "message": LONG * 3}),
    ("/language/", {"language": NUL, "next": NUL}),
]


@pytest.fixture(autouse=True)
def shop(store):
    catalog_actions.create_product(store, name="Blue mug", price=Decimal("12.00"))
    actions.create_customer(store=store, email="anna@example.com", actor=None, first_name="Anna")


@pytest.mark.parametrize("url", STOREFRONT_GETS)
def test_storefront_answers_bad_query_input_without_an_error(client, url):
    assert client.get(url).status_code < 500


@pytest.mark.parametrize("url", BACKOFFICE_GETS)
def test_back_office_answers_bad_query_input_without_an_error(merchant_client, url):
    assert merchant_client.get(url).status_code < 500


@pytest.mark.parametrize(("url", "data"), FORM_POSTS, ids=lambda value: str(value)[:40])
def test_forms_refuse_bad_input_with_a_4xx_or_the_form_again(url, data):
    response = Client().post(url, data)

    assert response.status_code < 500
    if response.status_code == 200:
        assert b"errorlist" in response.content or b"error" in response.content
