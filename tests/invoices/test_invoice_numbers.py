"""Invoice numbers are sequential per store, series and year, without gaps
or repeats (EU VAT Directive art. 226(2)): drawn under the counter's lock in
the issuing transaction, given back when it rolls back, and safe when many
are drawn at once (SQLite: IMMEDIATE transactions; PostgreSQL: row locks)."""

import threading

import pytest
from django.db import connection, transaction

from shop_accounts.invoices.errors import InvalidInvoice, NumberOutsideTransaction
from shop_accounts.invoices.models import InvoiceCounter
from shop_accounts.invoices.numbers import draw_invoice_number


def draw(store, series="invoice", year=2026) -> str:
    with transaction.atomic():
        return draw_invoice_number(store, series, year).text


class Rollback(Exception):
    """Raised to roll an issuing transaction back after it drew a number."""


def test_numbers_count_up_from_one_in_the_year_and_series(store):
    assert [draw(store) for _ in range(3)] == ["2026-000001", "2026-000002", "2026-000003"]
    assert [draw(store, "credit_note") for _ in range(2)] == ["CN-2026-000001", "CN-2026-000002"]
    assert draw(store) == "2026-000004"


def test_a_new_year_starts_at_one_and_the_old_year_keeps_its_count(store):
    for _ in range(3):
        draw(store, year=2026)

    assert draw(store, year=2027) == "2027-000001"
    assert draw(store, year=2027) == "2027-000002"
    assert draw(store, year=2026) == "2026-000004"
    counters = InvoiceCounter.objects.filter(store=store, series="invoice")
    assert dict(counters.values_list("year", "last_number")) == {2026: 4, 2027: 2}


def test_each_store_counts_for_itself(store, other_store):
    draw(store)
    draw(store)

    assert draw(other_store) == "2026-000001"
    assert draw(store) == "2026-000003"


def test_a_rolled_back_transaction_gives_its_number_back(store):
    draw(store)
    with pytest.raises(Rollback), transaction.atomic():
        assert draw_invoice_number(store, "invoice", 2026).text == "2026-000002"
        raise Rollback

    assert draw(store) == "2026-000002"


def test_a_rolled_back_first_number_of_the_year_leaves_no_counter(store):
    with pytest.raises(Rollback), transaction.atomic():
        draw_invoice_number(store, "invoice", 2028)
        raise Rollback

    assert not InvoiceCounter.objects.filter(store=store, year=2028).exists()
    assert draw(store, year=2028) == "2028-000001"


@pytest.mark.django_db(transaction=True)
def test_a_number_is_never_drawn_outside_a_transaction(store):
    with pytest.raises(NumberOutsideTransaction):
        draw_invoice_number(store, "invoice", 2026)

    assert not InvoiceCounter.objects.exists()


def test_an_unknown_series_is_refused(store):
    with pytest.raises(InvalidInvoice) as refused, transaction.atomic():
        draw_invoice_number(store, "quotation", 2026)

    assert refused.value.errors == {"series": ["An invoice is either an invoice or a credit note."]}
    assert not InvoiceCounter.objects.exists()


def draw_at_once(store, count: int, *, rolls_back=lambda index: False) -> list[str]:
    """`count` threads, each with its own connection, drawing a number in
    its own transaction at the same moment; those that `rolls_back` picks
    roll back after drawing. The numbers of the committed ones."""
    committed: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def issue(index: int) -> None:
        try:
            start.wait()
            with transaction.atomic():
                number = draw_invoice_number(store, "invoice", 2026).text
                if rolls_back(index):
                    raise Rollback
            committed.append(number)
        except Rollback:
            pass
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return committed


@pytest.mark.django_db(transaction=True)
def test_fifty_numbers_drawn_at_once_are_fifty_consecutive_numbers(store):
    # No counter row yet: the year's first number is raced for too.
    numbers = draw_at_once(store, 50)

    assert sorted(numbers) == [f"2026-{n:06d}" for n in range(1, 51)]
    assert InvoiceCounter.objects.get(store=store, series="invoice", year=2026).last_number == 50


@pytest.mark.django_db(transaction=True)
def test_numbers_given_back_by_rollbacks_at_once_leave_no_gap(store):
    # Every fifth transaction rolls back after drawing: the 40 that commit
    # still hold 1 to 40, each once.
    numbers = draw_at_once(store, 50, rolls_back=lambda index: index % 5 == 0)

    assert sorted(numbers) == [f"2026-{n:06d}" for n in range(1, 41)]
    assert draw(store) == "2026-000041"
