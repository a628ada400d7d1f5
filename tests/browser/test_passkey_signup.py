"""Opening an account with a passkey in headless Chromium, with Chromium's
virtual authenticator (over CDP) doing the real WebAuthn ceremony and every
email caught by a real SMTP server: a shopper signs up with a passkey (email
only, confirms it with the emailed link in the same browser, creates the
passkey, is signed in); an invited customer chooses "Use a passkey instead"
and registers the passkey without being asked for a password. Both sign in
with the passkey alone afterwards. Every page passes axe-core."""

import re

import pytest
from allauth.mfa.models import Authenticator
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity import invitations
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.browser.webauthn import add_virtual_authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INVITATION_LINK = re.compile(r"(http://\S+/account/invitation/[A-Za-z0-9_\-]+/)")
MY_ACCOUNT = re.compile(r"/my-account/$")
CONFIRM_LINK = re.compile(r"(http://\S+/account/confirm-email/\S+/)")


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def sign_in_with_passkey(page: Page) -> None:
    page.goto("/account/login/")
    # The WebAuthn button works once the page\'s scripts have run.
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page).to_have_url(MY_ACCOUNT)


def test_invited_customer_opens_the_account_with_a_passkey_and_signs_in_with_it(
    page, live_server, live_store, smtp_sink
):
    anna = actions.create_customer(
        store=live_store, email="anna@example.com", actor=None, first_name="Anna"
    )
    invitations.invite_customer(anna, store=live_store, actor=None)
    deliver_due_emails()
    link = INVITATION_LINK.search(smtp_sink.text_of(smtp_sink.to("anna@example.com")[0])).group(1)
    add_virtual_authenticator(page)

    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Use a passkey instead").click()

    expect(page).to_have_url(re.compile(r"/account/2fa/webauthn/add/$"))
    expect(page.get_by_role("status")).to_contain_text("Your account is open. Now add a passkey")
    # Every passkey signs in on its own: there is nothing to tick.
    expect(page.get_by_role("checkbox")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Name").fill("Anna's laptop")
    # The WebAuthn button works once the page\'s scripts have run.
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Add a passkey").click()

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
    # The trail: opened by the invitation, then signed in with the passkey.
    signed_in = anna.events.filter(kind="signed_in").order_by("pk")
    assert [event.data["method"] for event in signed_in] == ["invitation", "passkey"]


def test_shopper_signs_up_with_a_passkey_and_signs_in_with_it(page, live_store, smtp_sink):
    add_virtual_authenticator(page)
    page.goto("/account/signup/")
    page.get_by_role("link", name="Sign up using a passkey").click()

    expect(page).to_have_url(re.compile(r"/account/signup/passkey/$"))
    assert_accessible(page)
    expect(page.get_by_label("Password")).to_have_count(0)
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("Jansen")
    page.get_by_label("Email").fill("nina@example.com")
    page.get_by_role("button", name="Create the account").click()
    expect(page).to_have_url(re.compile(r"/account/confirm-email/$"))

    deliver_due_emails()
    (message,) = smtp_sink.to("nina@example.com")
    assert message["Subject"] == "Activate your account at Browser Shop"
    link = CONFIRM_LINK.search(smtp_sink.text_of(message)).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(re.compile(r"/account/2fa/webauthn/signup/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create Passkey")
    assert_accessible(page)
    page.get_by_label("Name").fill("Nina's phone")
    # The WebAuthn button works once the page\'s scripts have run.
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Create").click()

    expect(page).to_have_url(MY_ACCOUNT)
    nina = Customer.objects.get(email="nina@example.com")
    assert nina.account_state == Customer.AccountState.ACTIVE
    assert not nina.has_usable_password()
    passkey = Authenticator.objects.get(user=nina, type=Authenticator.Type.WEBAUTHN)
    assert passkey.data["name"] == "Nina's phone"
    sign_out(page)

    sign_in_with_passkey(page)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_approval_store_passkey_sign_up_waits_for_the_merchant_then_signs_in_with_it(
    page, live_server, live_store, smtp_sink
):
    store_actions.update_store(live_store, signup_mode=Store.SignupMode.APPROVAL)
    add_virtual_authenticator(page)
    page.goto("/account/signup/passkey/")
    page.get_by_label("First name").fill("Bea")
    page.get_by_label("Last name").fill("Buyer")
    page.get_by_label("Email").fill("bea@example.com")
    page.get_by_role("button", name="Send the request").click()

    deliver_due_emails()
    text = smtp_sink.text_of(smtp_sink.to("bea@example.com")[-1])
    assert "After you confirm, the shop reviews your registration." in text
    page.goto(CONFIRM_LINK.search(text).group(1))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create Passkey")
    # The WebAuthn button works once the page\'s scripts have run.
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Create").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your account awaits approval", timeout=15_000
    )
    bea = Customer.objects.get(email="bea@example.com")
    assert bea.account_state == Customer.AccountState.AWAITING_APPROVAL
    assert Authenticator.objects.filter(user=bea, type=Authenticator.Type.WEBAUTHN).exists()
    page.goto("/my-account/")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    actions.approve_registration(bea, actor=None)
    sign_in_with_passkey(page)
    expect(page.get_by_role("main")).to_contain_text("Hello Bea")
