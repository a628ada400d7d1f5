"""The ways into an account end to end in headless Chromium, every email
caught by a real SMTP server on loopback: sign-up in the free and the
activation-link modes, a used invitation, a used and an expired sign-in
link, deactivation ending a live session, the rate limit's page, identical
answers for known and unknown emails, and a store's tokens refused on
another store. Every page visited passes axe-core."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Locator, Page, expect

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity import actions as identity_actions
from shop_accounts.identity import invitations
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.browser.test_accessibility import axe_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

State = Customer.AccountState
CONFIRM_LINK = re.compile(r"(http://\S+/account/confirm-email/\S+/)")
SIGNIN_LINK = re.compile(r"(http://\S+/account/login/link/[A-Za-z0-9_\-]+/)")
INVITATION_LINK = re.compile(r"(http://\S+/account/invitation/[A-Za-z0-9_\-]+/)")
RESET_LINK = re.compile(r"(http://\S+/account/password/reset/key/\S+/)")
MY_ACCOUNT = re.compile(r"/my-account/$")
WRONG = "not the password at all"


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


@contextmanager
def fresh_browser(chromium: Browser, live_server) -> Iterator[Page]:
    """Another browser profile: no cookies, no session shared with `page`."""
    context = chromium.new_context(base_url=live_server.url, locale="en")
    context.set_default_timeout(5_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/account/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_up(page: Page, email: str) -> None:
    page.goto("/account/signup/")
    assert_accessible(page)
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("Jansen")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create the account").click()


def emailed_link(smtp_sink, email: str, pattern: re.Pattern[str]) -> str:
    """The link in the newest email to `email`, delivered through the outbox."""
    deliver_due_emails()
    return pattern.search(smtp_sink.text_of(smtp_sink.to(email)[-1])).group(1)


def expect_signed_out(page: Page) -> None:
    page.goto("/my-account/")
    expect(heading(page)).to_have_text("Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


# --- sign-up ---------------------------------------------------------------------


def test_free_sign_up_confirmed_by_the_emailed_link_opens_the_account(page, live_store, smtp_sink):
    sign_up(page, "nina@example.com")
    expect(heading(page)).to_have_text("Check your inbox")
    assert_accessible(page)

    page.goto(emailed_link(smtp_sink, "nina@example.com", CONFIRM_LINK))
    expect(heading(page)).to_have_text("Confirm your email address")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my email address").click()

    # The same browser that signed up is signed in by the link.
    expect(page).to_have_url(MY_ACCOUNT)
    expect(page.get_by_role("main")).to_contain_text("You have confirmed nina@example.com.")
    assert_accessible(page)
    assert Customer.objects.get(email="nina@example.com").account_state == State.ACTIVE
    expect(heading(page)).to_have_text("My account")
    assert_accessible(page)


def test_activation_link_sign_up_refuses_sign_in_until_the_link_is_followed(
    page, live_store, smtp_sink
):
    store_actions.update_store(live_store, signup_mode=Store.SignupMode.ACTIVATION_LINK)
    sign_up(page, "nina@example.com")
    expect(heading(page)).to_have_text("Check your inbox")
    link = emailed_link(smtp_sink, "nina@example.com", CONFIRM_LINK)

    sign_in(page, "nina@example.com")

    expect(heading(page)).to_have_text("Check your inbox")
    expect(page.get_by_role("main")).to_contain_text("Open the link in it to finish")
    assert_accessible(page)
    expect_signed_out(page)
    assert Customer.objects.get(email="nina@example.com").account_state == State.AWAITING_ACTIVATION

    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("main")).to_contain_text("You have confirmed nina@example.com.")

    # The refused sign-in waits in this browser: the link completes it.
    expect(page).to_have_url(MY_ACCOUNT)
    assert Customer.objects.get(email="nina@example.com").account_state == State.ACTIVE


# --- emailed tokens ------------------------------------------------------------------


def test_used_invitation_says_so_on_another_device_and_offers_sign_in_or_reset(
    page, chromium, live_server, live_store, smtp_sink
):
    anna = actions.create_customer(store=live_store, email="anna@example.com", actor=None)
    invitations.invite_customer(anna, store=live_store, actor=None)
    link = emailed_link(smtp_sink, "anna@example.com", INVITATION_LINK)
    page.goto(link)
    expect(heading(page)).to_have_text("Open your account at Browser Shop")
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Activate my account").click()
    expect(page).to_have_url(MY_ACCOUNT)

    with fresh_browser(chromium, live_server) as again:
        again.goto(link)
        expect(heading(again)).to_have_text("This invitation has already been used")
        expect(again.get_by_role("link", name="Reset your password")).to_be_visible()
        assert_accessible(again)
        expect(again.get_by_role("button", name="Sign out")).to_have_count(0)
        again.get_by_role("main").get_by_role("link", name="Sign in").click()
        expect(heading(again)).to_have_text("Sign in")
        again.get_by_label("Email").fill("anna@example.com")
        again.get_by_label("Password", exact=True).fill(PASSWORD)
        again.get_by_role("button", name="Sign in", exact=True).click()
        expect(again).to_have_url(MY_ACCOUNT)


def ask_for_signin_link(page: Page, email: str) -> None:
    page.goto("/account/login/link/")
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send the link").click()
    expect(heading(page)).to_have_text("Check your inbox")
    assert_accessible(page)


def test_used_sign_in_link_does_not_sign_in_a_second_browser(
    page, chromium, live_server, live_store, make_account_holder, smtp_sink
):
    make_account_holder(live_store, "anna@example.com")
    ask_for_signin_link(page, "anna@example.com")
    link = emailed_link(smtp_sink, "anna@example.com", SIGNIN_LINK)
    page.goto(link)
    expect(heading(page)).to_have_text("Sign in to Browser Shop")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(MY_ACCOUNT)
    assert_accessible(page)

    with fresh_browser(chromium, live_server) as again:
        again.goto(link)
        expect(heading(again)).to_have_text("This sign-in link no longer works")
        expect(again.get_by_role("link", name="Email me a new sign-in link")).to_be_visible()
        assert_accessible(again)
        expect_signed_out(again)


def test_sign_in_link_refused_once_the_store_setting_ran_out(
    page, live_store, make_account_holder, smtp_sink
):
    make_account_holder(live_store, "anna@example.com")
    store_actions.update_store(live_store, signin_link_days=3)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        ask_for_signin_link(page, "anna@example.com")
    link = emailed_link(smtp_sink, "anna@example.com", SIGNIN_LINK)

    with time_machine.travel(now + timedelta(days=3, seconds=1)):
        page.goto(link)
        expect(heading(page)).to_have_text("This sign-in link no longer works")
        assert_accessible(page)
        expect_signed_out(page)

    with time_machine.travel(now + timedelta(days=3, minutes=-1)):
        page.goto(link)  # still usable just before: nothing was used up
        page.get_by_role("button", name="Sign in", exact=True).click()
        expect(page).to_have_url(MY_ACCOUNT)


# --- deactivation -------------------------------------------------------------------


def test_deactivation_signs_out_the_live_browser_and_refuses_a_new_sign_in(
    page, live_store, make_account_holder
):
    make_account_holder(live_store, "anna@example.com", first_name="Anna")
    merchant = Customer.objects.create_superuser("merchant@example.com", PASSWORD, store=live_store)
    sign_in(page, "anna@example.com")
    expect(page).to_have_url(MY_ACCOUNT)
    assert_accessible(page)
    anna = Customer.objects.get(email="anna@example.com")

    identity_actions.deactivate_account(anna, actor=merchant)

    page.reload()
    expect(heading(page)).to_have_text("Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    sign_in(page, "anna@example.com")
    expect(heading(page)).to_have_text("Account inactive")
    expect(page.get_by_role("main")).to_contain_text(
        "This account has been deactivated by Browser Shop, so you cannot sign in."
    )
    assert_accessible(page)
    expect_signed_out(page)


# --- rate limit ----------------------------------------------------------------------


def test_repeated_wrong_passwords_reach_the_429_page_in_the_shoppers_language(
    page, live_store, make_account_holder, settings
):
    make_account_holder(live_store, "anna@example.com")
    settings.ACCOUNT_RATE_LIMITS = {**django_settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    page.goto("/account/login/")
    footer = page.get_by_role("contentinfo")
    footer.get_by_label("Language").select_option(label="Deutsch")
    footer.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")

    statuses = []
    assert_accessible(page)
    for _attempt in range(4):
        page.goto("/account/login/")
        page.locator("input[name=login]").fill("anna@example.com")
        page.locator("input[name=password]").fill(WRONG)
        with page.expect_response(re.compile(r"/account/login/$")) as answer:
            page.locator("input[name=password]").press("Enter")
        statuses.append(answer.value.status)

    assert statuses == [200, 200, 200, 429]
    expect(page.locator("html")).to_have_attribute("lang", "de")
    with translation.override("de"):
        too_many = gettext("Be patient, you are sending too many requests.")
        title = gettext("Too many attempts")
    assert too_many != "Be patient, you are sending too many requests."
    expect(heading(page)).to_have_text(title)
    expect(page.get_by_role("alert")).to_have_text(too_many)
    assert_accessible(page)


# --- no account enumeration -----------------------------------------------------------

KNOWN = "anna@example.com"
UNKNOWN = "nobody@example.com"


def fill_email(page: Page, email: str) -> None:
    page.get_by_label("Email").fill(email)


def fill_wrong_password(page: Page, email: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(WRONG)


def fill_sign_up(page: Page, email: str) -> None:
    page.get_by_label("First name").fill("Nina")
    page.get_by_label("Last name").fill("Jansen")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)


@pytest.mark.parametrize(
    ("path", "fill", "button", "answer"),
    [
        ("/account/login/", fill_wrong_password, "Sign in", "/account/login/"),
        (
            "/account/password/reset/",
            fill_email,
            "Reset my password",
            "/account/password/reset/done/",
        ),
        ("/account/login/link/", fill_email, "Send the link", "/account/login/link/sent/"),
        ("/account/login/code/", fill_email, "Send the code", "/account/login/code/confirm/"),
        ("/account/signup/", fill_sign_up, "Create the account", "/account/confirm-email/"),
    ],
    ids=["sign-in", "password-reset", "sign-in-link", "sign-in-code", "sign-up"],
)
def test_known_and_unknown_emails_see_the_same_answer(
    chromium, live_server, live_store, make_account_holder, smtp_sink, path, fill, button, answer
):
    make_account_holder(live_store, KNOWN)
    answers = []
    for email in (KNOWN, UNKNOWN):
        with fresh_browser(chromium, live_server) as page:
            page.goto(path)
            assert_accessible(page)
            fill(page, email)
            with page.expect_navigation():
                page.get_by_role("button", name=button, exact=True).click()
            assert_accessible(page)
            main = page.get_by_role("main").inner_text().replace(email, "EMAIL")
            answers.append((urlsplit(page.url).path, heading(page).inner_text(), main))

    assert answers[0] == answers[1]
    assert answers[0][0] == answer


# --- a store's tokens on another store ---------------------------------------------------


@pytest.fixture
def other_store(live_store) -> Store:
    """A second store with accounts of its own, on other.localhost (Chromium
    sends *.localhost to loopback, where the live server listens)."""
    return store_actions.create_store(name="Other Shop", hostname="other.localhost")


def on_other_store(link: str) -> str:
    return link.replace("//localhost:", "//other.localhost:", 1)


def test_password_reset_link_of_one_store_is_refused_on_another(
    page, live_store, other_store, make_account_holder, smtp_sink
):
    make_account_holder(live_store, "anna@example.com")
    make_account_holder(other_store, "anna@example.com", password=WRONG)  # someone else
    page.goto("/account/password/reset/")
    assert_accessible(page)
    page.get_by_label("Email").fill("anna@example.com")
    page.get_by_role("button", name="Reset my password").click()
    link = emailed_link(smtp_sink, "anna@example.com", RESET_LINK)

    page.goto(on_other_store(link))

    expect(heading(page)).to_have_text("This link can no longer be used")
    expect(page.get_by_role("link", name="Email me a new link")).to_be_visible()
    expect(page.get_by_label("New password", exact=False)).to_have_count(0)
    assert_accessible(page)
    page.goto(link)
    expect(page.get_by_label("New password", exact=False).first).to_be_visible()
    assert_accessible(page)


def test_sign_in_link_of_one_store_is_refused_on_another(
    page, live_store, other_store, make_account_holder, smtp_sink
):
    make_account_holder(live_store, "anna@example.com")
    make_account_holder(other_store, "anna@example.com")  # someone else
    ask_for_signin_link(page, "anna@example.com")
    link = emailed_link(smtp_sink, "anna@example.com", SIGNIN_LINK)

    page.goto(on_other_store(link))

    expect(heading(page)).to_have_text("This sign-in link no longer works")
    assert_accessible(page)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto(link)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(MY_ACCOUNT)


def test_invitation_link_of_one_store_is_refused_on_another(
    page, live_server, live_store, other_store, smtp_sink
):
    anna = actions.create_customer(store=live_store, email="anna@example.com", actor=None)
    actions.create_customer(store=other_store, email="anna@example.com", actor=None)
    invitations.invite_customer(anna, store=live_store, actor=None)
    link = emailed_link(smtp_sink, "anna@example.com", INVITATION_LINK)

    page.goto(on_other_store(link))

    expect(heading(page)).to_have_text("This invitation link is not valid")
    expect(page.get_by_label("Password", exact=True)).to_have_count(0)
    assert_accessible(page)
    page.goto(link)
    expect(heading(page)).to_have_text("Open your account at Browser Shop")


def test_sign_up_in_german_gets_the_confirmation_email_in_german(page, live_store, smtp_sink):
    page.goto("/account/signup/")
    footer = page.get_by_role("contentinfo")
    footer.get_by_label("Language").select_option(label="Deutsch")
    footer.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert_accessible(page)
    page.locator("input[name=first_name]").fill("Nina")
    page.locator("input[name=last_name]").fill("Jansen")
    page.locator("input[name=email]").fill("nina@example.com")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("input[name=password2]").press("Enter")
    page.wait_for_url(re.compile(r"/account/confirm-email/$"))
    assert_accessible(page)

    deliver_due_emails()
    (message,) = smtp_sink.to("nina@example.com")
    assert Customer.objects.get(email="nina@example.com").language == "de"
    with translation.override("de"):
        confirm = gettext("Confirm")
    assert confirm != "Confirm"
    text = smtp_sink.text_of(message)
    assert confirm in text  # "open this link and press Bestätigen"
    page.goto(CONFIRM_LINK.search(text).group(1))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert_accessible(page)
    page.get_by_role("button", name=confirm).click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert Customer.objects.get(email="nina@example.com").account_state == State.ACTIVE


def test_email_confirmation_link_of_one_store_is_refused_on_another(
    page, live_store, other_store, smtp_sink
):
    sign_up(page, "nina@example.com")
    expect(heading(page)).to_have_text("Check your inbox")
    link = emailed_link(smtp_sink, "nina@example.com", CONFIRM_LINK)

    page.goto(on_other_store(link))

    expect(page.get_by_role("main")).to_contain_text("This link can no longer be used")
    expect(page.get_by_role("button", name="Confirm")).to_have_count(0)
    assert_accessible(page)
    nina = Customer.objects.get(email="nina@example.com")
    assert nina.account_state == State.AWAITING_ACTIVATION
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("main")).to_contain_text("You have confirmed nina@example.com.")


# --- forgotten password ----------------------------------------------------------------

NEW_PASSWORD = "a long walk on a quiet beach"


def test_forgotten_password_is_set_anew_from_the_emailed_link_which_then_is_used_up(
    page, live_store, make_account_holder, smtp_sink
):
    make_account_holder(live_store, "anna@example.com")
    page.goto("/account/login/")
    page.get_by_role("link", name=re.compile("Forgot", re.I)).click()
    expect(heading(page)).to_have_text("Reset your password")
    assert_accessible(page)
    page.get_by_label("Email").fill("anna@example.com")
    page.get_by_role("button", name="Reset my password").click()
    expect(page).to_have_url(re.compile(r"/account/password/reset/done/$"))
    assert_accessible(page)
    link = emailed_link(smtp_sink, "anna@example.com", RESET_LINK)

    page.goto(link)
    assert_accessible(page)
    expect(heading(page)).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page).to_have_url(re.compile(r"/account/password/reset/key/done/$"))
    expect(heading(page)).to_have_text("Your password is changed")
    assert_accessible(page)
    deliver_due_emails()
    assert len(smtp_sink.to("anna@example.com")) == 2  # the link, then "your password was reset"

    sign_in(page, "anna@example.com", PASSWORD)
    expect(page.get_by_role("main")).to_contain_text(
        "The email address and/or password you specified are not correct."
    )
    sign_in(page, "anna@example.com", NEW_PASSWORD)
    expect(page).to_have_url(MY_ACCOUNT)
    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    expect(heading(page)).to_have_text("This link can no longer be used")
    assert_accessible(page)
