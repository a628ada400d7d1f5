"""The store's access policy as a visitor meets it: a members-only shop sends
everyone else to sign in, hidden prices never reach a guest's page, and the
"My account" link follows the store setting."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from shop_accounts.catalog.actions import create_product
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.conftest import PASSWORD


@pytest.fixture
def members_only(store):
    return store_actions.update_store(store, shop_visibility=Store.ShopVisibility.SIGNED_IN)


@pytest.fixture
def towel(store):
    # 12.40 without tax is 15.00 with 21% tax.
    return create_product(store, name="Linen tea towel", price=Decimal("12.40"))


def sign_in(client: Client, email: str) -> None:
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content


@pytest.mark.parametrize("page", ["/", "/catalog/", "/cart/", "/products/linen-tea-towel/"])
def test_members_only_shop_sends_guests_to_sign_in(client, members_only, towel, page):
    response = client.get(page)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={page}"


def test_sign_in_page_of_a_members_only_shop_says_why(client, members_only):
    page = client.get(reverse("account_login")).content.decode()

    assert "Test Shop is open to signed-in customers only." in page


@pytest.mark.parametrize(
    ("mode", "offer"),
    [
        (Store.SignupMode.FREE, "Create an account"),
        (Store.SignupMode.APPROVAL, "Request a customer account"),
        (Store.SignupMode.INVITATION, "Accounts in this shop are by invitation only."),
    ],
)
def test_members_only_sign_in_page_offers_the_stores_way_to_join(client, store, mode, offer):
    store_actions.update_store(
        store, shop_visibility=Store.ShopVisibility.SIGNED_IN, signup_mode=mode
    )

    page = client.get("/catalog/", follow=True).content.decode()

    assert offer in page


def test_members_only_shop_still_lets_guests_ask_and_switch_language(client, members_only):
    assert client.get(reverse("storefront:contact")).status_code == 200
    assert client.get(reverse("account_signup")).status_code == 200
    response = client.post(reverse("storefront:set-language"), {"language": "de", "next": "/"})
    assert response.status_code == 302


def test_signed_in_customer_shops_in_a_members_only_shop(
    client, members_only, towel, make_account_holder
):
    make_account_holder(members_only, "anna@example.com")
    sign_in(client, "anna@example.com")

    page = client.get("/catalog/")

    assert page.status_code == 200
    assert "Linen tea towel" in page.content.decode()


def test_account_of_a_store_with_separate_accounts_does_not_open_a_members_only_shop(
    client, members_only, other_store, make_account_holder
):
    make_account_holder(other_store, "anna@example.com")
    response = client.post(
        reverse("account_login"),
        {"login": "anna@example.com", "password": PASSWORD},
        HTTP_HOST="other.testserver",
    )
    assert response.status_code == 302

    assert client.get("/catalog/").status_code == 302


def test_guest_sees_prices_with_tax_where_the_store_shows_them(client, store, towel):
    page = client.get("/catalog/").content.decode()

    assert "15.00 EUR" in page
    assert "Sign in to see prices" not in page


def test_store_showing_prices_without_tax_says_so(client, store, towel):
    store_actions.update_store(store, prices_include_tax=False)

    page = client.get(f"/products/{towel.slug}/").content.decode()

    assert "12.40 EUR" in page
    assert "excl. tax" in page


@pytest.mark.parametrize("page", ["/catalog/", "/products/linen-tea-towel/"])
def test_hidden_prices_never_reach_a_guests_page(client, store, towel, page):
    store_actions.update_store(store, guest_prices=Store.GuestPrices.HIDDEN)

    html = client.get(page).content.decode()

    assert "Sign in to see prices" in html
    assert "Linen tea towel" in html
    for leak in ("15.00", "15,00", "12.40", "12,40", "EUR"):
        assert leak not in html


def test_hidden_prices_show_once_signed_in(client, store, towel, make_account_holder):
    store_actions.update_store(store, guest_prices=Store.GuestPrices.HIDDEN)
    make_account_holder(store, "anna@example.com")
    sign_in(client, "anna@example.com")

    html = client.get(f"/products/{towel.slug}/").content.decode()

    assert "15.00 EUR" in html
    assert "Sign in to see prices" not in html


def test_prices_follow_the_page_language(client, store, towel):
    client.post(reverse("storefront:set-language"), {"language": "de", "next": "/"})

    assert "15,00 EUR" in client.get("/catalog/").content.decode()


def test_product_of_another_store_is_not_found(client, store, other_store):
    create_product(other_store, name="Secret chair", price=Decimal("100"))

    assert client.get("/products/secret-chair/").status_code == 404
    assert "Secret chair" not in client.get("/catalog/").content.decode()


def test_unpublished_product_is_not_found(client, store, towel):
    towel.is_published = False
    towel.save()

    assert client.get(f"/products/{towel.slug}/").status_code == 404


def test_catalog_is_paginated_and_costs_the_same_queries_for_any_size(
    client, store, django_assert_max_num_queries
):
    for number in range(30):
        create_product(store, name=f"Product {number:02}", price=Decimal("1"))

    first = client.get("/catalog/").content.decode()
    second = client.get("/catalog/?page=2").content.decode()

    assert first.count('class="product-card"') == 24
    assert second.count('class="product-card"') == 6
    assert "Page 2 of 2" in second
    with django_assert_max_num_queries(6):
        client.get("/catalog/")


def test_broken_page_number_shows_a_page_not_an_error(client, store, towel):
    assert client.get("/catalog/?page=abc").status_code == 200
    assert client.get("/catalog/?page=999").status_code == 200


@pytest.mark.parametrize("shown", [True, False])
def test_my_account_link_follows_the_store_setting(client, store, shown):
    store_actions.update_store(store, show_account_link=shown)

    page = client.get("/").content.decode()

    assert (reverse("storefront:my-account") in page) is shown
