"""The self-hosted ALTCHA proof of work in Chromium, under the site's strict
CSP: the widget fetches a challenge, solves it in a worker, and the contact
form goes through; without a solution the form is refused.

The widget starts solving as soon as the shopper is in the form (auto
"onfocus"), so the test does not click its checkbox: a click after the
solution would untick it and start over."""

import pytest
from playwright.sync_api import expect

from shop_accounts.customers.models import ContactMessage
from shop_accounts.stores import actions as store_actions

pytestmark = pytest.mark.browser


@pytest.fixture
def altcha_store(live_store, monkeypatch):
    monkeypatch.setenv("SHOP_ALTCHA_COST", "50")  # a quick proof of work in tests
    return store_actions.update_store(live_store, captcha_provider="altcha")


def fill_contact_form(page) -> None:
    page.get_by_label("Your name").fill("Nina Visser")
    page.get_by_label("Email").fill("nina@example.com")
    page.get_by_label("Subject").fill("Opening hours")
    page.get_by_label("Message").fill("Are you open on Sundays?")


def test_solved_challenge_lets_the_contact_form_through(page, altcha_store):
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto("/contact/")
    widget = page.locator("altcha-widget .altcha")
    # Mounted before the first field gets focus, so that focus starts the solving.
    expect(widget).to_have_attribute("data-state", "unverified")
    fill_contact_form(page)

    expect(widget).to_have_attribute("data-state", "verified", timeout=30_000)
    page.get_by_role("button", name="Send the message").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your message")
    assert ContactMessage.objects.filter(email="nina@example.com").count() == 1
    assert not [error for error in errors if "Content Security Policy" in error]


def test_unsolved_challenge_refuses_the_contact_form(page, altcha_store):
    page.goto("/contact/")
    fill_contact_form(page)
    page.locator("altcha-widget").evaluate("widget => widget.remove()")

    page.get_by_role("button", name="Send the message").click()

    expect(page.get_by_text("Please complete the spam check")).to_be_visible()
    assert ContactMessage.objects.count() == 0
