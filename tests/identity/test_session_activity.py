"""The list of signed-in devices stays right without a write on every page
view: a session's "last seen" time and IP address are written at most once
per SHOP_SESSION_ACTIVITY_SECONDS, a sign-in forgets the customer's ended
sessions in one go, the list leaves out sessions that no longer sign the
customer in, and a session ended on the server still ends at once."""

from datetime import timedelta

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from tests.conftest import PASSWORD

HOME = reverse("storefront:home")
MY_ACCOUNT = reverse("storefront:my-account")
SESSIONS = reverse("usersessions_list")
NEW_PASSWORD = "a new and rather long passphrase"


@pytest.fixture
def anna(store, make_account_holder) -> Customer:
    return make_account_holder(store, "anna@example.com")


def signed_in_browser(*, ip: str = "192.0.2.1") -> Client:
    browser = Client(REMOTE_ADDR=ip)
    response = browser.post(
        reverse("account_login"), {"login": "anna@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == MY_ACCOUNT
    return browser


def device_of(browser: Client) -> UserSession:
    return UserSession.objects.get(session_key=browser.session.session_key)


def is_signed_in(browser: Client) -> bool:
    return browser.get(MY_ACCOUNT).wsgi_request.user.is_authenticated


def later(seconds: int) -> time_machine.travel:
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def test_last_seen_waits_for_the_interval_then_one_page_view_writes_it(anna):
    browser = signed_in_browser(ip="192.0.2.1")
    signed_in_at = device_of(browser).last_seen_at

    with later(60):
        browser.get(HOME, REMOTE_ADDR="198.51.100.7")
    assert (device_of(browser).last_seen_at, device_of(browser).ip) == (signed_in_at, "192.0.2.1")

    with later(301) as traveller:
        with CaptureQueriesContext(connection) as captured:
            browser.get(HOME, REMOTE_ADDR="198.51.100.7")
        writes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
        seen = timezone.now()
        traveller.shift(timedelta(seconds=10))
        browser.get(HOME, REMOTE_ADDR="203.0.113.9")

    assert len(writes) == 1
    assert "usersessions_usersession" in writes[0]
    assert (device_of(browser).last_seen_at, device_of(browser).ip) == (seen, "198.51.100.7")


def test_the_devices_page_shows_the_address_seen_last_after_the_interval(anna):
    browser = signed_in_browser(ip="192.0.2.1")

    with later(301):
        page = browser.get(SESSIONS, REMOTE_ADDR="198.51.100.7").content.decode()

    assert "198.51.100.7" in page
    assert "192.0.2.1" not in page


def test_the_interval_follows_the_setting(anna, monkeypatch):
    monkeypatch.setenv("SHOP_SESSION_ACTIVITY_SECONDS", "30")
    browser = signed_in_browser(ip="192.0.2.1")

    with later(31):
        browser.get(HOME, REMOTE_ADDR="198.51.100.7")

    assert device_of(browser).ip == "198.51.100.7"


def test_a_session_begun_without_tracking_is_listed_from_its_first_page_view(anna):
    browser = Client(REMOTE_ADDR="192.0.2.1", HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0")
    browser.force_login(anna)

    page = browser.get(SESSIONS).content.decode()

    device = device_of(browser)
    assert (device.user, device.ip) == (anna, "192.0.2.1")
    assert "Firefox 140" in page


def test_a_sign_in_forgets_the_sessions_that_ended(anna):
    laptop, phone = signed_in_browser(), signed_in_browser()
    left_behind = [device_of(laptop).pk, device_of(phone).pk]
    laptop.post(reverse("account_logout"))  # the phone's session expires meanwhile:
    with later(60 * 60 * 24 * 31):
        tablet = signed_in_browser()

    assert not UserSession.objects.filter(pk__in=left_behind).exists()
    assert list(UserSession.objects.filter(user=anna)) == [device_of(tablet)]


def test_the_devices_list_leaves_out_a_signed_out_session(anna):
    laptop, phone = signed_in_browser(ip="192.0.2.1"), signed_in_browser(ip="198.51.100.7")

    phone.post(reverse("account_logout"))
    page = laptop.get(SESSIONS).content.decode()

    assert "192.0.2.1" in page
    assert "198.51.100.7" not in page


def test_the_devices_list_leaves_out_sessions_a_new_password_signed_out(anna):
    laptop, phone = signed_in_browser(ip="192.0.2.1"), signed_in_browser(ip="198.51.100.7")

    laptop.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    page = laptop.get(SESSIONS).content.decode()

    assert not is_signed_in(phone)
    assert "192.0.2.1" in page
    assert "198.51.100.7" not in page


def test_the_devices_page_costs_the_same_for_1_or_10_devices(anna):
    laptop = signed_in_browser()
    with CaptureQueriesContext(connection) as one:
        laptop.get(SESSIONS)
    for device in range(9):
        signed_in_browser(ip=f"198.51.100.{device + 1}")

    with CaptureQueriesContext(connection) as ten:
        page = laptop.get(SESSIONS).content.decode()

    assert page.count("Sign out this device") == 9
    assert len(ten) == len(one)


def test_deactivation_ends_a_session_whose_activity_was_just_written(anna):
    browser = signed_in_browser()
    with later(301):
        assert is_signed_in(browser)

        actions.deactivate_account(anna, actor=None)

        assert not is_signed_in(browser)
