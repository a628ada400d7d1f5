"""The back office on django-unfold in headless Chromium: the customer list
fits 1280 px without sideways scrolling and shows the merchant's columns,
every row of the approval queue has Approve and Decline in view (at 1280 and
390 px), the menu names what a merchant looks after, and the store form shows
only the chosen CAPTCHA provider's fields. Each page passes axe-core."""

import re
from collections.abc import Callable, Iterator

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity.actions import record_verified_email
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.conftest import MERCHANT_TOTP_SECRET, PASSWORD

pytestmark = pytest.mark.browser

CUSTOMER_COLUMNS = ["Name or email", "Account", "Customer type", "Store", "Last sign-in", "Created"]


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def merchant_page(chromium: Browser, live_server, live_store) -> Iterator[Callable[[int], Page]]:
    """A tab signed in as staff with an authenticator app, `width` px wide."""
    staff = Customer.objects.create_superuser("staff@example.com", PASSWORD, store=live_store)
    record_verified_email(staff)
    TOTP.activate(staff, MERCHANT_TOTP_SECRET)
    client = Client()
    client.force_login(staff)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    state = {
        "cookies": [{"name": cookie.key, "value": cookie.value, "url": live_server.url}],
        "origins": [],
    }
    contexts = []

    def open_at(width: int) -> Page:
        context = chromium.new_context(
            base_url=live_server.url,
            locale="en",
            viewport={"width": width, "height": 900},
            storage_state=state,
        )
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield open_at
    for context in contexts:
        context.close()


def scrolls_sideways(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
        " || [...document.querySelectorAll('#result_list')].some("
        "(t) => t.parentElement.scrollWidth > t.parentElement.clientWidth)"
    )


def test_the_customer_list_fits_1280_px_with_the_merchants_columns(merchant_page, live_store):
    other = store_actions.create_store(name="Wholesale Partners Scandinavia", hostname="b2b.local")
    for number in range(5):
        actions.create_customer(
            store=other if number % 2 else live_store,
            email=f"a.rather-long-address-{number}@customers.example.com",
            company_name="Acme Wholesale International Trading Company BV",
            actor=None,
        )
    page = merchant_page(1280)

    page.goto("/backoffice/customers/customer/")

    headers = page.locator("#result_list thead th:not(.action-checkbox-column)")
    expect(headers).to_contain_text(CUSTOMER_COLUMNS)  # beside the sort buttons
    row = page.get_by_role("row", name=re.compile("a.rather-long-address-1@"))
    expect(row).to_contain_text("No account")
    expect(row).to_contain_text("Wholesale Partners Scandinavia")
    assert not scrolls_sideways(page)
    assert_accessible(page)


def register(store: Store, email: str, company: str) -> Customer:
    registration = actions.register_customer(
        store=store,
        email=email,
        password=PASSWORD,
        language="en",
        first_name=email[:3].title(),
        company_name=company,
    )
    record_verified_email(registration)
    return registration


@pytest.mark.parametrize("width", [1280, 390])
def test_each_queue_row_has_approve_and_decline_in_view(merchant_page, live_store, width):
    store = store_actions.update_store(live_store, signup_mode=Store.SignupMode.APPROVAL)
    for email, company in (("bea@acme.example", "Acme AS"), ("cid@bolt.example", "Bolt AS")):
        register(store, email, company)
    page = merchant_page(width)

    page.goto("/backoffice/customers/pendingregistration/")

    rows = page.locator("#result_list tbody tr.data-row")
    expect(rows).to_have_count(2)
    for row in rows.all():
        for button in (
            row.get_by_role("button", name="Approve"),
            row.get_by_role("link", name="Decline"),
        ):
            expect(button).to_be_in_viewport()
    assert not scrolls_sideways(page)
    assert_accessible(page)


def test_the_menu_names_what_a_merchant_looks_after(merchant_page, live_store):
    store = store_actions.update_store(live_store, signup_mode=Store.SignupMode.APPROVAL)
    register(store, "bea@acme.example", "Acme AS")
    page = merchant_page(1440)  # unfold opens the menu beside the page above 1280 px

    page.goto("/backoffice/")

    menu = page.locator("#nav-sidebar-apps")
    expect(menu.get_by_role("heading")).to_have_text(["Customers", "Orders", "Shop", "Emails"])
    # By their accessible names: the icons are hidden from screen readers.
    entries = [
        "Customers",
        "Registrations awaiting approval 1",
        "Invitations sent",
        "Customer groups",
        "Orders",
        "Stores",
        "Catalog",
        "Shipping rates",
        "Email texts",
        "Email outbox",
    ]
    expect(menu.get_by_role("link")).to_have_count(len(entries))
    for entry in entries:
        expect(menu.get_by_role("link", name=entry, exact=True)).to_be_visible()
    expect(page.get_by_text("Core", exact=True)).to_have_count(0)
    assert_accessible(page)


def captcha_fields_shown(page: Page) -> list[str]:
    names = [
        "captcha_site_key",
        "new_captcha_secret_key",
        "clear_captcha_secret_key",
        "captcha_min_score",
        "captcha_on_signin",
    ]
    return [name for name in names if page.locator(f".field-{name}").first.is_visible()]


def test_the_store_form_shows_only_the_chosen_captcha_providers_fields(merchant_page, live_store):
    page = merchant_page(1280)

    page.goto(f"/backoffice/stores/store/{live_store.pk}/change/")
    provider = page.locator("#id_captcha_provider")

    expect(provider).to_have_value(Store.CaptchaProvider.NONE)
    assert captcha_fields_shown(page) == []
    provider.select_option(Store.CaptchaProvider.ALTCHA)
    expect(page.locator(".field-captcha_on_signin")).to_be_visible()
    assert captcha_fields_shown(page) == ["captcha_on_signin"]
    provider.select_option(Store.CaptchaProvider.HCAPTCHA)
    expect(page.locator(".field-captcha_site_key")).to_be_visible()
    assert captcha_fields_shown(page) == [
        "captcha_site_key",
        "new_captcha_secret_key",
        "clear_captcha_secret_key",
        "captcha_on_signin",
    ]
    provider.select_option(Store.CaptchaProvider.RECAPTCHA_V3)
    expect(page.locator(".field-captcha_min_score")).to_be_visible()
    assert "captcha_min_score" in captcha_fields_shown(page)
    assert_accessible(page)

    # The sections a merchant scans the policy by.
    expect(page.locator("form h2")).to_contain_text(
        ["Store", "Sign-up", "Sign-in", "Checkout", "Visibility", "Form protection (CAPTCHA)"]
    )
