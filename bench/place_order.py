"""Place-order throughput: orders placed one after another, and by several
threads at once (each its own database connection, as app processes are),
on SQLite or on the PostgreSQL in DATABASE_URL.

Each order has three lines of three tax classes, one with tracked stock, for
a customer record of its own, so the run measures placement (locks, stock,
numbering, totals per rate, the event), not one customer's row contended.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop_accounts.settings")
os.environ.setdefault("SHOP_TESTING", "1")

import django

django.setup()

from django.db import connection, connections  # noqa: E402

ADDRESS = {
    "name": "Bench Buyer",
    "street": "Keizersgracht",
    "house_number": "12",
    "postal_code": "1015 CJ",
    "city": "Amsterdam",
    "country": "NL",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=500, help="orders per run")
    parser.add_argument("--threads", type=int, default=4, help="threads of the concurrent run")
    args = parser.parse_args()

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args: argparse.Namespace) -> None:
    from shop_accounts.catalog.actions import create_product
    from shop_accounts.catalog.models import TaxClass
    from shop_accounts.customers.models import Customer
    from shop_accounts.orders.actions import place_order
    from shop_accounts.orders.models import Order
    from shop_accounts.stores import actions as store_actions

    store = store_actions.create_store(name="Bench Shop", hostname="testserver", is_default=True)
    products = [
        create_product(store, name="Towel", price=Decimal("12.40"), sku="TW-1"),
        create_product(
            store, name="Bread", price=Decimal("2.35"), sku="BR-1", tax_class=TaxClass.REDUCED
        ),
        create_product(
            store,
            name="Lamp",
            price=Decimal("49.00"),
            sku="LA-1",
            track_stock=True,
            stock=10 * args.orders * (args.threads + 1),
        ),
    ]
    total = 3 * args.orders
    Customer.objects.bulk_create(
        [
            Customer(
                store=store,
                realm_id=store.account_realm_id,
                email=f"buyer{i}@example.com",
                password="!",
            )
            for i in range(total)
        ],
        batch_size=2000,
    )
    buyers = list(Customer.objects.order_by("pk"))

    def place(n: int) -> float:
        started = time.perf_counter()
        place_order(
            store,
            buyers[n],
            lines=[(products[0], 2), (products[1], 1), (products[2], 1)],
            billing=ADDRESS,
            payment_method=Order.PaymentMethod.BANK_TRANSFER,
            idempotency_key=f"bench-{n}",
        )
        return time.perf_counter() - started

    place(0)  # the first order warms caches; not measured
    print(f"database: {connection.vendor}; {args.orders} orders per run, 3 lines each")

    started = time.perf_counter()
    sequential = [place(n) for n in range(1, args.orders + 1)]
    report("one after another", sequential, time.perf_counter() - started)

    # Threads take turns at the numbers in slices of their own.
    durations: list[float] = []
    failures: list[BaseException] = []
    per_thread = args.orders // args.threads
    first = args.orders + 1

    def worker(slot: int) -> None:
        try:
            for n in range(first + slot * per_thread, first + (slot + 1) * per_thread):
                durations.append(place(n))
        except BaseException as error:  # reported below; a bench must not hide it
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(args.threads)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report(f"{args.threads} threads at once", durations, time.perf_counter() - started)
    if failures:
        print(f"  {len(failures)} thread(s) failed, the first: {failures[0]!r}")

    numbers = list(Order.objects.filter(store=store).values_list("number", flat=True))
    gapless = sorted(numbers) == list(range(min(numbers), min(numbers) + len(numbers)))
    print(f"orders: {len(numbers)}, numbers distinct and gapless: {gapless}")


def report(label: str, durations: list[float], wall: float) -> None:
    ms = sorted(d * 1000 for d in durations)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    print(
        f"{label}: {len(ms) / wall:.0f} orders/s; per order median {statistics.median(ms):.1f} ms,"
        f" p95 {p95:.1f} ms"
    )


if __name__ == "__main__":
    main()
