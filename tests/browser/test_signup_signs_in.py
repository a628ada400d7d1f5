"""Sign-up end to end in headless Chromium with a real SMTP server: the
shopper gives first and last name, ticks the marketing consent, follows the
emailed confirmation link in the same browser and lands signed in on My
account. A business store's form starts as a business and asks for the
country. Every page passes axe-core and fits 390 px without sideways
scrolling, also with a 110-character first name."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIRM_LINK = re.compile(r"(http://\S+/account/confirm-email/\S+/)")
MY_ACCOUNT = re.compile(r"/my-account/$")
LONG_NAME = "Maximiliane" * 10  # 110 characters


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def assert_no_sideways_scrolling(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def fill_sign_up(page: Page, first_name: str, email: str) -> None:
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill("Jansen")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)


def test_sign_up_then_the_confirmation_link_in_the_same_browser_signs_in(
    page, live_store, smtp_sink
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/account/signup/")
    assert_accessible(page)
    consent = page.get_by_label("Send me news and offers")
    expect(consent).not_to_be_checked()
    fill_sign_up(page, LONG_NAME, "nina@example.com")
    consent.check()
    page.get_by_role("button", name="Create the account").click()
    expect(page).to_have_url(re.compile(r"/account/confirm-email/$"))

    deliver_due_emails()
    (message,) = smtp_sink.to("nina@example.com")
    text = smtp_sink.text_of(message)
    assert text.splitlines()[0] == f"Hello {LONG_NAME[:39]}…,"
    page.goto(CONFIRM_LINK.search(text).group(1))
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(MY_ACCOUNT)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator(".greeting")).to_have_text(f"Hello {LONG_NAME[:39]}….")
    expect(page.locator(".header-greeting")).to_have_attribute("title", LONG_NAME)
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
    nina = Customer.objects.get(email="nina@example.com")
    assert nina.account_state == Customer.AccountState.ACTIVE
    assert nina.accepts_marketing
    assert nina.marketing_consent_source == Customer.ConsentSource.SIGNUP


@pytest.mark.parametrize("width", [390, 1280])
def test_a_business_stores_sign_up_starts_as_a_business_and_asks_for_the_country(
    page, live_store, width
):
    store_actions.update_store(
        live_store,
        signup_mode=Store.SignupMode.APPROVAL,
        default_customer_type=Store.CustomerType.BUSINESS,
    )
    page.set_viewport_size({"width": width, "height": 900})

    page.goto("/account/signup/")

    expect(page.get_by_label("Business")).to_be_checked()
    notice = page.get_by_text("The shop reviews new accounts before you can sign in.")
    expect(notice).to_be_visible()
    page.get_by_label("Country").select_option("NO")
    expect(page.get_by_label("Country")).to_have_value("NO")
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
