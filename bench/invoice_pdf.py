"""The invoice PDF render: the WeasyPrint PDF/A-3 with its Factur-X XML
(EN 16931, checked against the schema) embedded, as it is made once at issue.

Renders N invoices of a few lines each, some with two VAT rates, some under
reverse charge, some in German, and prints the median and the 95th
percentile per invoice, in wall time and in CPU time. The first render
(fonts, schema) is timed apart: a worker process pays it once. No database
is needed.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop_accounts.settings")
os.environ.setdefault("SHOP_TESTING", "1")

import django

django.setup()

from shop_accounts.invoices.documents import (  # noqa: E402
    InvoiceDocument,
    LineInput,
    Party,
    render_invoice_pdf,
)

GOAL_MS = 150
SELLER = Party(
    name="Bench Shop B.V.",
    address_lines=("Keizersgracht 100",),
    postcode="1015 CJ",
    city="Amsterdam",
    country="NL",
    vat_number="NL000099998B57",
)
CONSUMER = Party(
    name="Anna Jansen",
    address_lines=("Prinsengracht 7",),
    postcode="1016 GV",
    city="Amsterdam",
    country="NL",
)
BUSINESS = Party(
    name="Kaffeehaus Müller GmbH",
    address_lines=("Hauptstraße 5",),
    postcode="10115",
    city="Berlin",
    country="DE",
    vat_number="DE136695976",
)


def document(index: int, lines_per_invoice: int) -> InvoiceDocument:
    reverse_charge = index % 4 == 3
    lines = [
        LineInput(
            description=f"Product {index}-{n} with a longer name, 250 g",
            quantity=Decimal(1 + n % 3),
            unit_net=Decimal("12.95") + n,
            tax_rate=Decimal(0 if reverse_charge else (9 if n % 2 else 21)),
            sku=f"SKU-{n:04d}",
        )
        for n in range(lines_per_invoice)
    ]
    return InvoiceDocument.compose(
        kind="invoice",
        number=f"2026-{index + 1:06d}",
        issue_date=date(2026, 3, 14),
        seller=SELLER,
        buyer=BUSINESS if reverse_charge else CONSUMER,
        lines=lines,
        currency="EUR",
        language="de" if index % 2 else "en",
        reverse_charge=reverse_charge,
    )


def percentiles(timings: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile."""
    if len(timings) == 1:
        return timings[0], timings[0]
    return statistics.median(timings), statistics.quantiles(timings, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=50)
    parser.add_argument("--lines", type=int, default=5, help="lines per invoice")
    args = parser.parse_args()

    documents = [document(index, args.lines) for index in range(args.invoices)]
    started = time.perf_counter()
    size = len(render_invoice_pdf(documents[0]))
    first_ms = (time.perf_counter() - started) * 1000

    timings, cpu_timings = [], []
    for item in documents:
        started, cpu_started = time.perf_counter(), time.process_time()
        render_invoice_pdf(item)
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)

    median, p95 = percentiles(timings)
    cpu_median, cpu_p95 = percentiles(cpu_timings)
    print(f"invoice PDF + Factur-X, {args.invoices} invoices of {args.lines} lines")
    # On a shared machine the figures follow the load: say what it was.
    print("  load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(f"  first render (fonts, schema): {first_ms:.0f} ms, {size // 1024} KiB")
    print(f"  median {median:.0f} ms, p95 {p95:.0f} ms per invoice (goal: median <= {GOAL_MS} ms)")
    # CPU time leaves out the waits for a core that other processes hold: on
    # a busy machine it is the closer figure for an idle one.
    print(f"  CPU time: median {cpu_median:.0f} ms, p95 {cpu_p95:.0f} ms per invoice")


if __name__ == "__main__":
    main()
