"""The invoice counter's row lock, in one place. It is the LAST lock of the
order (DEVELOPERS.md, "Locks"): store → customer → order → order lines →
the per-store invoice counter. Whoever issues an invoice takes it after all
their other locks and holds it to the end of the transaction, so numbers are
handed out one transaction at a time, in commit order. On SQLite the lock is
a no-op: its IMMEDIATE transactions lock the whole database."""

from django.db import IntegrityError, transaction

from shop_accounts.invoices.models import InvoiceCounter


def lock_invoice_counter(*, store_id: int, series: str, year: int) -> InvoiceCounter:
    """The counter of `series` in `year` for the store, locked; made (at 0)
    when this is the year's first number. Call inside a transaction."""
    counters = InvoiceCounter.objects.select_for_update()
    counter = counters.filter(store_id=store_id, series=series, year=year).first()
    if counter is not None:
        return counter
    # The year's first number. Two transactions may both get here: on
    # PostgreSQL the second insert waits on the unique index until the first
    # commits, fails, and then waits for the first one's row lock instead.
    # The savepoint keeps the caller's transaction usable after the failure.
    try:
        with transaction.atomic():
            return InvoiceCounter.objects.create(
                store_id=store_id, series=series, year=year, last_number=0
            )
    except IntegrityError:
        return counters.get(store_id=store_id, series=series, year=year)
