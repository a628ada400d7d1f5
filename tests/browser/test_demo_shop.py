"""The demo as a visitor meets it after `make run`: the demo data loaded,
a demo customer signs in and sees My Account; the B2B store on its own host
name is for signed-in customers only and shows prices without tax."""

import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import BrowserContext, Page, expect

from shop_accounts.backoffice.management.commands.load_demo_data import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(live_server, transactional_db) -> str:
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    cache.clear()
    return live_server.url


@pytest.fixture
def demo_context(chromium, demo) -> Iterator[BrowserContext]:
    context = chromium.new_context(locale="en")
    context.set_default_timeout(5_000)
    yield context
    context.close()


def sign_in(page: Page, email: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_demo_customer_signs_in_and_sees_my_account(demo_context, demo):
    page = demo_context.new_page()
    page.goto(f"{demo}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Demo Shop")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My account").click()
    sign_in(page, "anna@example.com")

    expect(page).to_have_url(re.compile(r"/my-account/$"))
    expect(page.get_by_role("main")).to_contain_text("Hello Anna")
    expect(page.get_by_role("main")).to_contain_text("Keizersgracht")


def test_demo_b2b_store_is_for_signed_in_customers_with_prices_without_tax(demo_context, demo):
    b2b = demo.replace("localhost", "b2b.localhost")
    page = demo_context.new_page()

    page.goto(f"{b2b}/catalog/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("main")).to_contain_text(
        "Demo B2B is open to signed-in customers only."
    )
    sign_in(page, "carla@example.com")

    expect(page).to_have_url(re.compile(r"/catalog/$"))
    expect(page.get_by_role("link", name="Standing desk 160 cm")).to_be_visible()
    # Carla's language is Italian: after sign-in the shop speaks it.
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.get_by_role("main")).to_contain_text("449,00 EUR")
