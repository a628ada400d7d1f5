"""The merchant rewords an email in the back office, in headless Chromium:
the edit page previews it (HTML part in a sandboxed frame, text part below)
with sample data, "Send me a test" puts it in the outbox for the merchant,
and the page passes axe-core."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from shop_accounts.core.models import OutboundEmail
from shop_accounts.stores import actions as store_actions
from tests.browser.test_backoffice_merchant_tools import merchant_signs_in, staff  # noqa: F401

pytestmark = pytest.mark.browser


def test_merchant_previews_an_email_and_sends_a_test(page: Page, live_store, staff):  # noqa: F811
    store_actions.update_store(live_store, email_colour="#0b6e4f")
    text = store_actions.set_email_text(
        store=live_store,
        kind="password_changed",
        language="en",
        subject="{first_name}, your password at {store_name} was changed",
        message="We changed the password of your account, as you asked.",
    )
    merchant_signs_in(page)

    page.goto(f"/backoffice/stores/emailtext/{text.pk}/change/")

    expect(page.get_by_role("heading", name="Preview with sample data")).to_be_visible()
    expect(page.get_by_text("Anna, your password at Browser Shop was changed")).to_be_visible()
    frame = page.frame_locator("iframe.email-preview-frame")
    expect(
        frame.get_by_text("We changed the password of your account, as you asked.")
    ).to_be_visible()
    expect(frame.get_by_text("Device: Firefox 128 on Windows 10")).to_be_visible()
    expect(page.locator("div.email-preview-text")).to_contain_text("IP address: 203.0.113.7")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    page.get_by_role("button", name="Send me a test").click()

    expect(page).to_have_url(re.compile(rf"/emailtext/{text.pk}/change/$"))
    expect(page.get_by_text("A test of this email was sent to staff@example.com.")).to_be_visible()
    sent = OutboundEmail.objects.get(recipient="staff@example.com")
    assert sent.subject == "Anna, your password at Browser Shop was changed"
    assert "#0b6e4f" in sent.body_html
