"""The demo data command gives a visitor two stores and customers to try."""

import pytest
from django.core.management import call_command

from shop_accounts.customers.models import Address, Customer
from shop_accounts.stores.models import Store


@pytest.mark.django_db
def test_demo_data_has_two_stores_that_do_not_share_accounts():
    call_command("load_demo_data")

    shop = Store.objects.get(name="Demo Shop")
    b2b = Store.objects.get(name="Demo B2B")
    assert shop.is_default and shop.hostname == "localhost"
    assert b2b.hostname == "b2b.localhost"
    assert shop.account_realm_id != b2b.account_realm_id
    # The same email is two separate people, one per store.
    carlas = Customer.objects.filter(email="carla@example.com")
    assert {c.store.name for c in carlas} == {"Demo Shop", "Demo B2B"}


@pytest.mark.django_db
def test_demo_data_has_account_holders_guests_and_addresses():
    call_command("load_demo_data")

    customers = Customer.objects.filter(is_staff=False)
    active = customers.filter(account_state=Customer.AccountState.ACTIVE)
    guests = customers.filter(account_state=Customer.AccountState.NONE)
    assert active.count() >= 3
    assert guests.count() == 2
    business = active.get(customer_type=Customer.CustomerType.BUSINESS)
    assert business.company_name and business.vat_number and business.coc_number
    assert Address.objects.filter(customer=business).count() == 2
    assert Customer.objects.filter(is_staff=True, email="merchant@example.com").exists()


@pytest.mark.django_db
def test_loading_demo_data_twice_changes_nothing():
    call_command("load_demo_data")
    counts = (Store.objects.count(), Customer.objects.count(), Address.objects.count())

    call_command("load_demo_data")

    assert (Store.objects.count(), Customer.objects.count(), Address.objects.count()) == counts
