"""Every storefront page passes axe-core (WCAG rules as axe ships them), run in
headless Chromium against the live server."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from shop_accounts.catalog.actions import create_product
from shop_accounts.stores import actions as store_actions
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

# axe is injected with page.evaluate, which goes through the DevTools protocol
# and so is not subject to the page's Content-Security-Policy: the pages are
# checked with the same strict CSP that customers get (no bypass_csp).
AXE = Axe()


def axe_violations(page: Page) -> list[str]:
    """One line per rule broken: its id, impact and the nodes that break it."""
    results = AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Welcome to Browser Shop"),
        ("/catalog/", "Catalog"),
        ("/cart/", "Cart"),
        ("/account/login/", "Sign in"),
        ("/account/signup/", "Create an account"),
        ("/account/password/reset/", "Reset your password"),
    ],
)
def test_public_page_has_no_accessibility_violations(page, path, heading):
    response = page.goto(path)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)

    violations = axe_violations(page)

    assert violations == [], "\n".join(violations)


def test_my_account_page_has_no_accessibility_violations(page, live_store, make_account_holder):
    make_account_holder(live_store, "anna@example.com", first_name="Anna")
    page.goto("/my-account/")
    page.get_by_label("Email").fill("anna@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")

    violations = axe_violations(page)

    assert violations == [], "\n".join(violations)


def test_sign_in_error_has_no_accessibility_violations(page, live_store, make_account_holder):
    make_account_holder(live_store, "anna@example.com")
    page.goto("/account/login/")
    page.get_by_label("Email").fill("anna@example.com")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator(".errorlist")).to_be_visible()

    violations = axe_violations(page)

    assert violations == [], "\n".join(violations)


@pytest.mark.parametrize("guest_prices", ["shown", "hidden"])
def test_catalog_and_product_pages_have_no_accessibility_violations(page, live_store, guest_prices):
    store_actions.update_store(live_store, guest_prices=guest_prices)
    for number in range(30):
        create_product(live_store, name=f"Mug {number:02}", price=Decimal("9.90"))

    page.goto("/catalog/")
    expect(page.locator(".product-card")).to_have_count(24)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Mug 00").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mug 00")
    assert axe_violations(page) == []
