"""The cart in headless Chromium: a guest fills a cart from product pages,
signs in with a password and finds it merged with the cart saved on the
account, which a second browser signed in as the same customer shows too;
axe-core finds nothing on the cart page, empty and filled, at phone and
desktop width."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from shop_accounts.cart import actions
from shop_accounts.catalog.actions import create_product, update_product
from shop_accounts.catalog.models import TaxClass
from tests.browser.test_accessibility import axe_violations
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def products(live_store):
    return {
        "towel": create_product(live_store, name="Linen towel", price=Decimal("12.40")),
        "bread": create_product(
            live_store, name="Rye bread", price=Decimal("2.35"), tax_class=TaxClass.REDUCED
        ),
        "mug": create_product(
            live_store, name="Mug", price=Decimal("8.00"), track_stock=True, stock=3
        ),
    }


def add_from_product_page(page: Page, slug: str, quantity: int) -> None:
    page.goto(f"/products/{slug}/")
    page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_contain_text("Added to your cart.")


def sign_in(page: Page, email: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def cart_lines(page: Page) -> list[str]:
    """Each line's product name and quantity, as the cart page shows them."""
    lines = page.locator(".cart-line")
    return [
        f"{lines.nth(n).get_by_role('heading').inner_text()} × "
        f"{lines.nth(n).get_by_label('Quantity').input_value()}"
        for n in range(lines.count())
    ]


def test_a_guest_cart_merges_at_sign_in_and_shows_on_a_second_device(
    page, chromium: Browser, live_server, live_store, products, make_account_holder
):
    anna = make_account_holder(live_store, "anna@example.com", first_name="Anna")
    saved = actions.open_cart(live_store, customer=anna)
    actions.add_to_cart(saved, products["mug"], 2)

    # A guest fills a cart.
    add_from_product_page(page, products["towel"].slug, 2)
    add_from_product_page(page, products["mug"].slug, 2)
    page.get_by_role("link", name="View your cart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cart")
    assert cart_lines(page) == ["Linen towel × 2", "Mug × 2"]
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Cart 4")

    # They sign in from the cart page and come back to it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    sign_in(page, "anna@example.com")
    page.goto("/cart/")
    expect(page.get_by_role("status").first).to_contain_text(
        "Only 3 of “Mug” left: your cart now has 3."
    )
    assert cart_lines(page) == ["Mug × 3", "Linen towel × 2"]
    expect(page.locator(".cart-summary")).to_contain_text("Subtotal 59.05 EUR")

    # The same cart on another device.
    laptop = chromium.new_context(base_url=live_server.url, locale="en")
    try:
        other = laptop.new_page()
        other.goto("/account/login/?next=/cart/")
        sign_in(other, "anna@example.com")
        expect(other).to_have_url(re.compile(r"/cart/$"))
        assert cart_lines(other) == ["Mug × 3", "Linen towel × 2"]
        # Changed there, seen here.
        other.locator(".cart-line").nth(1).get_by_label("Quantity").fill("1")
        other.locator(".cart-line").nth(1).get_by_role("button", name="Update").click()
        expect(other.get_by_role("status")).to_contain_text("Your cart was updated.")
    finally:
        laptop.close()
    page.reload()
    assert cart_lines(page) == ["Mug × 3", "Linen towel × 1"]

    # Signing out leaves the saved cart on the account, none in the browser.
    page.get_by_role("button", name="Sign out").click()
    page.goto("/cart/")
    expect(page.get_by_role("main")).to_contain_text("Your cart is empty.")


def test_a_line_is_removed_and_a_bad_quantity_refused_without_javascript(
    chromium: Browser, live_server, live_store, products
):
    context = chromium.new_context(base_url=live_server.url, locale="en", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/products/{products['towel'].slug}/")
        page.get_by_role("button", name="Add to cart").click()
        page.goto(f"/products/{products['bread'].slug}/")
        page.get_by_role("button", name="Add to cart").click()
        page.goto("/cart/")

        page.get_by_role("button", name="Remove “Rye bread” from your cart").click()

        expect(page.get_by_role("status")).to_contain_text("The product was removed")
        assert cart_lines(page) == ["Linen towel × 1"]
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_cart_page_has_no_accessibility_violations(
    page, live_store, products, viewport, make_account_holder
):
    page.set_viewport_size(viewport)
    page.goto("/cart/")
    expect(page.get_by_role("main")).to_contain_text("Your cart is empty.")
    assert axe_violations(page) == []

    add_from_product_page(page, products["towel"].slug, 2)
    add_from_product_page(page, products["bread"].slug, 1)
    add_from_product_page(page, products["mug"].slug, 3)
    update_product(products["mug"], stock=1)
    page.goto("/cart/")
    expect(page.locator(".cart-line-note")).to_contain_text("only 1 left in stock")
    assert axe_violations(page) == []

    # A refused quantity, marked on its line.
    page.locator(".cart-line").first.get_by_label("Quantity").evaluate(
        "field => { field.removeAttribute('min'); field.value = '-2'; }"
    )
    page.locator(".cart-line").first.get_by_role("button", name="Update").click()
    expect(page.get_by_role("alert")).to_contain_text("must be a whole number from 1 to 999")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
