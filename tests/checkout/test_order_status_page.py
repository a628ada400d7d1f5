"""The order's status page behind the unguessable link of its emails: no
account needed, scoped to the store serving it, and it follows the order
through payment and shipping."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shop_accounts.catalog.actions import create_product
from shop_accounts.orders.actions import mark_paid, place_order, ship
from shop_accounts.orders.models import Order
from shop_accounts.stores.models import Store
from tests.checkout.conftest import new_key

pytestmark = pytest.mark.django_db

BILLING = {
    "name": "Nina Visser",
    "street": "Prinsengracht",
    "house_number": "263",
    "postal_code": "1016 GV",
    "city": "Amsterdam",
    "country": "NL",
}
SHIPPING = {**BILLING, "name": "Jan Visser", "city": "Antwerpen", "country": "BE"}


def order_of(shop, guest, *lines, store=None) -> Order:
    return place_order(
        store or shop,
        guest,
        lines=list(lines),
        billing=BILLING,
        shipping=SHIPPING,
        payment_method=Order.PaymentMethod.BANK_TRANSFER,
        idempotency_key=new_key(),
        placed_as_guest=True,
    )


def status_page(order: Order, client: Client | None = None) -> str:
    response = (client or Client()).get(f"/orders/status/{order.public_token}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_link_shows_the_order_its_statuses_and_how_to_pay_without_signing_in(
    shop, guest, towel, bread
):
    order = order_of(shop, guest, (towel, 2), (bread, 1))

    page = status_page(order)

    assert f"Order {order.number}" in page
    assert "Payment pending" in page and "Not shipped yet" in page
    assert "Linen towel" in page and "Rye bread" in page
    assert f"{order.total_gross:.2f} EUR" in page
    assert "NL91ABNA0417164300" in page  # the bank transfer's instructions
    assert "Jan Visser" in page and "Antwerpen" in page and "Belgium" in page


def test_payment_and_a_shipment_with_tracking_show_on_the_page(shop, guest, towel):
    order = order_of(shop, guest, (towel, 1))
    mark_paid(order)
    ship(
        order,
        carrier="PostNL",
        tracking_number="3SABCD1234567",
        tracking_url="https://postnl.example/track/3SABCD1234567",
    )

    page = status_page(order)

    assert "Paid" in page and "Shipped" in page and "Payment pending" not in page
    assert "NL91ABNA0417164300" not in page  # nothing left to pay
    assert "PostNL" in page
    assert 'href="https://postnl.example/track/3SABCD1234567"' in page


def test_an_unknown_token_or_another_stores_order_is_not_found(shop, guest, towel, other_store):
    order = order_of(shop, guest, (towel, 1))

    assert Client().get("/orders/status/not-a-token/").status_code == 404
    elsewhere = Client(HTTP_HOST=other_store.hostname)
    assert elsewhere.get(f"/orders/status/{order.public_token}/").status_code == 404


def test_a_shop_open_to_signed_in_customers_only_still_shows_the_link(shop, guest, towel):
    order = order_of(shop, guest, (towel, 1))
    Store.objects.filter(pk=shop.pk).update(shop_visibility=Store.ShopVisibility.SIGNED_IN)

    assert "Linen towel" in status_page(order)


def test_the_page_costs_the_same_queries_for_one_line_and_for_five_lines_and_shipments(
    shop, guest, towel
):
    small = order_of(shop, guest, (towel, 1))
    mark_paid(small)
    ship(small, carrier="DHL")
    products = [
        create_product(shop, name=f"Product {n}", price=Decimal("3.00"), sku=f"P-{n}")
        for n in range(5)
    ]
    large = order_of(shop, guest, *[(product, 2) for product in products])
    mark_paid(large)
    for product_line in large.lines.all()[:3]:
        ship(large, quantities={product_line.pk: 2}, carrier="DHL")
    client = Client()
    status_page(small, client)  # the session and caches of a first request

    with CaptureQueriesContext(connection) as one:
        status_page(small, client)
    with CaptureQueriesContext(connection) as five:
        status_page(large, client)

    assert len(five) == len(one)


def test_a_german_shopper_reads_the_page_in_german(shop, guest, towel):
    order = order_of(shop, guest, (towel, 1))
    mark_paid(order)
    ship(order, carrier="DHL", tracking_number="JJD0001")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    page = status_page(order, client)

    assert f"Bestellung {order.number}" in page
    assert "Sendungsnummer" in page and "Belgien" in page
