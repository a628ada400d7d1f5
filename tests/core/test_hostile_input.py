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
    (f"/catalog/?page={NUL}", 200),
    ("/catalog/?page=-1", 200),
    ("/catalog/?page=99999999999999999999", 200),
    (f"/products/{LONG[:300]}/", 404),
    (f"/account/login/?next={NUL}", 200),
    ("/account/login/?next=https://evil.example/", 200),
    (f"/account/login/link/{NUL}/", 410),
    (f"/account/login/link/{LONG}/", 410),
    (f"/account/invitation/{NUL}/", 404),
    (f"/account/confirm-email/{NUL}/", 200),
    (f"/account/password/reset/key/{NUL}-x/", 404),
    (f"/contact/?subject={NUL}", 200),
]

BACKOFFICE_GETS = [
    (f"/backoffice/customers/customer/?q={NUL}", 200),
    (f"/backoffice/customers/customer/?q={LONG}", 200),
    ("/backoffice/customers/customer/?account_state__exact=bogus", 200),
    ("/backoffice/customers/customer/?store__id__exact=abc", 200),
    ("/backoffice/customers/customer/?o=99", 200),
    ("/backoffice/customers/customer/?p=abc", 200),
    ("/backoffice/customers/customer/abc/change/", 302),
    ("/backoffice/customers/customer/999999/change/", 302),
    (f"/backoffice/core/outboundemail/?q={NUL}", 200),
    (f"/backoffice/catalog/product/?q={NUL}", 200),
]

FORM_POSTS = [
    ("/account/login/", {"login": NUL, "password": NUL}, 200),
    ("/account/login/", {"login": LONG, "password": LONG}, 200),
    ("/account/signup/", {"email": NUL, "password1": NUL, "password2": NUL}, 200),
    (
        "/account/signup/",
        {"email": f"{LONG}@example.com", "password1": LONG, "password2": LONG},
        200,
    ),
    ("/account/password/reset/", {"email": NUL}, 200),
    ("/account/login/code/", {"email": NUL}, 200),
    ("/account/login/link/", {"email": NUL}, 400),
    ("/contact/", {"name": NUL, "email": NUL, "subject": NUL, "message": NUL}, 400),
    (
        "/contact/",
        {"name": LONG, "email": "a@example.com", "subject": LONG, "message": LONG * 3},
        400,
    ),
    ("/language/", {"language": NUL, "next": NUL}, 302),
]


@pytest.fixture(autouse=True)
def shop(store):
    catalog_actions.create_product(store, name="Blue mug", price=Decimal("12.00"))
    actions.create_customer(store=store, email="anna@example.com", actor=None, first_name="Anna")


@pytest.mark.parametrize(("url", "status"), STOREFRONT_GETS, ids=lambda value: str(value)[:40])
def test_storefront_answers_bad_query_input_without_an_error(client, url, status):
    assert client.get(url).status_code == status


@pytest.mark.parametrize(("url", "status"), BACKOFFICE_GETS, ids=lambda value: str(value)[:40])
def test_back_office_answers_bad_query_input_without_an_error(merchant_client, url, status):
    assert merchant_client.get(url).status_code == status


@pytest.mark.parametrize(("url", "data", "status"), FORM_POSTS, ids=lambda value: str(value)[:40])
def test_forms_refuse_bad_input_with_a_4xx_or_the_form_again(url, data, status):
    response = Client().post(url, data)

    assert response.status_code == status
    if response.status_code == 200:
        assert b"errorlist" in response.content or b"error" in response.content
