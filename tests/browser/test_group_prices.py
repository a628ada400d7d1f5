"""A customer group's member sees their price on the product page and the
catalog, and both pages pass axe-core with the discount shown, at phone
width too."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from shop_accounts.catalog import groups
from shop_accounts.catalog.actions import create_product
from tests.browser.test_accessibility import axe_violations
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1280])
def test_a_members_discounted_prices_pass_axe(page, live_store, make_account_holder, width):
    trade = groups.create_customer_group(live_store, name="Trade", discount_percent=Decimal("10"))
    mug = create_product(live_store, name="Stoneware mug", price=Decimal("9.00"))
    throw = create_product(live_store, name="Wool throw", price=Decimal("74.38"))
    groups.set_group_price(trade, throw, Decimal("59.50"))
    bernd = make_account_holder(live_store, "bernd@example.com", first_name="Bernd")
    groups.set_customer_group(bernd, store=live_store, group=trade, actor=None)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(f"/account/login/?next=/products/{mug.slug}/")
    page.get_by_label("Email").fill("bernd@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Stoneware mug")
    price = page.locator(".product-price")
    # NL, 21 %: 8.10 → 9.80 and 9.00 → 10.89 with tax.
    expect(price).to_have_text("Your price 9.80 EUR (10 % group discount) Regular price 10.89 EUR")
    expect(price.locator("s")).to_have_text("10.89 EUR")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto("/catalog/")
    expect(page.locator(".product-card").filter(has_text="Wool throw")).to_contain_text(
        "Your price 72.00 EUR (your group price) Regular price 90.00 EUR"
    )
    assert axe_violations(page) == []
