"""The merchant's tools in the back office, in headless Chromium: the staff
member signs in with password and authenticator app, finds the registrations
awaiting approval from the menu, approves one from its row; on a customer's
page unlocks a locked sign-in method and signs the customer out everywhere,
which ends the customer's live browser session. Each page passes axe-core."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.identity.actions import record_verified_email
from shop_accounts.identity.factor_locks import record_factor_failure
from shop_accounts.identity.models import FactorFailures
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.conftest import MERCHANT_TOTP_SECRET, PASSWORD
from tests.totp import current_totp

pytestmark = pytest.mark.browser

Kind = CustomerEvent.Kind


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def sign_in(page: Page, email: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


@pytest.fixture
def staff(live_store) -> Customer:
    staff = Customer.objects.create_superuser("staff@example.com", PASSWORD, store=live_store)
    record_verified_email(staff)
    TOTP.activate(staff, MERCHANT_TOTP_SECRET)
    return staff


def merchant_signs_in(page: Page) -> None:
    sign_in(page, "staff@example.com")
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))
    page.get_by_label("Code").fill(current_totp(MERCHANT_TOTP_SECRET))
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.goto("/backoffice/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Customers, stores and emails")


def test_merchant_approves_a_registration_from_the_queue(page, live_store, staff):
    live_store = store_actions.update_store(live_store, signup_mode=Store.SignupMode.APPROVAL)
    for email, company in (("bea@acme.example", "Acme AS"), ("cid@bolt.example", "Bolt AS")):
        registration = actions.register_customer(
            store=live_store,
            email=email,
            password=PASSWORD,
            language="en",
            first_name=email[:3].title(),
            company_name=company,
        )
        record_verified_email(registration)

    merchant_signs_in(page)
    expect(page.locator("#content-main")).to_contain_text("2 awaiting approval")
    assert_accessible(page)
    page.locator("#content-main").get_by_role(
        "link", name=re.compile("Registrations awaiting approval")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrations awaiting approval")
    expect(page.get_by_role("row", name=re.compile("Acme AS"))).to_contain_text("bea@acme.example")
    assert_accessible(page)

    page.get_by_role("row", name=re.compile("Acme AS")).get_by_role(
        "button", name="Approve"
    ).click()

    # The email as written, not capitalised.
    expect(page.locator(".messagelist")).to_contain_text(
        "bea@acme.example is approved and has been emailed."
    )
    expect(page.get_by_role("row", name=re.compile("Acme AS"))).to_have_count(0)
    expect(page.get_by_role("row", name=re.compile("Bolt AS"))).to_have_count(1)
    bea = Customer.objects.get(email="bea@acme.example")
    assert bea.account_state == Customer.AccountState.ACTIVE
    assert (
        bea.events.get(kind=Kind.APPROVED).actor_id
        == Customer.objects.get(email="staff@example.com").pk
    )
    assert_accessible(page)

    # Decline asks first, with a reason the customer is told.
    page.get_by_role("row", name=re.compile("Bolt AS")).get_by_role("link", name="Decline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decline registration")
    expect(page.locator("#content-main")).to_contain_text("Cid (cid@bolt.example)")
    assert Customer.objects.get(email="cid@bolt.example").account_state == (
        Customer.AccountState.AWAITING_APPROVAL
    )
    assert_accessible(page)
    page.get_by_label("Reason (optional)").fill("We only sell to resellers.")
    page.get_by_role("button", name="Yes, decline").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "The registration of cid@bolt.example is declined; they have been emailed."
    )
    expect(page.get_by_role("row", name=re.compile("Bolt AS"))).to_have_count(0)
    cid = Customer.objects.get(email="cid@bolt.example")
    assert cid.events.get(kind=Kind.DECLINED).data["reason"] == "We only sell to resellers."


def test_merchant_unlocks_a_method_and_signs_the_customer_out_everywhere(
    page,
    browser_context,
    chromium,
    live_server,
    live_store,
    staff,
    make_account_holder,
    monkeypatch,
):
    monkeypatch.setenv("SHOP_FACTOR_FAILURE_LIMIT", "3")
    anna = make_account_holder(live_store, "anna@example.com", first_name="Anna")
    for _attempt in range(3):
        record_factor_failure(anna, FactorFailures.Factor.TOTP, store=live_store)
    shopper_context = chromium.new_context(base_url=live_server.url, locale="en")
    shopper = shopper_context.new_page()
    sign_in(shopper, "anna@example.com")
    expect(shopper).to_have_url(re.compile(r"/my-account/$"))

    merchant_signs_in(page)
    page.goto(f"/backoffice/customers/customer/{anna.pk}/change/")
    locked_methods = page.locator(".field-locked_methods")
    expect(locked_methods.get_by_role("row", name=re.compile("Authenticator app"))).to_be_visible()
    expect(page.locator(".field-signed_in_devices")).to_contain_text("127.0.0.1")
    assert_accessible(page)

    page.get_by_role("button", name="Unlock").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Signing in with authenticator app codes works again for anna@example.com."
    )
    expect(page.locator(".field-locked_methods")).to_contain_text("No sign-in method is locked.")

    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page.locator(".messagelist")).to_contain_text(
        re.compile("anna@example.com is signed out of 1 device.", re.IGNORECASE)
    )
    expect(page.locator(".field-signed_in_devices")).to_contain_text("Not signed in on any device.")
    assert_accessible(page)

    shopper.goto("/my-account/")
    expect(shopper.get_by_role("heading", level=1)).to_have_text("Sign in")
    shopper_context.close()
    ended = anna.events.get(kind=Kind.SESSIONS_ENDED)
    assert (ended.actor_id, ended.data) == (staff.pk, {"sessions": 1})
