"""Sign-up without a password end to end in headless Chromium, every email
caught by a real SMTP server: the store's sign-up form asks for the email
only, the emailed link activates the account, the customer signs in with an
emailed code and later sets a password in My account. Every page passes
axe-core."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers.models import Customer
from shop_accounts.stores import actions as store_actions
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIRM_LINK = re.compile(r"(http://\S+/account/confirm-email/\S+/)")
SIGNIN_CODE = re.compile(r"^\s*([A-Z0-9-]{4,})\s*$", re.MULTILINE)
PASSWORD_LABEL = re.compile(r"^Password:?$")


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def newest_text(smtp_sink, email: str) -> str:
    deliver_due_emails()
    return smtp_sink.text_of(smtp_sink.to(email)[-1])


def test_shopper_signs_up_with_the_email_only_signs_in_with_a_code_and_sets_a_password_later(
    page, live_store, smtp_sink
):
    store_actions.update_store(live_store, signup_without_password=True)

    page.goto("/account/signup/")
    assert_accessible(page)
    expect(page.get_by_label(PASSWORD_LABEL)).to_have_count(0)
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("Jansen")
    page.get_by_label("Email").fill("nina@example.com")
    page.get_by_role("button", name="Create the account").click()
    expect(page).to_have_url(re.compile(r"/account/confirm-email/$"))

    text = newest_text(smtp_sink, "nina@example.com")
    assert "no password needed" in text
    page.goto(CONFIRM_LINK.search(text).group(1))
    page.get_by_role("button", name="Confirm").click()
    # Signed in by the link in this browser; the code is for the next time.
    expect(page).to_have_url(re.compile(r"/my-account/$"))
    assert Customer.objects.get(email="nina@example.com").account_state == (
        Customer.AccountState.ACTIVE
    )
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    page.goto("/account/login/")
    page.get_by_role("link", name="Email me a code").click()
    page.get_by_label("Email").fill("nina@example.com")
    page.get_by_role("button", name="Send the code").click()
    code = SIGNIN_CODE.search(newest_text(smtp_sink, "nina@example.com")).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/my-account/$"))

    page.get_by_role("link", name="Set a password").click()
    expect(page).to_have_url(re.compile(r"/account/password/set/$"))
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Set password").click()

    expect(page).not_to_have_url(re.compile(r"/account/password/set/$"))
    assert Customer.objects.get(email="nina@example.com").check_password(PASSWORD)
