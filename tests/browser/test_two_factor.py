"""Two-factor authentication end to end in headless Chromium: a customer sets
up an authenticator app and signs in with its code, registers a passkey
(Chromium's virtual authenticator over CDP) and signs in with it alone, and
in a store that requires two factors gets an emailed code after the password."""

import re

import pytest
from allauth.mfa.models import Authenticator
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import Page, expect

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.stores import actions as store_actions
from tests.browser.webauthn import add_virtual_authenticator
from tests.conftest import PASSWORD
from tests.totp import current_totp

pytestmark = pytest.mark.browser

MY_ACCOUNT = re.compile(r"/my-account/$")


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def sign_in_with_password(page: Page, email: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def confirm_password(page: Page) -> None:
    """allauth asks for the password again before a factor is added."""
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def test_customer_sets_up_an_authenticator_app_and_signs_in_with_its_code(
    page, live_store, make_account_holder
):
    anna = make_account_holder(live_store, "anna@example.com", first_name="Anna")
    sign_in_with_password(page, "anna@example.com")
    expect(page).to_have_url(MY_ACCOUNT)

    page.get_by_role("link", name="Two-factor authentication").click()
    assert_accessible(page)
    page.get_by_role("link", name="Set up an authenticator app").click()
    confirm_password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    assert_accessible(page)
    # The key is written out in groups of four, for those who cannot scan.
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Authenticator code").fill(current_totp(secret))
    page.get_by_role("button", name="Set up the app").click()

    # Then the recovery codes, as a list to print or download.
    expect(page).to_have_url(re.compile(r"/account/2fa/recovery-codes/$"))
    assert_accessible(page)
    expect(page.locator(".code-list li")).to_have_count(10)
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == "recovery-codes.txt"
    page.get_by_role("link", name="I have saved them").click()
    expect(page).to_have_url(re.compile(r"/account/2fa/$"))
    expect(page.get_by_role("main")).to_contain_text("10 of 10 left")
    assert Authenticator.objects.filter(user=anna, type=Authenticator.Type.TOTP).exists()
    sign_out(page)

    sign_in_with_password(page, "anna@example.com")
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))
    assert_accessible(page)
    page.get_by_label("Code").fill(current_totp(secret))
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page).to_have_url(MY_ACCOUNT)
    expect(page.get_by_role("main")).to_contain_text("Hello Anna")


def test_customer_registers_a_passkey_and_signs_in_with_it_alone(
    page, live_store, make_account_holder
):
    anna = make_account_holder(live_store, "anna@example.com", first_name="Anna")
    add_virtual_authenticator(page)
    sign_in_with_password(page, "anna@example.com")
    expect(page).to_have_url(MY_ACCOUNT)

    page.goto("/account/2fa/webauthn/add/")
    confirm_password(page)
    assert_accessible(page)
    page.get_by_label("Name").fill("Laptop")
    # The WebAuthn button works once the page\'s scripts have run.
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Add a passkey").click()

    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"))
    passkey = Authenticator.objects.get(user=anna, type=Authenticator.Type.WEBAUTHN)
    assert passkey.data["name"] == "Laptop"
    sign_out(page)

    page.goto("/account/login/")
    # The WebAuthn button works once the page\'s scripts have run.
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Sign in with a passkey").click()

    expect(page).to_have_url(MY_ACCOUNT)
    expect(page.get_by_role("main")).to_contain_text("Hello Anna")


def test_a_passkey_is_named_after_the_device_and_a_second_one_there_is_refused(
    page, live_store, make_account_holder
):
    anna = make_account_holder(live_store, "anna@example.com", first_name="Anna")
    add_virtual_authenticator(page)
    sign_in_with_password(page, "anna@example.com")
    page.goto("/account/2fa/webauthn/add/")
    confirm_password(page)
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page).to_have_url(re.compile(r"/account/2fa/recovery-codes/$"))

    page.goto("/account/2fa/webauthn/")
    (passkey,) = Authenticator.objects.filter(user=anna, type=Authenticator.Type.WEBAUTHN)
    name = passkey.wrap().name
    assert re.fullmatch(r"Passkey on (Headless)?Chrome \d+ on Linux", name), name
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=name))
    expect(card).to_contain_text("Last used")
    expect(card).to_contain_text("Not used yet")
    assert_accessible(page)

    # The device holds a passkey for this account already: it refuses to
    # make another, and the page says so.
    page.get_by_role("link", name="Add a passkey").click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("alert")).to_have_text(
        "This device already has a passkey for your account. Use another device, "
        "or rename or remove the passkey you have."
    )
    assert_accessible(page)
    assert Authenticator.objects.filter(user=anna, type=Authenticator.Type.WEBAUTHN).count() == 1


def test_signed_in_devices_are_listed_from_my_account_and_one_can_be_signed_out(
    page, live_store, make_account_holder
):
    make_account_holder(live_store, "anna@example.com")
    sign_in_with_password(page, "anna@example.com")

    page.get_by_role("link", name="Signed-in devices").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Signed-in devices")
    expect(page.get_by_role("main")).to_contain_text("This device")
    assert_accessible(page)

    phone = Client(
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) "
        "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
    )
    phone.post("/account/login/", {"login": "anna@example.com", "password": PASSWORD})
    page.reload()
    expect(page.get_by_role("heading", name="Mobile Safari 18 on iPhone (iOS 18)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out this device").click()

    expect(page.get_by_role("main")).to_contain_text("That device is signed out.")
    expect(page.get_by_role("heading", name="Mobile Safari 18 on iPhone (iOS 18)")).to_have_count(0)
    assert not phone.get("/my-account/").wsgi_request.user.is_authenticated


def test_a_store_requiring_two_factor_emails_a_code_then_asks_to_set_up_an_app(
    page, live_store, make_account_holder, smtp_sink
):
    store_actions.update_store(live_store, two_factor="required")
    make_account_holder(live_store, "anna@example.com")

    sign_in_with_password(page, "anna@example.com")
    expect(page).to_have_url(re.compile(r"/account/login/code/confirm/$"))
    deliver_due_emails()
    (message,) = smtp_sink.to("anna@example.com")
    code = re.search(r"^\s*([A-Z0-9-]{4,})\s*$", smtp_sink.text_of(message), re.M).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(re.compile(r"/account/2fa/$"))
    expect(page.get_by_role("main")).to_contain_text(
        "This shop asks every customer for a second factor."
    )
    assert_accessible(page)
    page.goto("/my-account/")
    expect(page).to_have_url(re.compile(r"/account/2fa/$"))
