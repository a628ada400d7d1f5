"""A customer's signed-in devices on their page in the back office (allauth's
user sessions: device, IP address, signed in, last seen) and "Sign out
everywhere": a staff-only POST that ends every session on the server at once
and records SESSIONS_ENDED with the merchant as the actor. A customer signing
out one device from their own list of devices is recorded too."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop_accounts.customers.models import Customer, CustomerEvent
from tests.conftest import PASSWORD

Kind = CustomerEvent.Kind
MY_ACCOUNT = reverse("storefront:my-account")
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148 Safari/604.1"


@pytest.fixture
def anna(store, make_account_holder) -> Customer:
    return make_account_holder(store, "anna@example.com", first_name="Anna")


def signed_in_browser(email: str, *, user_agent: str, ip: str) -> Client:
    browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    browser.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert is_signed_in(browser)
    return browser


def is_signed_in(browser: Client) -> bool:
    return browser.get(MY_ACCOUNT).wsgi_request.user.is_authenticated


def change_url(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_change", args=[customer.pk])


def sign_out_url(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_sign_out_everywhere", args=[customer.pk])


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_customer_page_lists_each_signed_in_device(anna, merchant_client):
    signed_in_browser("anna@example.com", user_agent=LAPTOP, ip="192.0.2.10")
    signed_in_browser("anna@example.com", user_agent=PHONE, ip="198.51.100.7")

    page = merchant_client.get(change_url(anna)).content.decode()

    assert "Firefox 140 on Linux" in page
    assert f'title="{LAPTOP}"' in page
    assert "192.0.2.10" in page
    assert "198.51.100.7" in page
    assert "Mobile Safari on iPhone (iOS 18)" in page
    assert f'formaction="{sign_out_url(anna)}"' in page


def test_a_customer_signed_in_nowhere_shows_no_devices_and_no_button(anna, merchant_client):
    page = merchant_client.get(change_url(anna)).content.decode()

    assert "Not signed in on any device." in page
    assert sign_out_url(anna) not in page


def test_sign_out_everywhere_ends_every_session_and_records_the_merchant(
    anna, merchant, merchant_client, store, make_account_holder
):
    laptop = signed_in_browser("anna@example.com", user_agent=LAPTOP, ip="192.0.2.10")
    phone = signed_in_browser("anna@example.com", user_agent=PHONE, ip="198.51.100.7")
    keys = [laptop.session.session_key, phone.session.session_key]
    make_account_holder(store, "ben@example.com")
    ben = signed_in_browser("ben@example.com", user_agent=LAPTOP, ip="192.0.2.20")

    response = merchant_client.post(sign_out_url(anna))

    assert response.status_code == 302
    assert response["Location"] == change_url(anna)
    assert told(response) == ["anna@example.com is signed out of 2 devices."]
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=anna).exists()
    event = anna.events.get(kind=Kind.SESSIONS_ENDED)
    assert (event.actor, event.data) == (merchant, {"sessions": 2})
    assert is_signed_in(ben)
    assert is_signed_in(merchant_client)


def test_sign_out_everywhere_without_devices_says_so_and_records_nothing(anna, merchant_client):
    response = merchant_client.post(sign_out_url(anna))

    assert told(response) == ["anna@example.com was not signed in on any device."]
    assert not anna.events.filter(kind=Kind.SESSIONS_ENDED).exists()


def test_sign_out_everywhere_answers_only_to_post(anna, merchant_client):
    laptop = signed_in_browser("anna@example.com", user_agent=LAPTOP, ip="192.0.2.10")

    assert merchant_client.get(sign_out_url(anna)).status_code == 405
    assert is_signed_in(laptop)
    assert not anna.events.filter(kind=Kind.SESSIONS_ENDED).exists()


def test_sign_out_everywhere_is_only_for_staff(anna, store, make_account_holder):
    laptop = signed_in_browser("anna@example.com", user_agent=LAPTOP, ip="192.0.2.10")
    make_account_holder(store, "shopper@example.com")
    shopper = signed_in_browser("shopper@example.com", user_agent=PHONE, ip="192.0.2.30")

    response = shopper.post(sign_out_url(anna))

    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not anna.events.filter(kind=Kind.SESSIONS_ENDED).exists()


def test_the_customer_page_costs_the_same_queries_for_1_or_10_devices(anna, merchant_client):
    def add_devices(count: int, start: int) -> None:
        for number in range(start, start + count):
            UserSession.objects.create(
                user=anna, ip=f"192.0.2.{number}", session_key=f"key{number}", user_agent=PHONE
            )

    add_devices(1, start=0)
    merchant_client.get(change_url(anna))  # warm the session and content types
    with_one = queries_of(merchant_client, change_url(anna))

    add_devices(9, start=1)

    assert queries_of(merchant_client, change_url(anna)) == with_one


def test_a_customer_signing_out_one_of_their_devices_is_recorded(anna):
    laptop = signed_in_browser("anna@example.com", user_agent=LAPTOP, ip="192.0.2.10")
    phone = signed_in_browser("anna@example.com", user_agent=PHONE, ip="198.51.100.7")
    phone_session = UserSession.objects.get(session_key=phone.session.session_key)

    laptop.post(reverse("identity:session-end", args=[phone_session.pk]))

    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    event = anna.events.get(kind=Kind.SESSIONS_ENDED)
    assert (event.actor, event.data) == (anna, {"sessions": 1})


def test_a_customer_signing_out_their_other_devices_is_recorded(anna):
    laptop = signed_in_browser("anna@example.com", user_agent=LAPTOP, ip="192.0.2.10")
    phone = signed_in_browser("anna@example.com", user_agent=PHONE, ip="198.51.100.7")
    tablet = signed_in_browser("anna@example.com", user_agent=PHONE, ip="198.51.100.8")

    response = laptop.post(reverse("usersessions_list"))

    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert not is_signed_in(tablet)
    event = anna.events.get(kind=Kind.SESSIONS_ENDED)
    assert (event.actor, event.data) == (anna, {"sessions": 2})


def test_signing_out_the_other_devices_when_there_are_none_records_nothing(anna):
    laptop = signed_in_browser("anna@example.com", user_agent=LAPTOP, ip="192.0.2.10")

    laptop.post(reverse("usersessions_list"))

    assert is_signed_in(laptop)
    assert not anna.events.filter(kind=Kind.SESSIONS_ENDED).exists()
