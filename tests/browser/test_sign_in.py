"""Signing in and out with a password, in headless Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from shop_accounts.stores import actions as store_actions
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

SIGN_IN_URL = re.compile(r"/account/login/\?next=/my-account/$")


def sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_customer_follows_my_account_link_signs_in_and_is_greeted(
    page, live_store, make_account_holder
):
    make_account_holder(live_store, "anna@example.com", first_name="Anna")

    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My account").click()
    expect(page).to_have_url(SIGN_IN_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    sign_in(page, "anna@example.com", PASSWORD)

    expect(page).to_have_url(re.compile(r"/my-account/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_role("main")).to_contain_text("Hello Anna")


def test_signing_out_ends_the_session(page, live_store, make_account_holder):
    make_account_holder(live_store, "anna@example.com", first_name="Anna")
    page.goto("/my-account/")
    sign_in(page, "anna@example.com", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Sign in")

    page.goto("/my-account/")
    expect(page).to_have_url(SIGN_IN_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_wrong_password_shows_an_error_and_stays_signed_out(page, live_store, make_account_holder):
    make_account_holder(live_store, "anna@example.com", first_name="Anna")

    page.goto("/account/login/")
    sign_in(page, "anna@example.com", "not the password")

    expect(page.get_by_role("main")).to_contain_text(
        "The email address and/or password you specified are not correct."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto("/my-account/")
    expect(page).to_have_url(SIGN_IN_URL)


def test_store_without_account_link_shows_none_in_header_or_footer(page, live_store):
    store_actions.update_store(live_store, show_account_link=False)

    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to Browser Shop")
    expect(page.get_by_role("link", name="My account")).to_have_count(0)
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Catalog")).to_be_visible()
