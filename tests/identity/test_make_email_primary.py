"""Making another address primary on allauth's email page goes through
customers.actions.change_customer_email: the realm's uniqueness check under
the row lock, one event on the trail. When someone else already holds the
address, the customer gets a message on the page, never a 500; two customers
claiming the same address at once end with one winner and one message."""

import threading

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.urls import reverse

from shop_accounts.customers.models import Customer, CustomerEvent
from tests.conftest import PASSWORD

SHARED = "family@example.com"
EMAIL_PAGE = reverse("account_email")
TAKEN_MESSAGE = "A user is already registered with this email address."
PRIMARY_SET = "Primary email address set."


def signed_in_again(customer: Customer) -> Client:
    """Signed in, with the password given again (the page asks for it)."""
    client = Client()
    client.force_login(customer)
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD})[
        "Location"
    ] == reverse("storefront:my-account")
    return client


def make_primary(client: Client, email: str = SHARED):
    return client.post(EMAIL_PAGE, {"action_primary": "", "email": email})


def with_verified_address(customer: Customer, email: str = SHARED) -> Customer:
    EmailAddress.objects.create(user=customer, email=email, verified=True)
    return customer


def primary_addresses(customer: Customer) -> list[str]:
    return list(
        EmailAddress.objects.filter(user=customer, primary=True).values_list("email", flat=True)
    )


def email_changes(customer: Customer) -> int:
    return CustomerEvent.objects.filter(
        customer=customer, kind=CustomerEvent.Kind.UPDATED, data__fields=["email"]
    ).count()


def test_an_address_another_customer_made_primary_first_is_refused_with_a_message(
    store, make_account_holder
):
    anna = with_verified_address(make_account_holder(store, "anna@example.com"))
    bert = with_verified_address(make_account_holder(store, "bert@example.com"))
    assert make_primary(signed_in_again(anna))["Location"] == EMAIL_PAGE
    bert_client = signed_in_again(bert)

    response = make_primary(bert_client)

    assert response.status_code == 302
    assert response["Location"] == EMAIL_PAGE
    page = bert_client.get(EMAIL_PAGE).content.decode()
    assert TAKEN_MESSAGE in page
    bert.refresh_from_db()
    assert bert.email == "bert@example.com"
    assert primary_addresses(bert) == ["bert@example.com"]
    assert email_changes(bert) == 0
    anna.refresh_from_db()
    assert anna.email == SHARED


def test_an_address_of_a_guest_record_in_the_realm_is_refused_with_a_message(
    store, make_account_holder
):
    from shop_accounts.customers import actions

    actions.create_customer(store=store, email=SHARED, actor=None)
    anna = with_verified_address(make_account_holder(store, "anna@example.com"))
    client = signed_in_again(anna)

    response = make_primary(client)

    assert response["Location"] == EMAIL_PAGE
    assert TAKEN_MESSAGE in client.get(EMAIL_PAGE).content.decode()
    anna.refresh_from_db()
    assert anna.email == "anna@example.com"


def test_making_an_address_primary_changes_the_email_once_on_the_trail(store, make_account_holder):
    anna = with_verified_address(make_account_holder(store, "anna@example.com"))
    client = signed_in_again(anna)

    response = make_primary(client)

    assert response["Location"] == EMAIL_PAGE
    assert PRIMARY_SET in client.get(EMAIL_PAGE).content.decode()
    anna.refresh_from_db()
    assert anna.email == SHARED
    assert primary_addresses(anna) == [SHARED]
    assert email_changes(anna) == 1


def test_an_unverified_address_is_not_made_primary(store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")
    EmailAddress.objects.create(user=anna, email=SHARED, verified=False)
    client = signed_in_again(anna)

    response = make_primary(client)

    assert response["Location"] == EMAIL_PAGE
    anna.refresh_from_db()
    assert anna.email == "anna@example.com"
    assert primary_addresses(anna) == ["anna@example.com"]


@pytest.mark.django_db(transaction=True)
def test_two_customers_making_the_same_address_primary_at_once_end_with_one_winner(
    store, make_account_holder
):
    customers = [
        with_verified_address(make_account_holder(store, f"{name}@example.com"))
        for name in ("anna", "bert")
    ]
    clients = [signed_in_again(customer) for customer in customers]
    answers: dict[int, int] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(len(clients))

    def claim(index: int) -> None:
        try:
            start.wait()
            answers[index] = make_primary(clients[index]).status_code
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert answers == {0: 302, 1: 302}
    holders = [c for c in customers if Customer.objects.get(pk=c.pk).email == SHARED]
    assert len(holders) == 1
    (loser,) = [c for c in customers if c not in holders]
    loser_page = clients[customers.index(loser)].get(EMAIL_PAGE).content.decode()
    assert TAKEN_MESSAGE in loser_page
    assert primary_addresses(loser) == [loser.email]
    assert email_changes(loser) == 0
