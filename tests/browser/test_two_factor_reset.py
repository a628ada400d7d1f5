"""The merchant's two-factor reset in headless Chromium: the customer page
lists the customer's two-factor methods, "Reset two-factor" leads to a
confirm page that asks for the merchant's own code, and afterwards the trail
names the merchant. Each page passes axe-core."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import Page, expect

from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity.actions import record_verified_email
from tests.browser.test_backoffice_merchant_tools import (
    assert_accessible,
    merchant_signs_in,
    staff,  # noqa: F401 (fixture)
)
from tests.conftest import MERCHANT_TOTP_SECRET, PASSWORD
from tests.totp import STEP_SECONDS, current_totp

pytestmark = pytest.mark.browser

CUSTOMER_SECRET = "KRUGS4ZANFZSA5DIMUQHG3DPMVRXEZLU"
SHOTS = ""  # a folder to screenshot each page into while working on it


def next_totp(secret: str) -> str:
    """A code of the next time step: the one that signed the merchant in is
    single use, so the reset needs a fresh one, as it would in real life."""
    time.sleep(STEP_SECONDS - time.time() % STEP_SECONDS + 0.1)
    return current_totp(secret)


def shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


@pytest.fixture
def anna(live_store) -> Customer:
    anna = actions.open_account(
        store=live_store, email="anna@example.com", password=PASSWORD, language="en"
    )
    record_verified_email(anna)
    TOTP.activate(anna, CUSTOMER_SECRET)
    RecoveryCodes.activate(anna)
    return anna


def test_merchant_resets_a_customers_two_factor_with_their_own_code(page, anna, staff):  # noqa: F811
    merchant_signs_in(page)
    page.goto(f"/backoffice/customers/customer/{anna.pk}/change/")
    expect(page.get_by_role("row", name=re.compile("Recovery codes"))).to_contain_text("10 left")
    shoot(page, "customer-page")
    assert_accessible(page)

    page.get_by_role("link", name="Reset two-factor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reset two-factor authentication for anna@example.com"
    )
    shoot(page, "confirm-page")
    assert_accessible(page)
    page.get_by_label("A code from your own authenticator app").fill(
        next_totp(MERCHANT_TOTP_SECRET)
    )
    page.get_by_role("button", name="Reset two-factor").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Two-factor authentication was reset for anna@example.com, who was told by email."
    )
    expect(
        page.get_by_role("row", name=re.compile("Two-factor authentication reset"))
    ).to_contain_text("staff@example.com")
    shoot(page, "after-reset")
    assert not Authenticator.objects.filter(user=anna).exists()
