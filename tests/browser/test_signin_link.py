"""Signing in with an emailed link, end to end in headless Chromium with the
email caught by a real SMTP server."""

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import Page, expect

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.stores import actions as store_actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK_URL = re.compile(r"(http://\S+/account/login/link/[A-Za-z0-9_\-]+/)")


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


def test_shopper_signs_in_with_an_emailed_link(shopper, store, make_account_holder, smtp_sink):
    # The emailed link is built from the store's host name: the live server's.
    store = store_actions.update_store(store, hostname="localhost")
    make_account_holder(store, "anna@example.com", first_name="Anna")

    shopper.goto("/account/login/")
    assert_accessible(shopper)
    shopper.get_by_role("link", name="Email me a sign-in link").click()
    expect(shopper.get_by_role("heading", level=1)).to_have_text("Email me a sign-in link")
    assert_accessible(shopper)
    shopper.get_by_label("Email").fill("anna@example.com")
    shopper.get_by_role("button", name="Send the link").click()
    expect(shopper.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert_accessible(shopper)

    deliver_due_emails()
    (message,) = smtp_sink.to("anna@example.com")
    link = LINK_URL.search(smtp_sink.text_of(message)).group(1)
    shopper.goto(link)
    expect(shopper.get_by_role("heading", level=1)).to_have_text("Sign in to Test Shop")
    assert_accessible(shopper)
    shopper.get_by_label("Stay signed in").check()
    shopper.get_by_role("button", name="Sign in", exact=True).click()

    expect(shopper).to_have_url(re.compile(r"/my-account/$"))
    expect(shopper.get_by_role("button", name="Sign out")).to_be_visible()
    session_cookie = next(c for c in shopper.context.cookies() if c["name"] == "sessionid")
    assert session_cookie["expires"] > 0  # stays after the browser closes

    shopper.goto("/account/sessions/")
    expect(shopper.get_by_role("heading", level=1)).to_have_text("Signed-in devices")
    assert_accessible(shopper)

    shopper.goto(link)
    expect(shopper.get_by_role("heading", level=1)).to_have_text(
        "This sign-in link no longer works"
    )
    assert_accessible(shopper)
