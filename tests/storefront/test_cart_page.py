"""The cart page and its forms, as a shopper uses them without JavaScript:
add from the product page, change a quantity, remove a line; bad input gets
a translated message, a 4xx and the cart as it was; hidden prices stay
hidden; the guest's cart merges into the saved one at sign-in and stays on
the account at sign-out; the page costs the same queries for 3 lines and 30."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop_accounts.cart import actions, sessions
from shop_accounts.cart.models import Cart
from shop_accounts.catalog.actions import create_product, update_product
from shop_accounts.catalog.models import Product, TaxClass
from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer
from shop_accounts.stores import actions as store_actions
from tests.conftest import PASSWORD

CART = reverse("storefront:cart")
ADD = reverse("storefront:cart-add")
UPDATE = reverse("storefront:cart-update")
REMOVE = reverse("storefront:cart-remove")
LOGIN = reverse("account_login")
LOGOUT = reverse("account_logout")


@pytest.fixture
def towel(store) -> Product:
    return create_product(store, name="Linen towel", price=Decimal("12.40"), sku="TW-1")


@pytest.fixture
def bread(store) -> Product:
    return create_product(
        store, name="Rye bread", price=Decimal("2.35"), tax_class=TaxClass.REDUCED
    )


@pytest.fixture
def mug(store) -> Product:
    return create_product(store, name="Mug", price=Decimal("8.00"), track_stock=True, stock=3)


@pytest.fixture
def anna(store, make_account_holder) -> Customer:
    return make_account_holder(store, "anna@example.com", first_name="Anna")


def text_of(response) -> str:
    """The page's visible words, tags removed and spaces squeezed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def cart_of(client: Client) -> dict[str, int]:
    """What the visitor's cart holds, read from the database through the
    session as the storefront does (product name → quantity)."""
    session = client.session
    if "shop_cart_token" in session:
        cart = Cart.objects.get(token=session["shop_cart_token"])
    else:
        cart = Cart.objects.get(pk=session["shop_cart_id"])
    return {line.product.name: line.quantity for line in cart.lines.select_related("product")}


def test_the_product_page_has_the_add_to_cart_form(client, towel):
    page = client.get(reverse("storefront:product", args=[towel.slug]))

    assert page.status_code == 200
    html = page.content.decode()
    assert f'action="{ADD}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'name="product" value="{towel.pk}"' in html
    assert 'name="quantity" value="1" min="1" max="999"' in html
    assert "Add to cart" in text_of(page)


def test_a_sold_out_product_says_so_instead_of_offering_the_form(client, mug):
    update_product(mug, stock=0)

    page = client.get(reverse("storefront:product", args=[mug.slug]))

    assert "Sold out" in text_of(page)
    assert f'action="{ADD}"' not in page.content.decode()


def test_a_guest_adds_and_goes_back_to_the_product_saying_so(client, towel):
    response = client.post(ADD, {"product": towel.pk, "quantity": "2"})

    assert response.status_code == 302
    assert response["Location"] == reverse("storefront:product", args=[towel.slug])
    page = client.get(response["Location"])
    assert "Added to your cart. View your cart" in text_of(page)
    assert f'<a href="{CART}">View your cart</a>' in page.content.decode()
    # The header counts what the cart holds.
    assert "Cart 2 (2 items)" in text_of(page)
    assert cart_of(client) == {"Linen towel": 2}


def test_the_cart_page_lists_lines_prices_and_the_subtotal(client, towel, bread):
    client.post(ADD, {"product": towel.pk, "quantity": "3"})
    client.post(ADD, {"product": bread.pk, "quantity": "2"})

    page = client.get(CART)

    assert page.status_code == 200
    text = text_of(page)
    assert "Linen towel Article number TW-1 Unit price 15.00 EUR" in text
    assert "45.01 EUR" in text
    assert "Rye bread Unit price 2.56 EUR" in text
    assert "Subtotal 50.13 EUR incl. tax" in text
    assert "Check out" in text and "Continue shopping" in text
    assert 'href="/checkout/"' in page.content.decode()


def test_an_empty_cart_says_so(client, store):
    page = client.get(CART)

    assert "Your cart is empty. Continue shopping" in text_of(page)
    assert "Check out" not in text_of(page)


def test_the_cart_page_speaks_the_visitors_language(client, towel):
    client.post(ADD, {"product": towel.pk, "quantity": "3"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    text = text_of(client.get(CART))

    assert "Warenkorb" in text
    assert "45,01 EUR" in text


@pytest.mark.parametrize("quantity", ["0", "-1", "1000", "abc", "", "2.5", "99999999999999999999"])
def test_a_bad_quantity_is_refused_with_a_message_and_the_cart_kept(client, towel, quantity):
    client.post(ADD, {"product": towel.pk, "quantity": "2"})

    response = client.post(ADD, {"product": towel.pk, "quantity": quantity})

    assert response.status_code == 400
    assert "The quantity of “Linen towel” must be a whole number from 1 to 999." in text_of(
        response
    )
    assert "Linen towel" in text_of(response)
    assert cart_of(client) == {"Linen towel": 2}


def test_adding_more_than_the_stock_is_refused(client, mug):
    client.post(ADD, {"product": mug.pk, "quantity": "2"})

    response = client.post(ADD, {"product": mug.pk, "quantity": "2"})

    assert response.status_code == 400
    assert "“Mug”: only 3 left in stock." in text_of(response)
    assert cart_of(client) == {"Mug": 2}


@pytest.mark.parametrize("product", ["999999", "abc", "", "-1"])
def test_an_unknown_product_is_refused_with_404(client, towel, product):
    client.post(ADD, {"product": towel.pk, "quantity": "1"})

    response = client.post(ADD, {"product": product, "quantity": "1"})

    assert response.status_code == 404
    assert "This product is not available." in text_of(response)
    assert cart_of(client) == {"Linen towel": 1}


def test_an_unpublished_or_other_stores_product_is_refused_with_404(
    client, store, other_store, towel
):
    update_product(towel, is_published=False)
    elsewhere = create_product(other_store, name="Lamp", price=Decimal("40.00"))

    for product in (towel, elsewhere):
        response = client.post(ADD, {"product": product.pk, "quantity": "1"})
        assert response.status_code == 404
        assert "This product is not available." in text_of(response)
    assert not Cart.objects.exists() or cart_of(client) == {}


def test_the_quantity_of_a_line_can_be_changed(client, towel):
    client.post(ADD, {"product": towel.pk, "quantity": "2"})

    response = client.post(UPDATE, {"product": towel.pk, "quantity": "5"})

    assert response.status_code == 302
    assert response["Location"] == CART
    page = client.get(CART)
    assert "Your cart was updated." in text_of(page)
    assert 'name="quantity" value="5"' in page.content.decode()
    assert cart_of(client) == {"Linen towel": 5}


def test_a_bad_new_quantity_is_refused_and_marks_the_line(client, towel):
    client.post(ADD, {"product": towel.pk, "quantity": "2"})

    response = client.post(UPDATE, {"product": towel.pk, "quantity": "-4"})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert">The quantity of “Linen towel” must be a whole number' in html
    assert 'aria-invalid="true" aria-describedby="cart-error"' in html
    assert cart_of(client) == {"Linen towel": 2}


def test_a_quantity_of_0_and_the_remove_button_take_lines_out(client, towel, bread):
    client.post(ADD, {"product": towel.pk, "quantity": "2"})
    client.post(ADD, {"product": bread.pk, "quantity": "1"})

    client.post(UPDATE, {"product": towel.pk, "quantity": "0"})
    response = client.post(REMOVE, {"product": bread.pk})

    assert response.status_code == 302
    page = client.get(CART)
    assert "The product was removed from your cart." in text_of(page)
    assert "Your cart is empty." in text_of(page)
    assert cart_of(client) == {}


def test_changing_a_line_the_cart_does_not_hold_is_refused_with_404(client, towel, bread):
    client.post(ADD, {"product": towel.pk, "quantity": "2"})

    for url, data in (
        (UPDATE, {"product": bread.pk, "quantity": "1"}),
        (REMOVE, {"product": bread.pk}),
        (REMOVE, {"product": "x"}),
    ):
        response = client.post(url, data)
        assert response.status_code == 404
        assert "This product is not in your cart (any more)." in text_of(response)
    assert cart_of(client) == {"Linen towel": 2}


def test_a_visitor_without_a_cart_changing_a_line_gets_404(client, towel):
    response = client.post(REMOVE, {"product": towel.pk})

    assert response.status_code == 404
    assert not Cart.objects.exists()


def test_one_visitor_cannot_touch_anothers_cart(client, towel):
    client.post(ADD, {"product": towel.pk, "quantity": "2"})
    stranger = Client()

    response = stranger.post(REMOVE, {"product": towel.pk})

    assert response.status_code == 404
    assert cart_of(client) == {"Linen towel": 2}


def test_the_forms_need_the_csrf_token(towel):
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("storefront:product", args=[towel.slug]))

    response = browser.post(ADD, {"product": towel.pk, "quantity": "1"})

    assert response.status_code == 403
    assert not Cart.objects.exists()


def test_the_forms_only_take_posts(client, store):
    assert client.get(ADD).status_code == 405
    assert client.get(UPDATE).status_code == 405
    assert client.get(REMOVE).status_code == 405


def test_hidden_prices_stay_hidden_in_a_guests_cart(client, store, towel):
    store_actions.update_store(store, guest_prices="hidden")
    client.post(ADD, {"product": towel.pk, "quantity": "2"})

    page = client.get(CART)

    text = text_of(page)
    assert "Linen towel" in text
    assert "This shop shows its prices to signed-in customers only. Sign in to see prices" in text
    assert "EUR" not in text
    assert "15.00" not in page.content.decode() and "12.40" not in page.content.decode()
    assert "Check out" not in text
    assert f'href="{LOGIN}?next=/cart/"' in page.content.decode()


def test_signing_in_merges_the_guest_cart_into_the_saved_one(client, store, anna, towel, mug):
    saved = actions.open_cart(store, customer=anna)
    actions.add_to_cart(saved, mug, 2)
    client.post(ADD, {"product": towel.pk, "quantity": "1"})
    client.post(ADD, {"product": mug.pk, "quantity": "2"})

    response = client.post(LOGIN, {"login": "anna@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert "shop_cart_token" not in client.session
    assert client.session["shop_cart_id"] == saved.pk
    assert Cart.objects.count() == 1
    page = client.get(CART)
    text = text_of(page)
    assert "Only 3 of “Mug” left: your cart now has 3." in text
    assert cart_of(client) == {"Mug": 3, "Linen towel": 1}
    # Said once.
    assert "Only 3 of" not in text_of(client.get(CART))


def test_the_saved_cart_is_the_same_on_every_device(store, anna, towel):
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        device.post(LOGIN, {"login": "anna@example.com", "password": PASSWORD})

    phone.post(ADD, {"product": towel.pk, "quantity": "2"})

    assert "Linen towel" in text_of(laptop.get(CART))
    assert cart_of(laptop) == {"Linen towel": 2}


def test_signing_out_keeps_the_saved_cart_and_leaves_an_empty_guest_cart(
    client, store, anna, towel
):
    client.post(LOGIN, {"login": "anna@example.com", "password": PASSWORD})
    client.post(ADD, {"product": towel.pk, "quantity": "2"})

    client.post(LOGOUT)

    assert "Your cart is empty." in text_of(client.get(CART))
    assert "Cart 2" not in text_of(client.get(reverse("storefront:home")))
    client.post(LOGIN, {"login": "anna@example.com", "password": PASSWORD})
    assert cart_of(client) == {"Linen towel": 2}


def test_a_signed_in_customers_header_counts_the_saved_cart(client, store, anna, towel):
    saved = actions.open_cart(store, customer=anna)
    actions.add_to_cart(saved, towel, 4)

    client.post(LOGIN, {"login": "anna@example.com", "password": PASSWORD})

    assert "Cart 4 (4 items)" in text_of(client.get(reverse("storefront:home")))


def test_the_header_of_a_visitor_without_a_cart_asks_nothing(client, store):
    client.get(reverse("storefront:home"))  # the store, now cached

    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("storefront:home"))

    assert len(captured) == 0
    assert "Cart" in text_of(page)


def test_the_header_of_a_guest_with_a_cart_asks_one_query(client, store, towel):
    client.post(ADD, {"product": towel.pk, "quantity": "1"})
    client.get(reverse("storefront:home"))

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("storefront:home"))

    # The session, then the count.
    assert len(captured) == 2


def cart_page_queries(client: Client, store, products: list[Product]) -> int:
    for product in products:
        client.post(ADD, {"product": product.pk, "quantity": "2"})
    client.get(CART)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(CART)
    assert page.status_code == 200
    assert text_of(page).count("Unit price") == len(products)
    return len(captured)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_cart_page_costs_the_same_for_3_lines_and_30(
    store, anna, make_account_holder, signed_in
):
    products = [
        create_product(store, name=f"Product {n}", price=Decimal("1.00"), track_stock=True, stock=5)
        for n in range(30)
    ]
    few, many = Client(), Client()
    if signed_in:
        few.force_login(anna)
        many.force_login(make_account_holder(store, "bea@example.com"))

    assert cart_page_queries(few, store, products[:3]) == cart_page_queries(many, store, products)


# --- every way in merges ---------------------------------------------------------

LINK_URL = re.compile(r"http://[^\s/]+(/account/login/link/[A-Za-z0-9_\-]+/)")
CONFIRM_LINK = re.compile(r"http://testserver(/account/confirm-email/[^\s]+/)")


def emailed(smtp_sink, email: str) -> str:
    deliver_due_emails()
    (message,) = smtp_sink.to(email)
    return smtp_sink.text_of(message)


def test_signing_in_with_an_emailed_link_merges_the_guest_cart(
    client, store, anna, towel, bread, smtp_sink
):
    actions.add_to_cart(actions.open_cart(store, customer=anna), bread, 1)
    client.post(ADD, {"product": towel.pk, "quantity": "2"})

    client.post("/account/login/link/", {"email": "anna@example.com"})
    path = LINK_URL.search(emailed(smtp_sink, "anna@example.com")).group(1)
    assert client.post(path).status_code == 302

    assert "shop_cart_token" not in client.session
    assert cart_of(client) == {"Rye bread": 1, "Linen towel": 2}


def test_signing_in_with_an_emailed_code_merges_the_guest_cart(
    client, store, anna, towel, smtp_sink
):
    client.post(ADD, {"product": towel.pk, "quantity": "2"})

    client.post("/account/login/code/", {"email": "anna@example.com"})
    code = re.search(
        r"^\s*([A-Z0-9-]{4,})\s*$", emailed(smtp_sink, "anna@example.com"), re.MULTILINE
    ).group(1)
    assert client.post("/account/login/code/confirm/", {"code": code}).status_code == 302

    assert Cart.objects.get().customer == anna
    assert cart_of(client) == {"Linen towel": 2}


def test_the_sign_up_confirmation_in_the_same_browser_keeps_the_guest_cart(
    client, store, towel, smtp_sink
):
    client.post(ADD, {"product": towel.pk, "quantity": "2"})
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

    link = CONFIRM_LINK.search(emailed(smtp_sink, "nina@example.com")).group(1)
    client.get(link)
    assert client.post(link).status_code == 302

    nina = Customer.objects.get(email="nina@example.com")
    assert client.get(CART).wsgi_request.user == nina
    assert Cart.objects.get().customer == nina
    assert cart_of(client) == {"Linen towel": 2}


def test_a_refused_first_add_leaves_no_cart_behind(client, towel):
    response = client.post(ADD, {"product": towel.pk, "quantity": "0"})

    assert response.status_code == 400
    assert not Cart.objects.exists()
    assert "Your cart is empty." in text_of(response)


def test_adding_goes_back_to_the_page_it_came_from_on_this_site_only(client, towel):
    back = client.post(ADD, {"product": towel.pk, "quantity": "1", "next": "/catalog/?page=2"})
    away = client.post(ADD, {"product": towel.pk, "quantity": "1", "next": "https://evil.example/"})

    assert back["Location"] == "/catalog/?page=2"
    assert away["Location"] == reverse("storefront:product", args=[towel.slug])
    assert cart_of(client) == {"Linen towel": 2}


def test_a_customer_of_another_realm_never_gets_a_cart_at_sign_in(store, other_store, anna):
    session = Client().session
    assert (
        sessions.carry_over_at_sign_in(session, store=other_store, customer=anna, guest_token="")
        is None
    )
    assert not Cart.objects.exists()
