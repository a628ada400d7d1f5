"""Headless Chromium (the Debian build at /usr/bin/chromium) against
pytest-django's live server, with a store answering on its host name."""

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

# Playwright's sync API runs an event loop in the test thread; the ORM calls in
# fixtures and test bodies are still plain synchronous code. Set before Django
# or Playwright look at it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the whole run; each test gets its own context.

    Modules use this browser rather than starting Playwright themselves: while
    one sync Playwright runs, a second in the same thread refuses to start."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def links_to_live_server(live_server, monkeypatch) -> None:
    """Emailed links point to the live server: its scheme and its (random)
    port, read by stores.links.store_url at call time."""
    url = urlsplit(live_server.url)
    monkeypatch.setenv("SHOP_LINK_SCHEME", url.scheme)
    monkeypatch.setenv("SHOP_LINK_PORT", str(url.port))


@pytest.fixture
def live_store(live_server, transactional_db) -> Store:
    """The default store, answering on the live server's host name."""
    return store_actions.create_store(name="Browser Shop", hostname="localhost", is_default=True)


@pytest.fixture
def browser_context(chromium, live_server, live_store) -> Iterator[BrowserContext]:
    """A fresh browser profile (no cookies) with URLs relative to the live server."""
    cache.clear()  # rate limits and cached stores from earlier tests
    context = chromium.new_context(base_url=live_server.url, locale="en")
    context.set_default_timeout(5_000)  # a missing element fails in seconds, not 30
    yield context
    context.close()


@pytest.fixture
def page(browser_context) -> Page:
    """A tab in a fresh browser profile."""
    return browser_context.new_page()
