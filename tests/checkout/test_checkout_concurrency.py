"""Ten simultaneous submissions of one checkout, each thread with its own
database connection (SQLite: IMMEDIATE transactions; PostgreSQL: row
locks; run the file with DATABASE_URL pointing to PostgreSQL for the
latter): one order, one guest record, one saved address, every submission
answered with that order."""

import re
from decimal import Decimal

import pytest
import requests
from django.contrib.sessions.backends.db import SessionStore

from shop_accounts.cart import queries as cart_queries
from shop_accounts.cart import sessions as cart_sessions
from shop_accounts.checkout.actions import place_checkout_order
from shop_accounts.customers.models import Address, Customer
from shop_accounts.orders.models import Order, OrderEvent
from tests.checkout.conftest import ADDRESS, fill_cart
from tests.concurrency import all_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_simultaneous_guest_submissions_make_one_order_and_one_record(shop, towel, rates):
    cart = fill_cart(shop, (towel, 2))

    def submit() -> Order:
        return place_checkout_order(
            shop,
            cart=cart,
            customer=None,
            idempotency_key="one-checkout",
            billing=ADDRESS,
            shipping=None,
            shipping_rate_id=rates["standard"].pk,
            payment_method=Order.PaymentMethod.BANK_TRANSFER,
            expected_total=Decimal("34.85"),
            email="rush@example.com",
        )

    results, errors = all_at_once([submit] * 10)

    assert errors == []
    order = Order.objects.get()
    assert {result.pk for result in results} == {order.pk}
    assert len(results) == 10
    assert Customer.objects.filter(email="rush@example.com").count() == 1
    assert OrderEvent.objects.filter(kind=OrderEvent.Kind.PLACED).count() == 1
    assert cart_queries.cart_contents(cart, shop, None).is_empty


def test_ten_simultaneous_signed_in_submissions_save_the_address_once(
    shop, towel, rates, make_account_holder
):
    customer = make_account_holder(shop, "fast@example.com", first_name="Fay")
    cart = fill_cart(shop, (towel, 1), customer=customer)

    def submit() -> Order:
        return place_checkout_order(
            shop,
            cart=cart,
            customer=customer,
            idempotency_key="signed-in-checkout",
            billing=ADDRESS,
            shipping=None,
            shipping_rate_id=rates["standard"].pk,
            payment_method=Order.PaymentMethod.BANK_TRANSFER,
            expected_total=Decimal("19.84"),
            save_to_address_book=True,
        )

    results, errors = all_at_once([submit] * 10)

    assert errors == []
    order = Order.objects.get()
    assert {result.pk for result in results} == {order.pk}
    assert Address.objects.filter(customer=customer).count() == 1


def test_ten_simultaneous_posts_to_a_live_server_make_one_order_and_all_lead_to_it(
    live_server, shop, towel, rates
):
    # The shopper's browser: a session holding the guest cart, then the page.
    session = SessionStore()
    session.create()
    cart = fill_cart(shop, (towel, 2))
    cart_sessions.remember_cart(session, cart)
    session.save()
    http = requests.Session()
    http.cookies.set("sessionid", session.session_key)
    page = http.get(f"{live_server.url}/checkout/")
    assert page.status_code == 200
    fields = dict(
        re.findall(r'name="(csrfmiddlewaretoken|checkout_key|seen)" value="([^"]*)"', page.text)
    )
    data = {
        **fields,
        "email": "ten@example.com",
        "billing_name": "Ten Times",
        "billing_street": "Damrak",
        "billing_city": "Amsterdam",
        "billing_country": "NL",
        "shipping_rate": str(rates["standard"].pk),
        "payment_method": "bank_transfer",
    }

    def post() -> requests.Response:
        return http.post(
            f"{live_server.url}/checkout/",
            data=data,
            allow_redirects=False,
            headers={"Referer": f"{live_server.url}/checkout/"},
        )

    responses, errors = all_at_once([post] * 10)

    assert errors == []
    order = Order.objects.get()
    assert [response.status_code for response in responses] == [302] * 10
    assert {response.headers["Location"] for response in responses} == {
        f"/checkout/thank-you/{order.public_token}/"
    }
    assert Customer.objects.filter(email="ten@example.com").count() == 1
