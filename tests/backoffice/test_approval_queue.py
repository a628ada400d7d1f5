"""The approval queue as its own entry of the back office: "Registrations
awaiting approval" lists the registrations with the data given at sign-up,
the menu and the index say how many wait, and the merchant approves or
declines from there (the customer is emailed either way). Only staff see it;
changes are POSTs; the page costs the same queries for 3 or 30 waiting."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.identity.actions import record_verified_email
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store
from tests.conftest import PASSWORD

Kind = CustomerEvent.Kind
State = Customer.AccountState
QUEUE = reverse("backoffice:customers_pendingregistration_changelist")
INDEX = reverse("backoffice:index")


@pytest.fixture
def approval_store(store) -> Store:
    return store_actions.update_store(store, signup_mode=Store.SignupMode.APPROVAL)


def register(store: Store, email: str, **details: str) -> Customer:
    """A registration whose email is proved, waiting for the merchant."""
    customer = actions.register_customer(
        store=store,
        email=email,
        password=PASSWORD,
        language=details.pop("language", "en"),
        first_name=details.pop("first_name", ""),
        last_name=details.pop("last_name", ""),
        **details,
    )
    record_verified_email(customer)
    return customer


def queued(response) -> list[str]:
    assert response.status_code == 200
    return [registration.email for registration in response.context["cl"].result_list]


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def menu_count(page: str) -> str:
    """The number beside "Registrations awaiting approval" in the menu."""
    badge = re.search(
        r'<span class="sidebar-badge[^"]*awaiting-approval-count[^"]*">(.*?)</span>', page, re.S
    )
    assert badge is not None
    return badge.group(1).strip()


def test_the_queue_lists_only_registrations_awaiting_approval_with_the_data_given(
    approval_store, merchant_client, make_account_holder
):
    bea = register(
        approval_store,
        "bea@acme.example",
        first_name="Bea",
        last_name="Lund",
        company_name="Acme AS",
        vat_number="NO999999999MVA",
        phone="+47 2222 3333",
    )
    cid = register(approval_store, "cid@example.com", first_name="Cid")
    make_account_holder(approval_store, "anna@example.com")
    actions.create_customer(store=approval_store, email="guest@example.com", actor=None)

    response = merchant_client.get(QUEUE)

    assert queued(response) == ["bea@acme.example", "cid@example.com"]  # oldest first
    page = response.content.decode()
    for given in ("Bea Lund", "Acme AS", "NO999999999MVA", "+47 2222 3333", "Test Shop"):
        assert given in page
    assert reverse("backoffice:customers_customer_change", args=[bea.pk]) in page
    assert reverse("backoffice:customers_customer_change", args=[cid.pk]) in page
    assert "anna@example.com" not in page


def test_the_index_and_the_menu_say_how_many_registrations_wait(approval_store, merchant_client):
    for number in range(3):
        register(approval_store, f"waiting{number}@example.com")

    index = merchant_client.get(INDEX).content.decode()
    menu = merchant_client.get(QUEUE).content.decode()

    assert "Registrations awaiting approval" in index
    assert '<span class="backoffice-count">3 awaiting approval</span>' in index
    assert menu_count(index) == menu_count(menu) == "3"


def test_the_queue_costs_the_same_queries_for_3_or_30_registrations(
    approval_store, merchant_client
):
    for number in range(3):
        register(approval_store, f"waiting{number}@example.com", company_name=f"Firm {number}")
    merchant_client.get(QUEUE)  # warm the session and content types
    with_three = queries_of(merchant_client, QUEUE)
    index_with_three = queries_of(merchant_client, INDEX)

    for number in range(3, 30):
        register(approval_store, f"waiting{number}@example.com", company_name=f"Firm {number}")

    assert len(queued(merchant_client.get(QUEUE))) == 30
    assert queries_of(merchant_client, QUEUE) == with_three
    assert queries_of(merchant_client, INDEX) == index_with_three


def test_approving_from_the_queue_activates_emails_and_records_the_merchant(
    approval_store, merchant, merchant_client, make_account_holder, smtp_sink
):
    bea = register(approval_store, "bea@example.com", first_name="Bea", language="de")
    cid = register(approval_store, "cid@example.com")

    response = merchant_client.post(
        QUEUE, {"action": "approve_registrations", "_selected_action": [bea.pk]}, follow=True
    )

    assert told(response) == ["1 customer approved."]
    assert queued(response) == ["cid@example.com"]
    assert menu_count(response.content.decode()) == "1"
    bea.refresh_from_db()
    assert bea.account_state == State.ACTIVE
    event = bea.events.get(kind=Kind.APPROVED)
    assert event.actor == merchant
    cid.refresh_from_db()
    assert cid.account_state == State.AWAITING_APPROVAL
    deliver_due_emails()
    (message,) = smtp_sink.to("bea@example.com")
    assert smtp_sink.text_of(message).startswith("Hallo Bea,")
    assert smtp_sink.to("cid@example.com") == []


def test_declining_from_the_queue_emails_the_customer_and_records_the_merchant(
    approval_store, merchant, merchant_client, smtp_sink
):
    bea = register(approval_store, "bea@example.com")
    cid = register(approval_store, "cid@example.com")

    response = merchant_client.post(
        QUEUE,
        {
            "action": "decline_registrations",
            "_selected_action": [bea.pk, cid.pk],
            "confirmed": "yes",
        },
        follow=True,
    )

    assert told(response) == ["2 customers declined."]
    assert queued(response) == []
    for customer in (bea, cid):
        customer.refresh_from_db()
        assert customer.account_state == State.NONE
        assert customer.events.get(kind=Kind.DECLINED).actor == merchant
    deliver_due_emails()
    assert len(smtp_sink.to("bea@example.com")) == len(smtp_sink.to("cid@example.com")) == 1


def test_a_registration_approved_meanwhile_is_skipped_and_left_alone(
    approval_store, merchant, merchant_client
):
    bea = register(approval_store, "bea@example.com")
    actions.approve_registration(bea, actor=merchant)

    response = merchant_client.post(
        QUEUE, {"action": "decline_registrations", "_selected_action": [bea.pk]}, follow=True
    )

    bea.refresh_from_db()
    assert bea.account_state == State.ACTIVE
    assert not bea.events.filter(kind=Kind.DECLINED).exists()
    assert told(response) == ["1 registration no longer awaits approval and was left alone."]


def test_a_customer_who_is_not_staff_gets_neither_the_queue_nor_its_actions(
    approval_store, make_account_holder
):
    bea = register(approval_store, "bea@example.com")
    shopper = make_account_holder(approval_store, "shopper@example.com")
    client = Client()
    client.force_login(shopper)

    page = client.get(QUEUE)
    refused = client.post(QUEUE, {"action": "approve_registrations", "_selected_action": [bea.pk]})

    assert page.status_code == 302
    assert refused.status_code == 302
    bea.refresh_from_db()
    assert bea.account_state == State.AWAITING_APPROVAL
    assert not bea.events.filter(kind=Kind.APPROVED).exists()


def test_the_queue_offers_no_editing_adding_or_deleting(approval_store, merchant_client):
    bea = register(approval_store, "bea@example.com")

    page = merchant_client.get(QUEUE).content.decode()
    deleted = merchant_client.post(
        QUEUE, {"action": "delete_selected", "_selected_action": [bea.pk]}
    )

    assert 'value="delete_selected"' not in page
    assert (
        merchant_client.get(reverse("backoffice:customers_pendingregistration_add")).status_code
        == 403
    )
    # The admin knows no such action here: back to the queue, nothing deleted.
    assert (deleted.status_code, deleted["Location"]) == (302, QUEUE)
    assert Customer.objects.filter(pk=bea.pk, account_state=State.AWAITING_APPROVAL).exists()


def row_button(registration: Customer, step: str) -> str:
    return reverse(f"backoffice:customers_pendingregistration_{step}", args=[registration.pk])


def test_each_row_has_buttons_that_approve_or_decline_that_registration(
    approval_store, merchant, merchant_client, smtp_sink
):
    bea = register(approval_store, "bea@example.com")
    cid = register(approval_store, "cid@example.com")
    page = merchant_client.get(QUEUE).content.decode()
    for customer in (bea, cid):
        assert f'formaction="{row_button(customer, "approve")}"' in page
        # Decline asks first: a link to its confirmation page.
        assert f'href="{row_button(customer, "decline")}"' in page

    approved = merchant_client.post(row_button(bea, "approve"), follow=True)
    declined = merchant_client.post(row_button(cid, "decline"), follow=True)

    assert approved.redirect_chain[-1][0] == QUEUE
    assert told(approved) == ["bea@example.com is approved and has been emailed."]
    assert told(declined) == [
        "The registration of cid@example.com is declined; they have been emailed."
    ]
    assert queued(declined) == []
    bea.refresh_from_db()
    cid.refresh_from_db()
    assert (bea.account_state, cid.account_state) == (State.ACTIVE, State.NONE)
    assert bea.events.get(kind=Kind.APPROVED).actor == merchant
    assert cid.events.get(kind=Kind.DECLINED).actor == merchant
    deliver_due_emails()
    assert len(smtp_sink.to("bea@example.com")) == len(smtp_sink.to("cid@example.com")) == 1


def test_a_row_button_for_a_registration_no_longer_waiting_changes_nothing(
    approval_store, merchant, merchant_client
):
    bea = register(approval_store, "bea@example.com")
    actions.approve_registration(bea, actor=merchant)

    response = merchant_client.post(row_button(bea, "decline"), follow=True)

    assert told(response) == ["This registration no longer awaits approval."]
    bea.refresh_from_db()
    assert bea.account_state == State.ACTIVE
    assert not bea.events.filter(kind=Kind.DECLINED).exists()


def test_row_buttons_answer_only_to_post_and_only_to_staff(
    approval_store, make_account_holder, merchant_client
):
    bea = register(approval_store, "bea@example.com")
    shopper = make_account_holder(approval_store, "shopper@example.com")
    client = Client()
    client.force_login(shopper)

    assert merchant_client.get(row_button(bea, "approve")).status_code == 405
    assert client.post(row_button(bea, "approve")).status_code == 302
    bea.refresh_from_db()
    assert bea.account_state == State.AWAITING_APPROVAL
    assert not bea.events.filter(kind=Kind.APPROVED).exists()


def test_the_queue_shows_as_many_registrations_per_page_as_the_setting_says(
    approval_store, merchant_client, monkeypatch
):
    monkeypatch.setenv("SHOP_CUSTOMERS_PER_PAGE", "2")
    for number in range(3):
        register(approval_store, f"person{number}@example.com")

    first_page = merchant_client.get(QUEUE)
    second_page = merchant_client.get(QUEUE, {"p": 2})

    assert len(first_page.context["cl"].result_list) == 2
    assert len(second_page.context["cl"].result_list) == 1
