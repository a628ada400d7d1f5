"""Signing in with an emailed one-time code, end to end in headless Chromium
with the email caught by a real SMTP server."""

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import Page, expect

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.stores import actions as store_actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shopper(chromium, live_server) -> Iterator[Page]:
    """A fresh Chromium page pointed at the live server (the browser is shared,
    see conftest.py: one sync Playwright per process)."""
    cache.clear()
    context = chromium.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_shopper_signs_in_with_an_emailed_code(shopper, store, make_account_holder, smtp_sink):
    make_account_holder(store, "anna@example.com")

    shopper.goto("/account/login/")
    shopper.get_by_role("link", name="Email me a code").click()
    assert_accessible(shopper)
    shopper.get_by_label("Email").fill("anna@example.com")
    shopper.get_by_role("button", name="Send the code").click()
    expect(shopper).to_have_url(re.compile(r"/account/login/code/confirm/$"))
    assert_accessible(shopper)

    deliver_due_emails()
    (message,) = smtp_sink.to("anna@example.com")
    code = re.search(r"^\s*([A-Z0-9-]{4,})\s*$", smtp_sink.text_of(message), re.M).group(1)
    shopper.get_by_label("Code").fill(code)
    shopper.get_by_role("button", name="Confirm").click()

    expect(shopper).to_have_url(re.compile(r"/my-account/$"))
    expect(shopper.get_by_role("button", name="Sign out")).to_be_visible()


def test_shopper_of_a_store_without_codes_is_not_offered_one(shopper, store):
    store_actions.update_store(store, signin_with_code=False)

    shopper.goto("/account/login/")
    expect(shopper.get_by_role("link", name="Email me a sign-in link")).to_be_visible()
    expect(shopper.get_by_role("link", name="Email me a code")).to_have_count(0)
    response = shopper.goto("/account/login/code/")
    assert response is not None and response.status == 404
