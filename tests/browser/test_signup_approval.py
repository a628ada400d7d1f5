"""Sign-up in a manual-approval store, end to end in headless Chromium with the
emails caught by a real SMTP server: the registration asks for the business
data, the email is confirmed, sign-in is refused with the reason until the
merchant approves, then it succeeds."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

CONFIRM_LINK = re.compile(r"(http://\S+/account/confirm-email/\S+/)")
SIGNIN_LINK = re.compile(r"(http://\S+/account/login/)\s")


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_registration_awaits_approval_then_signs_in(page, live_store, merchant, smtp_sink):
    store_actions.update_store(live_store, signup_mode=Store.SignupMode.APPROVAL)

    page.goto("/account/login/")
    page.get_by_role("link", name="Request a customer account").click()
    assert_accessible(page)
    page.get_by_label("First name").fill("Bea")
    page.get_by_label("Last name").fill("Buyer")
    page.get_by_label("Email").fill("bea@acme.example")
    page.get_by_label("Business").check()
    page.get_by_label("Company name").fill("Acme AS")
    page.get_by_label("VAT number").fill("NO999999999MVA")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")

    deliver_due_emails()
    (confirmation,) = smtp_sink.to("bea@acme.example")
    page.goto(CONFIRM_LINK.search(smtp_sink.text_of(confirmation)).group(1))
    page.get_by_role("button", name="Confirm").click()

    page.goto("/account/login/")
    sign_in(page, "bea@acme.example", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account awaits approval")
    expect(page.get_by_role("main")).to_contain_text(
        "we will email you as soon as your account is approved"
    )
    assert_accessible(page)
    page.goto("/my-account/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    bea = Customer.objects.get(email="bea@acme.example")
    assert (bea.company_name, bea.vat_number) == ("Acme AS", "NO999999999MVA")
    actions.approve_registration(bea, actor=merchant)
    deliver_due_emails()
    approved = smtp_sink.to("bea@acme.example")[-1]
    assert approved["Subject"] == "Your account at Browser Shop is approved"
    page.goto(SIGNIN_LINK.search(smtp_sink.text_of(approved)).group(1))
    sign_in(page, "bea@acme.example", PASSWORD)

    expect(page).to_have_url(re.compile(r"/my-account/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_role("main")).to_contain_text("Hello Bea")
