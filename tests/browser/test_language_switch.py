"""Choosing the page language in the footer, in headless Chromium."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_choosing_deutsch_in_the_footer_reloads_the_page_in_german(page):
    page.goto("/catalog/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    footer = page.get_by_role("contentinfo")
    footer.get_by_label("Language").select_option(label="Deutsch")
    footer.get_by_role("button", name="Change language").click()

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_url(re.compile(r"/catalog/$"))
    expect(page.get_by_role("contentinfo").get_by_role("combobox")).to_have_value("de")
    expect(page.get_by_role("link", name="Zum Hauptinhalt springen")).to_have_count(1)
