"""Order lists with many orders: the back office's order list (plain, a
search, a filter) and detail, the customer page of a customer with a long
order history, and that customer's orders as My Account reads them.

Builds N orders of two lines each (bulk inserts, as an import would) spread
over 1,000 customers, with one customer holding `--busy` of them, in a
fresh test database (or the PostgreSQL in DATABASE_URL), then times the
pages and counts their SQL queries. A page the build does not have yet is
reported, not measured.
"""

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop_accounts.settings")
os.environ.setdefault("SHOP_TESTING", "1")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ADDRESS = {"name": "Bench Buyer", "street": "Main street 1", "city": "Utrecht", "country": "NL"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--busy", type=int, default=2_000, help="orders of one customer")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def build(args: argparse.Namespace):
    from shop_accounts.customers.models import Customer
    from shop_accounts.orders.models import Order, OrderLine
    from shop_accounts.stores import actions as store_actions

    store = store_actions.create_store(name="Bench Shop", hostname="testserver", is_default=True)
    started = time.perf_counter()
    Customer.objects.bulk_create(
        [
            Customer(
                store=store,
                realm_id=store.account_realm_id,
                email=f"buyer{i}@example.com",
                first_name=f"First{i}",
                last_name=f"Last{i}",
                password="!",
            )
            for i in range(1000)
        ]
    )
    customers = list(Customer.objects.filter(store=store).order_by("pk"))
    busy = customers[0]
    statuses = list(Order.PaymentStatus)
    batch = 5000
    for first in range(0, args.orders, batch):
        orders = []
        for n in range(first, min(first + batch, args.orders)):
            owner = busy if n < args.busy else customers[n % len(customers)]
            orders.append(
                Order(
                    store=store,
                    customer=owner,
                    number=1001 + n,
                    public_token=f"bench-token-{n}",
                    idempotency_key=f"bench-{n}",
                    currency="EUR",
                    language="en",
                    email=owner.email,
                    billing_address=ADDRESS,
                    shipping_address=ADDRESS,
                    total_net=Decimal("20.00"),
                    total_tax=Decimal("4.20"),
                    total_gross=Decimal("24.20"),
                    payment_method=Order.PaymentMethod.BANK_TRANSFER,
                    payment_status=statuses[n % len(statuses)],
                )
            )
        created = Order.objects.bulk_create(orders)
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                name=name,
                sku=sku,
                quantity=1,
                unit_price_net=Decimal("10.00"),
                tax_rate=Decimal("21.00"),
                line_net=Decimal("10.00"),
            )
            for order in created
            for name, sku in (("Towel", "TW-1"), ("Mug", "MU-1"))
        )
    print(f"built {args.orders} orders in {time.perf_counter() - started:.1f}s")
    return store, busy


def run(args: argparse.Namespace) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.paginator import Paginator
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from shop_accounts.customers.models import Customer
    from shop_accounts.identity.actions import record_verified_email
    from shop_accounts.orders.models import Order
    from shop_accounts.orders.queries import orders_for_customer

    store, busy = build(args)
    merchant = Customer.objects.create_superuser("bench@example.com", "x" * 16, store=store)
    record_verified_email(merchant)
    TOTP.activate(merchant, generate_totp_secret())  # staff need a second factor
    client = Client()
    client.force_login(merchant)

    def page_of_history() -> None:
        page = Paginator(orders_for_customer(busy), 20).get_page(50)
        [list(order.lines.all()) for order in page]

    measure("customer's orders (query, page 50 of 20)", page_of_history)

    middle = Order.objects.get(number=1001 + args.orders // 2)
    try:
        order_list = reverse("backoffice:orders_order_changelist")
        pages = {
            "order list": order_list,
            "order search": f"{order_list}?q=buyer42%40example.com",
            "order filter": f"{order_list}?payment_status__exact=paid",
            "order detail": reverse("backoffice:orders_order_change", args=[middle.pk]),
        }
    except NoReverseMatch:
        print("back-office order pages: not in this build, not measured")
        pages = {}
    pages["customer page"] = reverse("backoffice:customers_customer_change", args=[busy.pk])
    for name, url in pages.items():
        measure(name, lambda url=url: check(client.get(url)), rounds=args.rounds)


def check(response) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}")


def measure(name: str, view, rounds: int = 5) -> None:
    timings, queries = [], 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            try:
                view()
            except RuntimeError as error:
                print(f"{name}: {error}, not measured")
                return
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    print(
        f"{name:42s} median {statistics.median(timings):7.1f} ms  "
        f"max {max(timings):7.1f} ms  {queries} queries"
    )


if __name__ == "__main__":
    main()
