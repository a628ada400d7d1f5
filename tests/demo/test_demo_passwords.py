"""The demo's passwords are ones its own shop would accept: a visitor who
changes a password, or types the demo one at sign-up, meets the same rules."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command

from shop_accounts.backoffice.management.commands import load_demo_data
from shop_accounts.customers.models import Customer
from shop_accounts.stores.context import reset_current_store, set_current_store


def refusals(customer: Customer, password: str) -> list[str]:
    token = set_current_store(customer.store)
    try:
        validate_password(password, customer)
    except ValidationError as refused:
        return list(refused.messages)
    finally:
        reset_current_store(token)
    return []


@pytest.mark.django_db
def test_each_demo_password_passes_its_stores_rules():
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    account_holders = Customer.objects.filter(account_state=Customer.AccountState.ACTIVE)
    assert account_holders.count() >= 5  # merchant, anna, bernd, both carlas

    for customer in account_holders:
        password = (
            load_demo_data.MERCHANT_PASSWORD if customer.is_staff else load_demo_data.DEMO_PASSWORD
        )
        assert customer.check_password(password), customer.email
        assert refusals(customer, password) == [], (customer.email, customer.store.name)


@pytest.mark.django_db
def test_the_old_demo_password_would_have_been_refused():
    # It named the shop ("demo-shop-2026" in "Demo Shop"): this check can fail.
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    anna = Customer.objects.get(email="anna@example.com")

    assert refusals(anna, "demo-shop-2026") == ["Do not use the shop's name as your password."]


def test_the_printed_logins_follow_the_port(monkeypatch, db, capsys):
    monkeypatch.setenv("SHOP_LINK_PORT", "8123")

    call_command("load_demo_data")

    printed = capsys.readouterr().out
    assert "http://localhost:8123/backoffice/" in printed
    assert "http://b2b.localhost:8123/" in printed
    assert ":8000" not in printed
    assert f"'{load_demo_data.DEMO_PASSWORD}'" in printed
