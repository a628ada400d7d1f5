"""Decline and Deactivate ask first: a confirmation page names the
customer(s) and takes an optional reason; only its POST does anything. The
reason is kept on the customer's trail, shown in words, and for a decline
told to the customer in the email, as the merchant wrote it."""

import re

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.messages import get_messages
from django.test import Client
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
CHANGELIST = reverse("backoffice:customers_customer_changelist")
QUEUE = reverse("backoffice:customers_pendingregistration_changelist")
REASON = 'We only sell to shops <b>& "resellers"</b>.\nPlease call us.'


@pytest.fixture
def approval_store(store) -> Store:
    return store_actions.update_store(store, signup_mode=Store.SignupMode.APPROVAL)


def register(store: Store, email: str, **details: str) -> Customer:
    customer = actions.register_customer(
        store=store, email=email, password=PASSWORD, language="en", **details
    )
    record_verified_email(customer)
    return customer


def text_of(smtp_sink, email) -> str:
    return smtp_sink.text_of(email).replace("\r\n", "\n")


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def page_of(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_change", args=[customer.pk])


def decline_url(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_decline", args=[customer.pk])


def deactivate_url(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_deactivate", args=[customer.pk])


def test_the_customer_page_links_decline_to_its_confirmation_page(approval_store, merchant_client):
    bea = register(approval_store, "bea@example.com", first_name="Bea")

    page = merchant_client.get(page_of(bea)).content.decode()

    assert f'href="{decline_url(bea)}"' in page
    assert f'formaction="{decline_url(bea)}"' not in page


def test_opening_the_confirmation_page_changes_nothing(approval_store, merchant_client, smtp_sink):
    bea = register(approval_store, "bea@example.com", first_name="Bea", last_name="Berg")

    response = merchant_client.get(decline_url(bea))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Bea Berg (bea@example.com)" in page
    assert 'name="reason"' in page
    assert "Yes, decline" in page
    bea.refresh_from_db()
    assert bea.account_state == State.AWAITING_APPROVAL
    assert not bea.events.filter(kind=Kind.DECLINED).exists()
    deliver_due_emails()
    assert smtp_sink.to("bea@example.com") == []


def test_declining_with_a_reason_emails_it_and_shows_it_on_the_trail(
    approval_store, merchant, merchant_client, smtp_sink
):
    bea = register(approval_store, "bea@example.com", first_name="Bea")

    response = merchant_client.post(decline_url(bea), {"reason": REASON}, follow=True)

    assert response.redirect_chain[-1][0] == page_of(bea)
    assert told(response) == [
        "The registration of bea@example.com is declined; they have been emailed."
    ]
    bea.refresh_from_db()
    assert bea.account_state == State.NONE
    event = bea.events.get(kind=Kind.DECLINED)
    assert (event.actor, event.data["reason"]) == (merchant, REASON)
    trail = merchant_client.get(page_of(bea)).content.decode()
    # As written, escaped: the merchant's markup is text, not HTML.
    assert "Reason: We only sell to shops &lt;b&gt;&amp; &quot;resellers&quot;&lt;/b&gt;." in trail
    deliver_due_emails()
    [email] = smtp_sink.to("bea@example.com")
    text = text_of(smtp_sink, email)
    assert f"The reason we were given:\n{REASON}\n" in text


def test_the_reason_is_in_the_customers_language(approval_store, merchant_client, smtp_sink):
    bea = actions.register_customer(
        store=approval_store, email="bea@example.com", password=PASSWORD, language="de"
    )
    record_verified_email(bea)

    merchant_client.post(decline_url(bea), {"reason": "Nur für Händler."})

    deliver_due_emails()
    [email] = smtp_sink.to("bea@example.com")
    assert "Die Begründung, die uns genannt wurde:\nNur für Händler.\n" in text_of(smtp_sink, email)


def test_declining_without_a_reason_says_nothing_about_one(
    approval_store, merchant_client, smtp_sink
):
    bea = register(approval_store, "bea@example.com")

    merchant_client.post(decline_url(bea), {"reason": "   "})

    event = Customer.objects.get(pk=bea.pk).events.get(kind=Kind.DECLINED)
    assert "reason" not in event.data
    deliver_due_emails()
    [email] = smtp_sink.to("bea@example.com")
    assert "reason" not in text_of(smtp_sink, email)


def test_a_reason_too_long_is_refused_with_a_message_and_nothing_happens(
    approval_store, merchant_client
):
    bea = register(approval_store, "bea@example.com")

    response = merchant_client.post(decline_url(bea), {"reason": "x" * 1001})

    assert response.status_code == 400
    assert "Ensure this value has at most 1000 characters" in response.content.decode()
    bea.refresh_from_db()
    assert bea.account_state == State.AWAITING_APPROVAL


def test_the_confirmation_refuses_a_post_without_csrf(approval_store, merchant):
    bea = register(approval_store, "bea@example.com")
    client = Client(enforce_csrf_checks=True)
    client.force_login(merchant)

    response = client.post(decline_url(bea), {"reason": "No."})

    assert response.status_code == 403
    bea.refresh_from_db()
    assert bea.account_state == State.AWAITING_APPROVAL


def test_the_queue_row_decline_asks_first_then_declines(approval_store, merchant_client, smtp_sink):
    bea = register(approval_store, "bea@example.com")
    row = reverse("backoffice:customers_pendingregistration_decline", args=[bea.pk])

    asked = merchant_client.get(row)
    assert asked.status_code == 200
    assert "bea@example.com" in asked.content.decode()
    assert Customer.objects.get(pk=bea.pk).account_state == State.AWAITING_APPROVAL

    done = merchant_client.post(row, {"reason": "Not a business."}, follow=True)

    assert done.redirect_chain[-1][0] == QUEUE
    assert Customer.objects.get(pk=bea.pk).events.get(kind=Kind.DECLINED).data["reason"] == (
        "Not a business."
    )


@pytest.mark.parametrize("listing", [CHANGELIST, QUEUE])
def test_bulk_decline_goes_through_the_confirmation_page(
    approval_store, merchant_client, smtp_sink, listing
):
    bea = register(approval_store, "bea@example.com")
    cid = register(approval_store, "cid@example.com")
    chosen = {"action": "decline_registrations", "_selected_action": [bea.pk, cid.pk]}

    asked = merchant_client.post(listing, {**chosen, "index": 0})

    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Decline these 2 registrations?" in page
    assert "bea@example.com" in page and "cid@example.com" in page
    assert Customer.objects.filter(account_state=State.AWAITING_APPROVAL).count() == 2

    # The page posts back without "index", as Django's own "delete selected" does.
    done = merchant_client.post(
        listing, {**chosen, "confirmed": "yes", "reason": "Closed for now."}, follow=True
    )

    assert told(done) == ["2 customers declined."]
    for customer in (bea, cid):
        event = Customer.objects.get(pk=customer.pk).events.get(kind=Kind.DECLINED)
        assert event.data["reason"] == "Closed for now."
    deliver_due_emails()
    for address in ("bea@example.com", "cid@example.com"):
        [email] = smtp_sink.to(address)
        assert "Closed for now." in text_of(smtp_sink, email)


def test_bulk_deactivate_asks_first_then_ends_sessions_and_records_the_reason(
    store, merchant, merchant_client, make_account_holder
):
    anna = make_account_holder(store, "anna@example.com", first_name="Anna")
    browser = Client()
    browser.post(reverse("account_login"), {"login": "anna@example.com", "password": PASSWORD})
    assert UserSession.objects.filter(user=anna).count() == 1
    chosen = {"action": "deactivate_accounts", "_selected_action": [anna.pk]}

    asked = merchant_client.post(CHANGELIST, {**chosen, "index": 0})

    assert asked.status_code == 200
    assert "Deactivate this account?" in asked.content.decode()
    assert Customer.objects.get(pk=anna.pk).account_state == State.ACTIVE
    assert UserSession.objects.filter(user=anna).count() == 1

    done = merchant_client.post(
        CHANGELIST, {**chosen, "confirmed": "yes", "reason": "Asked us to."}, follow=True
    )

    assert told(done) == ["1 account deactivated."]
    anna.refresh_from_db()
    assert anna.account_state == State.DEACTIVATED
    event = anna.events.get(kind=Kind.ACCOUNT_DEACTIVATED)
    assert (event.actor, event.data) == (
        merchant,
        {"previous_state": State.ACTIVE, "reason": "Asked us to."},
    )
    assert not UserSession.objects.filter(user=anna).exists()
    trail = merchant_client.get(page_of(anna)).content.decode()
    assert "Was: Active; Reason: Asked us to." in trail


def test_the_customer_page_deactivate_button_asks_first(
    store, merchant_client, make_account_holder
):
    anna = make_account_holder(store, "anna@example.com")

    assert f'href="{deactivate_url(anna)}"' in merchant_client.get(page_of(anna)).content.decode()
    assert merchant_client.get(deactivate_url(anna)).status_code == 200
    assert Customer.objects.get(pk=anna.pk).account_state == State.ACTIVE

    done = merchant_client.post(deactivate_url(anna), {"reason": ""}, follow=True)

    assert told(done) == ["The account of anna@example.com was deactivated; they are signed out."]
    anna.refresh_from_db()
    assert anna.account_state == State.DEACTIVATED
    assert anna.events.get(kind=Kind.ACCOUNT_DEACTIVATED).data == {"previous_state": State.ACTIVE}


def test_messages_show_the_customers_email_as_written(approval_store, merchant_client):
    bea = register(approval_store, "bea@example.com")

    page = merchant_client.post(
        reverse("backoffice:customers_customer_approve", args=[bea.pk]), follow=True
    ).content.decode()

    # As written: not "Bea@example.com" (capfirst).
    assert re.search(
        r"<li[^>]*>\s*<div[^>]*bg-green-100[^>]*>\s*"
        r"bea@example.com is approved and has been emailed.\s*</div>",
        page,
    )
