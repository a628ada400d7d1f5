"""The customer list reads like a merchant tool: each row shows the account's
state as a badge, the store, when the customer last signed in and whether
the record is a lead from the contact form, for the same number of queries
whether the list shows 3 or 30 customers who all signed in."""

import re
from datetime import UTC, datetime

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from tests.conftest import PASSWORD

CHANGELIST = reverse("backoffice:customers_customer_changelist")
SIGNED_IN_AT = datetime(2026, 11, 20, 7, 30, tzinfo=UTC)  # 08:30 in Amsterdam


def row_of(page: str, shown_as: str) -> str:
    """The list row (<tr>…</tr>) of the customer shown with this name or email."""
    at = page.index(f">{shown_as}<")
    return page[page.rindex("<tr", 0, at) : page.index("</tr>", at)]


def badges(row: str) -> list[tuple[str, str]]:
    """The row's labels (unfold's badges): the state's class and the words."""
    return [
        (css_class, text.strip())
        for css_class, text in re.findall(
            r'<span class="[^"]*state-badge (state-\w+|lead)"\s*>(.*?)</span>', row, re.S
        )
    ]


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_each_row_shows_state_store_last_sign_in_and_lead(
    store, other_store, make_account_holder, merchant_client
):
    make_account_holder(store, "anna@example.com", first_name="Anna")
    with time_machine.travel(SIGNED_IN_AT, tick=False):
        Client().post(reverse("account_login"), {"login": "anna@example.com", "password": PASSWORD})
    actions.record_contact_message(
        store=other_store,
        name="Lea",
        email="lea@example.com",
        subject="Wholesale prices?",
        message="Do you sell by the pallet?",
    )
    actions.create_customer(store=store, email="guest@example.com", actor=None)

    page = merchant_client.get(CHANGELIST).content.decode()

    anna = row_of(page, "Anna")
    assert badges(anna) == [("state-active", "Active")]
    assert "Test Shop" in anna
    assert "Nov. 20, 2026, 8:30 a.m." in anna
    lea = row_of(page, "Lea")
    assert badges(lea) == [("state-none", "No account"), ("lead", "Lead")]
    assert "Other Shop" in lea
    # Without a name, the email stands for the customer.
    assert badges(row_of(page, "guest@example.com")) == [("state-none", "No account")]
    assert "shop_accounts/backoffice.css" in page


def test_the_list_costs_the_same_queries_for_3_or_30_customers_who_signed_in(
    store, merchant_client
):
    def add_signed_in(count: int, start: int) -> None:
        for number in range(start, start + count):
            customer = actions.create_customer(
                store=store, email=f"c{number}@example.com", actor=None, first_name=f"C{number}"
            )
            Customer.objects.filter(pk=customer.pk).update(last_login=SIGNED_IN_AT)

    add_signed_in(3, start=0)
    merchant_client.get(CHANGELIST)  # warm the session and content types
    with_three = queries_of(merchant_client, CHANGELIST)

    add_signed_in(27, start=3)

    assert len(merchant_client.get(CHANGELIST).context["cl"].result_list) == 30
    assert queries_of(merchant_client, CHANGELIST) == with_three
