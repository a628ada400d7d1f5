"""The checkout in headless Chromium, once per accounts mode: a guest in an
optional store, signing in on the way, a store that requires accounts, and
a disabled one whose "remember my details" pre-fills the next visit; with
address-book picks and a new address. axe-core checks the checkout and
thank-you pages at phone and desktop width."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import Page, expect

from shop_accounts.cart import actions as cart_actions
from shop_accounts.cart import sessions as cart_sessions
from shop_accounts.catalog.actions import create_product
from shop_accounts.checkout.actions import save_shipping_rate
from shop_accounts.checkout.models import ShippingRate
from shop_accounts.customers import actions as customer_actions
from shop_accounts.customers.models import Address
from shop_accounts.orders.models import Order
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
AXE = Axe()


def axe_violations(page: Page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
    ]


@pytest.fixture
def shop(live_store) -> Store:
    for position, (name, price, countries, free) in enumerate(
        [
            ("Standard delivery", "4.00", ["NL"], "50.00"),
            ("Express delivery", "9.00", ["NL"], None),
            ("International", "15.00", [], None),
        ]
    ):
        save_shipping_rate(
            ShippingRate(
                store=live_store,
                name=name,
                price=Decimal(price),
                countries=countries,
                free_above=Decimal(free) if free else None,
                position=position,
            ),
            actor=None,
        )
    return live_store


@pytest.fixture
def towel(shop):
    return create_product(shop, name="Linen towel", price=Decimal("12.40"), sku="TW-1")


def guest_cart_in_browser(page: Page, live_server, store: Store, *items) -> None:
    """A guest cart made with the cart's actions, held by this browser's session."""
    cart = cart_actions.open_cart(store)
    for product, quantity in items:
        cart_actions.add_to_cart(cart, product, quantity)
    session = SessionStore()
    cart_sessions.remember_cart(session, cart)
    session.save()
    page.context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )


def saved_cart(store: Store, customer, *items) -> None:
    cart = cart_actions.open_cart(store, customer=customer)
    for product, quantity in items:
        cart_actions.add_to_cart(cart, product, quantity)


def type_address(page: Page, kind: str, *, name: str, street: str, city: str, country: str) -> None:
    section = page.get_by_role("region", name=f"{kind} address")
    section.get_by_label("Full name").fill(name)
    section.get_by_label("Street").fill(street)
    section.get_by_label("City").fill(city)
    section.get_by_label("Country").select_option(country)


def sign_in(page: Page, email: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_a_guest_checks_out_in_an_optional_store_and_is_offered_an_account(
    page, live_server, shop, towel
):
    guest_cart_in_browser(page, live_server, shop, (towel, 2))

    page.goto("/cart/")
    page.get_by_role("link", name="Check out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    expect(page.get_by_role("link", name="Sign in").last).to_be_visible()
    page.get_by_label("Email").fill("nina@example.com")
    type_address(
        page,
        "Billing",
        name="Nina Visser",
        street="Prinsengracht 263",
        city="Amsterdam",
        country="NL",
    )
    page.get_by_label("Express delivery").check()
    page.get_by_label("Cash on delivery").check()
    page.get_by_role("button", name="Update shipping and totals").click()
    # 24.80 + 9.00 express = 33.80 net, 21 %: 7.10, total 40.90.
    expect(page.locator(".checkout-summary")).to_contain_text("40.90 EUR")
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your order")
    order = Order.objects.get()
    expect(page.get_by_text(f"Your order number is {order.number}")).to_be_visible()
    expect(
        page.get_by_text("Please have 40.90 EUR ready when the parcel is delivered.")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name="Create an account for nina@example.com")
    ).to_be_visible()
    assert (order.shipping_name, order.payment_method, order.placed_as_guest) == (
        "Express delivery",
        "cash_on_delivery",
        True,
    )


def test_signing_in_on_the_way_picks_a_saved_address_and_adds_a_new_one(
    page, live_server, shop, towel, make_account_holder
):
    customer = make_account_holder(shop, "bea@example.com", first_name="Bea", last_name="Bakker")
    customer_actions.add_address(
        customer, actor=None, street="Damrak", house_number="1", city="Amsterdam", country="NL"
    )
    # The guest's cart joins the account at sign-in (the cart's own merge).
    guest_cart_in_browser(page, live_server, shop, (towel, 1))

    page.goto("/checkout/")
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    sign_in(page, "bea@example.com")

    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    expect(page.get_by_text("Signed in as bea@example.com.")).to_be_visible()
    billing = page.get_by_role("region", name="Billing address")
    expect(billing.get_by_label("Damrak 1, Amsterdam, Netherlands")).to_be_checked()
    page.get_by_label("Ship to a different address").check()
    shipping = page.get_by_role("region", name="Shipping address")
    shipping.get_by_label("Add a new address").first.check()
    shipping.locator("summary").click()
    type_address(
        page, "Shipping", name="Bea Bakker", street="Havenweg", city="Rotterdam", country="NL"
    )
    expect(page.get_by_label("Save new addresses to my addresses")).to_be_checked()
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your order")
    order = Order.objects.get()
    assert (order.billing_address["street"], order.shipping_address["street"]) == (
        "Damrak",
        "Havenweg",
    )
    assert order.placed_as_guest is False
    assert sorted(Address.objects.filter(customer=customer).values_list("street", flat=True)) == [
        "Damrak",
        "Havenweg",
    ]
    expect(page.get_by_text("Create an account")).to_have_count(0)


def test_a_store_that_requires_accounts_signs_in_before_the_order(
    page, live_server, shop, towel, make_account_holder
):
    store_actions.update_store(shop, checkout_accounts=Store.CheckoutAccounts.REQUIRED)
    customer = make_account_holder(shop, "cor@example.com", first_name="Cor")
    customer_actions.add_address(
        customer, actor=None, street="Lijnbaan", city="Rotterdam", country="NL"
    )
    saved_cart(shop, customer, (towel, 1))

    page.goto("/checkout/")
    expect(
        page.get_by_text("This shop takes orders from customers with an account.")
    ).to_be_visible()
    expect(page.get_by_label("Email")).to_have_count(0)
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    sign_in(page, "cor@example.com")
    expect(page.get_by_text("Signed in as cor@example.com.")).to_be_visible()
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your order")
    assert Order.objects.get().billing_address["street"] == "Lijnbaan"


def test_a_disabled_store_remembers_the_guests_details_on_this_device(
    page, live_server, shop, towel
):
    store_actions.update_store(shop, checkout_accounts=Store.CheckoutAccounts.DISABLED)
    guest_cart_in_browser(page, live_server, shop, (towel, 1))

    page.goto("/checkout/")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Sign in")).to_have_count(0)
    expect(main.get_by_role("link", name="Create an account")).to_have_count(0)
    page.get_by_label("Email").fill("dirk@example.com")
    type_address(
        page, "Billing", name="Dirk de Wit", street="Markt 5", city="Utrecht", country="NL"
    )
    page.get_by_label("Remember my details on this device").check()
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your order")

    # A second visit: a new cart, the details are filled in already.
    guest_cart_in_browser(page, live_server, shop, (towel, 3))
    page.goto("/checkout/")
    expect(page.get_by_label("Email")).to_have_value("dirk@example.com")
    expect(page.get_by_role("region", name="Billing address").get_by_label("Street")).to_have_value(
        "Markt 5"
    )
    expect(page.get_by_label("Remember my details on this device")).to_be_checked()
    cookie = next(c for c in page.context.cookies() if c["name"] == "checkout_details")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your order")
    assert [o.email for o in Order.objects.order_by("number")] == ["dirk@example.com"] * 2


@pytest.mark.parametrize("width", [390, 1280])
def test_checkout_and_thank_you_pages_have_no_accessibility_violations(
    page, live_server, shop, towel, width
):
    page.set_viewport_size({"width": width, "height": 900})
    guest_cart_in_browser(page, live_server, shop, (towel, 1))
    page.goto("/checkout/")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Place order").click()
    expect(page.locator(".checkout-errors")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Email").fill("axe@example.com")
    type_address(page, "Billing", name="Axe Tester", street="Dam 1", city="Amsterdam", country="NL")
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your order")
    assert axe_violations(page) == []
