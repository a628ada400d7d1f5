"""The merchant's order screens: the list searches and filters; list and
detail cost a fixed number of queries; the detail shows lines, totals,
addresses and history; each step (paid, ship, delivered, cancel, refund)
goes through the order actions and is recorded; a refused step is a
message, never a 500; staff without the permission get 403."""

import itertools
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop_accounts.catalog.actions import create_product
from shop_accounts.customers import actions as customer_actions
from shop_accounts.customers.models import Customer
from shop_accounts.orders import actions
from shop_accounts.orders.models import Order, OrderEvent
from tests.conftest import MERCHANT_TOTP_SECRET, PASSWORD

Kind = OrderEvent.Kind
Payment = Order.PaymentStatus
Fulfilment = Order.FulfilmentStatus
CHANGELIST = reverse("backoffice:orders_order_changelist")
ADDRESS = {
    "name": "Anna Jansen",
    "street": "Keizersgracht",
    "house_number": "12",
    "postal_code": "1015 CJ",
    "city": "Amsterdam",
    "country": "NL",
}
_keys = itertools.count(1)


def detail(order: Order) -> str:
    return reverse("backoffice:orders_order_change", args=[order.pk])


def step(order: Order, name: str) -> str:
    return reverse(f"backoffice:orders_order_{name}", args=[order.pk])


def listed(response) -> list[int]:
    assert response.status_code == 200
    return sorted(order.number for order in response.context["cl"].result_list)


def told(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def towel(store):
    return create_product(store, name="Linen towel", price=Decimal("12.40"), sku="TW-1")


@pytest.fixture
def bread(store):
    return create_product(store, name="Rye bread", price=Decimal("2.35"), sku="BR-1")


@pytest.fixture
def anna(store) -> Customer:
    return customer_actions.create_customer(
        store=store,
        email="anna@example.com",
        actor=None,
        source="checkout",
        first_name="Anna",
        last_name="Jansen",
    )


@pytest.fixture
def place(store, anna):
    def place(*lines, **options) -> Order:
        options.setdefault("billing", ADDRESS)
        options.setdefault("payment_method", Order.PaymentMethod.BANK_TRANSFER)
        options.setdefault("idempotency_key", f"checkout-{next(_keys)}")
        return actions.place_order(
            options.pop("store", store), options.pop("customer", anna), lines=list(lines), **options
        )

    return place


def test_the_list_searches_by_number_email_and_name_and_filters(
    merchant_client, store, place, towel, anna
):
    bob = customer_actions.create_customer(
        store=store, email="bob@example.com", actor=None, first_name="Bob", last_name="Visser"
    )
    first = place((towel, 1))
    second = place((towel, 2), customer=bob)
    actions.mark_paid(second)

    assert listed(merchant_client.get(CHANGELIST)) == [first.number, second.number]
    assert listed(merchant_client.get(CHANGELIST, {"q": str(first.number)})) == [first.number]
    assert listed(merchant_client.get(CHANGELIST, {"q": "bob@example.com"})) == [second.number]
    assert listed(merchant_client.get(CHANGELIST, {"q": "Jansen"})) == [first.number]
    assert listed(merchant_client.get(CHANGELIST, {"payment_status__exact": "paid"})) == [
        second.number
    ]
    assert listed(merchant_client.get(CHANGELIST, {"fulfilment_status__exact": "unfulfilled"})) == [
        first.number,
        second.number,
    ]
    assert listed(merchant_client.get(CHANGELIST, {"store__id__exact": store.pk})) == [
        first.number,
        second.number,
    ]
    page = merchant_client.get(CHANGELIST).content.decode()
    assert "Anna Jansen" in page and "anna@example.com" in page
    assert "Payment pending" in page and "Not shipped yet" in page


def queries_of(client: Client, url: str) -> int:
    client.get(url)  # the session and the site's caches, once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_and_detail_cost_the_same_queries_for_3_or_300_orders(
    merchant_client, place, towel, bread
):
    orders = [place((towel, 1), (bread, 1)) for _ in range(3)]
    actions.mark_paid(orders[0])
    actions.ship(orders[0], quantities={orders[0].lines.first().pk: 1}, carrier="DHL")
    small_list = queries_of(merchant_client, CHANGELIST)
    small_detail = queries_of(merchant_client, detail(orders[0]))
    for _ in range(297):
        place((towel, 1), (bread, 2))
    big = place((towel, 3), (bread, 2))
    actions.mark_paid(big)
    actions.ship(big, quantities={big.lines.first().pk: 1}, carrier="PostNL")

    assert queries_of(merchant_client, CHANGELIST) == small_list
    assert queries_of(merchant_client, detail(big)) == small_detail


def test_the_detail_shows_lines_totals_addresses_and_history(merchant_client, place, towel):
    order = place((towel, 2))
    actions.mark_paid(order)

    page = merchant_client.get(detail(order)).content.decode()

    assert "Linen towel" in page and "TW-1" in page
    assert str(order.total_gross) in page
    assert "Keizersgracht 12" in page
    assert "Order placed" in page and "Marked as paid" in page
    # Read only: no save button, and nothing is saved from the page.
    assert 'name="_save"' not in page
    assert merchant_client.post(detail(order), {}).status_code == 405


def test_marking_paid_asks_first_then_records_the_merchant(merchant_client, merchant, place, towel):
    order = place((towel, 1))

    asked = merchant_client.get(step(order, "pay"))
    done = merchant_client.post(step(order, "pay"))

    assert asked.status_code == 200
    assert done.status_code == 302 and done["Location"] == detail(order)
    order.refresh_from_db()
    assert order.payment_status == Payment.PAID
    assert order.events.get(kind=Kind.PAID).actor == merchant
    assert told(done) == [f"Order {order.number} is marked as paid."]


def test_shipping_part_then_the_rest_with_tracking(merchant_client, merchant, place, towel, bread):
    order = place((towel, 2), (bread, 1))
    actions.mark_paid(order)
    towel_line, bread_line = order.lines.order_by("id")

    form = merchant_client.get(step(order, "ship")).content.decode()
    first = merchant_client.post(
        step(order, "ship"),
        {
            f"line_{towel_line.pk}": "1",
            f"line_{bread_line.pk}": "0",
            "carrier": "PostNL",
            "tracking_number": "3S123",
            "tracking_url": "https://track.example/3S123",
        },
    )

    assert f'name="line_{towel_line.pk}"' in form
    assert first.status_code == 302
    order.refresh_from_db()
    assert order.fulfilment_status == Fulfilment.PARTIALLY_SHIPPED
    shipment = order.shipments.get()
    assert (shipment.carrier, shipment.tracking_number) == ("PostNL", "3S123")
    assert order.events.get(kind=Kind.SHIPPED).actor == merchant

    rest = merchant_client.post(
        step(order, "ship"), {f"line_{towel_line.pk}": "1", f"line_{bread_line.pk}": "1"}
    )
    assert rest.status_code == 302
    order.refresh_from_db()
    assert order.fulfilment_status == Fulfilment.SHIPPED
    assert "3S123" in merchant_client.get(detail(order)).content.decode()

    delivered = merchant_client.post(step(order, "deliver"))
    assert delivered.status_code == 302
    order.refresh_from_db()
    assert order.fulfilment_status == Fulfilment.DELIVERED
    assert order.events.get(kind=Kind.DELIVERED).actor == merchant


def test_a_bad_tracking_link_is_an_error_at_its_field(merchant_client, place, towel):
    order = place((towel, 1))
    actions.mark_paid(order)
    line = order.lines.get()

    response = merchant_client.post(
        step(order, "ship"), {f"line_{line.pk}": "1", "tracking_url": "not a link"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["tracking_url"]
    assert not order.shipments.exists()


def test_cancelling_records_the_reason(merchant_client, merchant, place, towel):
    order = place((towel, 1))

    done = merchant_client.post(step(order, "cancel"), {"reason": "Customer asked"})

    assert done.status_code == 302
    order.refresh_from_db()
    assert order.payment_status == Payment.CANCELLED
    event = order.events.get(kind=Kind.CANCELLED)
    assert (event.actor, event.data["reason"]) == (merchant, "Customer asked")
    assert "Reason: Customer asked" in merchant_client.get(detail(order)).content.decode()


def test_refunding_some_lines_then_the_rest(merchant_client, merchant, place, towel, bread):
    order = place((towel, 1), (bread, 1))
    actions.mark_paid(order)
    towel_line, bread_line = order.lines.order_by("id")

    some = merchant_client.post(step(order, "refund"), {"lines": [str(towel_line.pk)]})
    order.refresh_from_db()
    assert some.status_code == 302
    assert order.payment_status == Payment.PARTIALLY_REFUNDED

    rest = merchant_client.post(step(order, "refund"), {"lines": [str(bread_line.pk)]})
    order.refresh_from_db()
    assert rest.status_code == 302
    assert order.payment_status == Payment.REFUNDED
    assert order.total_refunded == order.total_gross
    assert order.events.filter(kind=Kind.REFUNDED, actor=merchant).count() == 2


def test_a_refused_step_is_told_as_a_message_and_changes_nothing(merchant_client, place, towel):
    order = place((towel, 1))
    actions.mark_paid(order)

    refused = merchant_client.post(step(order, "cancel"), {"reason": ""})

    assert refused.status_code == 302 and refused["Location"] == detail(order)
    assert told(refused) == [
        f"This cannot be done with order {order.number} in its current state (Paid)."
    ]
    order.refresh_from_db()
    assert order.payment_status == Payment.PAID
    # Shipping an unpaid bank transfer is refused the same way.
    unpaid = place((towel, 1))
    line = unpaid.lines.get()
    shipped = merchant_client.post(step(unpaid, "ship"), {f"line_{line.pk}": "1"})
    assert shipped.status_code == 302
    assert not unpaid.shipments.exists()


def test_the_customer_page_lists_their_orders(merchant_client, place, towel, anna):
    order = place((towel, 1))

    page = merchant_client.get(
        reverse("backoffice:customers_customer_change", args=[anna.pk])
    ).content.decode()

    assert f'href="{detail(order)}"' in page


def test_staff_without_the_order_permission_get_403(store, place, towel):
    order = place((towel, 1))
    clerk = Customer.objects.create_user("clerk@example.com", PASSWORD, store=store, is_staff=True)
    TOTP.activate(clerk, MERCHANT_TOTP_SECRET)
    clerk.user_permissions.add(Permission.objects.get(codename="view_customer"))
    client = Client()
    client.force_login(clerk)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(detail(order)).status_code == 403
    assert client.post(step(order, "pay")).status_code == 403
    order.refresh_from_db()
    assert order.payment_status == Payment.PENDING
