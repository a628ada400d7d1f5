"""Back-office customer list, search and detail with many customers.

Builds N customers (and one customer with a long event history) in a fresh
test database, then times the pages and counts their SQL queries.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop_accounts.settings")
os.environ.setdefault("SHOP_TESTING", "1")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--events", type=int, default=2000, help="events of one customer")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    # No setup_test_environment(): its template instrumentation would be
    # measured too, and a shop does not run with it.
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args: argparse.Namespace) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client

    from shop_accounts.customers import actions
    from shop_accounts.customers.models import Customer, CustomerEvent
    from shop_accounts.identity.actions import record_verified_email
    from shop_accounts.stores import actions as store_actions

    store = store_actions.create_store(name="Bench Shop", hostname="testserver", is_default=True)
    started = time.perf_counter()
    Customer.objects.bulk_create(
        [
            Customer(
                store=store,
                realm_id=store.account_realm_id,
                email=f"customer{i}@example.com",
                first_name=f"First{i}",
                last_name=f"Last{i}",
                company_name=f"Company {i % 500}",
                vat_number=f"NL{i:09d}B01",
                password="!",
            )
            for i in range(args.customers)
        ],
        batch_size=2000,
    )
    busy = Customer.objects.get(email="customer1@example.com")
    CustomerEvent.objects.bulk_create(
        [
            CustomerEvent(
                customer=busy, kind=CustomerEvent.Kind.UPDATED, data={"fields": ["phone"]}
            )
            for _ in range(args.events)
        ],
        batch_size=2000,
    )
    for n in range(3):
        actions.add_address(busy, actor=None, street=f"Street {n}", city="Utrecht", country="NL")
    print(f"built {args.customers} customers in {time.perf_counter() - started:.1f}s")

    merchant = Customer.objects.create_superuser("bench@example.com", "x" * 16, store=store)
    record_verified_email(merchant)
    # Staff reach the back office only with an authenticator app or a passkey.
    TOTP.activate(merchant, generate_totp_secret())
    client = Client()
    client.force_login(merchant)
    pages = {
        "list": "/backoffice/customers/customer/",
        "search": "/backoffice/customers/customer/?q=Company+42",
        "filter": "/backoffice/customers/customer/?account_state__exact=none",
        "detail": f"/backoffice/customers/customer/{busy.pk}/change/",
    }
    for name, url in pages.items():
        timings, queries = [], 0
        for _ in range(args.rounds):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            queries = len(captured.captured_queries)
            if response.status_code != 200:
                print(f"{name}: HTTP {response.status_code}, not measured")
                break
        else:
            print(
                f"{name:7s} median {statistics.median(timings):7.1f} ms  "
                f"max {max(timings):7.1f} ms  {queries} queries"
            )


if __name__ == "__main__":
    main()
