"""Opening an account with a passkey in headless Chromium, with Chromium's
virtual authenticator (over CDP) doing the real WebAuthn ceremony and every
email caught by a real SMTP server: an invited customer chooses "Use a passkey
instead", registers the passkey without being asked for a password, and
signs in with it alone afterwards. Every page passes axe-core."""

import re

import pytest
from allauth.mfa.models import Authenticator
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity import invitations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INVITATION_LINK = re.compile(r"(http://\S+/account/invitation/[A-Za-z0-9_\-]+/)")
MY_ACCOUNT = re.compile(r"/my-account/$")


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def add_virtual_authenticator(page: Page) -> None:
    """A platform passkey authenticator (like a phone or laptop) that says
    yes to every user-verification prompt."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def sign_in_with_passkey(page: Page) -> None:
    page.goto("/account/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page).to_have_url(MY_ACCOUNT)


def test_invited_customer_opens_the_account_with_a_passkey_and_signs_in_with_it(
    page, live_server, live_store, smtp_sink
):
    anna = actions.create_customer(
        store=live_store, email="anna@example.com", actor=None, first_name="Anna"
    )
    invitations.invite_customer(anna, store=live_store, actor=None, base_url=live_server.url)
    deliver_due_emails()
    link = INVITATION_LINK.search(smtp_sink.text_of(smtp_sink.to("anna@example.com")[0])).group(1)
    add_virtual_authenticator(page)

    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Use a passkey instead").click()

    expect(page).to_have_url(re.compile(r"/account/2fa/webauthn/add/$"))
    expect(page.get_by_role("status")).to_contain_text("Your account is open. Now add a passkey")
    expect(page.get_by_label("Passwordless")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Name").fill("Anna's laptop")
    page.get_by_role("button", name="Add").click()

    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"))
    passkey = Authenticator.objects.get(user=anna, type=Authenticator.Type.WEBAUTHN)
    assert passkey.data["name"] == "Anna's laptop"
    assert passkey.wrap().is_passwordless is True
    anna.refresh_from_db()
    assert anna.account_state == Customer.AccountState.ACTIVE
    assert not anna.has_usable_password()
    page.goto("/my-account/")
    sign_out(page)

    sign_in_with_passkey(page)
    expect(page.get_by_role("main")).to_contain_text("Hello Anna")
