"""Accepting an invitation end to end in headless Chromium, the email caught
by a real SMTP server: follow the emailed link, choose a password, land in My
account; the used link then says so."""

import re
from datetime import timedelta

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.identity import invitations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK_URL = re.compile(r"(http://\S+/account/invitation/[A-Za-z0-9_\-]+/)")
NEW_PASSWORD = "a long walk on a quiet beach"


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_invited_customer_follows_the_link_sets_a_password_and_lands_in_my_account(
    page, live_server, live_store, smtp_sink
):
    anna = actions.create_customer(
        store=live_store, email="anna@example.com", actor=None, first_name="Anna"
    )
    invitations.invite_customer(anna, store=live_store, actor=None)
    deliver_due_emails()
    (message,) = smtp_sink.to("anna@example.com")
    link = LINK_URL.search(smtp_sink.text_of(message)).group(1)
    assert link.startswith(live_server.url)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Open your account at Browser Shop")
    expect(page.get_by_label("Email")).to_have_value("anna@example.com")
    expect(page.get_by_label("Email")).to_be_disabled()
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password (again)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Activate my account").click()

    expect(page).to_have_url(re.compile(r"/my-account/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_text("Hello Anna.")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Your account is open.")

    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This invitation has already been used"
    )
    expect(page.get_by_role("link", name="Reset your password")).to_be_visible()
    assert_accessible(page)


def test_expired_invitation_offers_a_new_one_by_email(page, live_server, live_store, smtp_sink):
    anna = actions.create_customer(store=live_store, email="anna@example.com", actor=None)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        invitations.invite_customer(anna, store=live_store, actor=None)
    deliver_due_emails()
    old_link = LINK_URL.search(smtp_sink.text_of(smtp_sink.to("anna@example.com")[0])).group(1)

    with time_machine.travel(now + timedelta(days=31)):
        page.goto(old_link)
        expect(page.get_by_role("heading", level=1)).to_have_text("This invitation has expired")
        assert_accessible(page)
        page.get_by_role("button", name="Send me a new invitation").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
        assert_accessible(page)

        deliver_due_emails()
        fresh = smtp_sink.to("anna@example.com")[-1]
        new_link = LINK_URL.search(smtp_sink.text_of(fresh)).group(1)
        assert new_link != old_link
        page.goto(new_link)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Open your account at Browser Shop"
        )
