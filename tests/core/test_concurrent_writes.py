"""Concurrent writers wait for each other instead of failing or losing edits
(SQLite: WAL + IMMEDIATE transactions; PostgreSQL: row locks)."""

import threading

import pytest
from django.db import connection

from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent


@pytest.mark.django_db(transaction=True)
def test_parallel_edits_of_different_fields_all_survive(store):
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)
    edits = {
        "first_name": "Anna",
        "last_name": "Jansen",
        "phone": "+31 20 123 4567",
        "company_name": "Jansen Studio",
        "vat_number": "NL123456789B01",
        "mobile": "+31 6 1234 5678",
    }
    errors: list[BaseException] = []
    start = threading.Barrier(len(edits))

    def edit(field: str, value: str) -> None:
        try:
            start.wait()
            actions.update_customer(customer, actor=None, **{field: value})
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=item) for item in edits.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    saved = Customer.objects.get(pk=customer.pk)
    assert {field: getattr(saved, field) for field in edits} == edits
    updates = CustomerEvent.objects.filter(customer=customer, kind=CustomerEvent.Kind.UPDATED)
    assert sorted(field for e in updates for field in e.data["fields"]) == sorted(edits)
