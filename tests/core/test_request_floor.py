"""The fixed cost of a request, pinned: what a guest's page, a signed-in
page, My Account and a sign-in cost in SQL queries, that a signed-in page
view writes nothing, and that a sign-in costs the same however many earlier
sessions the customer has. bench/request_floor.py measures the same pages
served by granian."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop_accounts.customers.models import Customer
from tests.conftest import PASSWORD

HOME = reverse("storefront:home")
MY_ACCOUNT = reverse("storefront:my-account")
LOGIN = reverse("account_login")
LOGOUT = reverse("account_logout")

# A signed-in page: the session, then the customer. The store is cached.
SIGNED_IN_PAGE_QUERIES = 2
# My Account adds the customer's addresses.
MY_ACCOUNT_QUERIES = 3
# A password sign-in: the customer, their password's failure count (read and
# reset), email addresses, second factors, the new session (checked, made,
# saved), last_login, forgetting ended sessions (one DELETE) and recording
# the new one (read, made), each write with its savepoints, the SIGNED_IN
# event on the customer's trail (one INSERT), and the customer's saved cart
# (one SELECT, so the header can count it; cart/sessions.py).
SIGN_IN_QUERIES = 22

WRITES = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT", "RELEASE SAVEPOINT")


@pytest.fixture
def anna(store, make_account_holder) -> Customer:
    return make_account_holder(store, "anna@example.com")


def signed_in_browser(email: str, *, ip: str = "127.0.0.1") -> Client:
    browser = Client(REMOTE_ADDR=ip)
    response = browser.post(LOGIN, {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == MY_ACCOUNT
    return browser


def writes(statements: list[str]) -> list[str]:
    return [sql for sql in statements if sql.startswith(WRITES)]


def get(browser: Client, url: str) -> list[str]:
    """The SQL statements of one page view (read before the next request,
    which empties the connection's query log)."""
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_guests_page_reads_the_store_once_then_nothing(store):
    guest = Client()

    first = get(guest, HOME)
    second = get(guest, HOME)

    assert len(first) == 1
    assert "stores_store" in first[0]
    assert len(second) == 0


def test_a_signed_in_page_reads_the_session_and_the_customer_and_writes_nothing(anna):
    browser = signed_in_browser("anna@example.com")

    captured = get(browser, HOME)

    assert len(captured) == SIGNED_IN_PAGE_QUERIES
    assert "django_session" in captured[0]
    assert "customers_customer" in captured[1]
    assert writes(captured) == []


def test_my_account_costs_three_queries_and_writes_nothing(anna):
    browser = signed_in_browser("anna@example.com")

    captured = get(browser, MY_ACCOUNT)

    assert len(captured) == MY_ACCOUNT_QUERIES
    assert writes(captured) == []


def test_many_signed_in_page_views_write_nothing(anna):
    browser = signed_in_browser("anna@example.com")

    views = [get(browser, url) for url in [HOME, MY_ACCOUNT, HOME, MY_ACCOUNT, HOME]]

    assert [writes(view) for view in views] == [[], [], [], [], []]


def sign_in_queries(email: str) -> int:
    browser = Client(REMOTE_ADDR="198.51.100.1")
    with CaptureQueriesContext(connection) as captured:
        response = browser.post(LOGIN, {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == MY_ACCOUNT
    return len(captured)


def test_a_sign_in_costs_the_same_with_no_or_50_earlier_sessions(store, make_account_holder, anna):
    make_account_holder(store, "bea@example.com")
    # Bea has signed in on 50 devices, each still signed in (each device its
    # own address, as 50 sign-ins from one would be rate limited).
    for device in range(50):
        signed_in_browser("bea@example.com", ip=f"192.0.2.{device + 1}")

    without_history = sign_in_queries("anna@example.com")
    with_history = sign_in_queries("bea@example.com")

    assert without_history == SIGN_IN_QUERIES
    assert with_history == SIGN_IN_QUERIES
