"""The approval queue of a manual-approval store: a registration waits in the
back office with the data given; the merchant approves or declines it (a
button on the customer's page, or in bulk from the list), the customer is
emailed either way in their language, and only an approved account signs in."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions, queries
from shop_accounts.customers.errors import AccountStateConflict
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.identity import actions as identity_actions
from shop_accounts.identity.actions import record_verified_email
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import EmailText, Store
from tests.conftest import PASSWORD

Kind = CustomerEvent.Kind
State = Customer.AccountState
CHANGELIST = reverse("backoffice:customers_customer_changelist")
CONFIRM_LINK = re.compile(r"http://testserver(/account/confirm-email/[^\s]+/)")
SIGNIN_LINK = re.compile(r"http://testserver(/account/login/)\s")


@pytest.fixture
def approval_store(store) -> Store:
    return store_actions.update_store(store, signup_mode=Store.SignupMode.APPROVAL)


def register(store: Store, email: str, *, language: str = "en", **names: str) -> Customer:
    """A registration whose email is already proved, waiting for the merchant."""
    customer = actions.register_customer(
        store=store, email=email, password=PASSWORD, language=language, **names
    )
    record_verified_email(customer)
    return customer


def change_url(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_change", args=[customer.pk])


def button_url(customer: Customer, step: str) -> str:
    return reverse(f"backoffice:customers_customer_{step}", args=[customer.pk])


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def signs_in(email: str, password: str = PASSWORD) -> bool:
    client = Client()
    client.post(reverse("account_login"), {"login": email, "password": password})
    return client.get(reverse("storefront:my-account")).wsgi_request.user.is_authenticated


def test_the_queue_lists_registrations_awaiting_approval_with_their_data(
    approval_store, merchant_client, make_account_holder
):
    bea = register(approval_store, "bea@acme.example", first_name="Bea", company_name="Acme AS")
    make_account_holder(approval_store, "anna@example.com")
    actions.create_customer(store=approval_store, email="guest@example.com", actor=None)

    response = merchant_client.get(CHANGELIST, {"account_state__exact": State.AWAITING_APPROVAL})

    assert [c.email for c in response.context["cl"].result_list] == ["bea@acme.example"]
    # The data given at sign-up is in the queue's columns (the customer list
    # keeps to name, state, type, store and dates) and on the customer's page.
    queue = reverse("backoffice:customers_pendingregistration_changelist")
    assert "Acme AS" in merchant_client.get(queue).content.decode()
    page = merchant_client.get(change_url(bea)).content.decode()
    assert "This registration awaits your approval." in page
    assert f'formaction="{button_url(bea, "approve")}"' in page
    # Decline asks first: a link to its confirmation page.
    assert f'href="{button_url(bea, "decline")}"' in page


def test_approving_activates_the_account_and_emails_a_sign_in_link(
    approval_store, merchant, merchant_client, smtp_sink
):
    bea = register(approval_store, "bea@example.com", language="de", first_name="Bea")
    assert not signs_in("bea@example.com")

    response = merchant_client.post(button_url(bea, "approve"))

    assert response.status_code == 302
    assert response["Location"] == change_url(bea)
    assert told(response) == ["bea@example.com is approved and has been emailed."]
    bea.refresh_from_db()
    assert bea.account_state == State.ACTIVE
    event = bea.events.get(kind=Kind.APPROVED)
    assert (event.actor, event.data) == (merchant, {"previous_state": State.AWAITING_APPROVAL})
    deliver_due_emails()
    (message,) = smtp_sink.to("bea@example.com")
    assert OutboundEmail.objects.get(recipient="bea@example.com").language == "de"
    text = smtp_sink.text_of(message)
    assert "Hallo Bea," in text
    link = SIGNIN_LINK.search(text).group(1)
    browser = Client()
    assert browser.get(link).status_code == 200
    browser.post(link, {"login": "bea@example.com", "password": PASSWORD})
    assert browser.get(reverse("storefront:my-account")).wsgi_request.user == bea


def test_approval_email_uses_the_stores_own_wording_in_the_customers_language(
    approval_store, merchant_client, smtp_sink
):
    EmailText.objects.create(
        store=approval_store,
        kind=EmailText.Kind.REGISTRATION_APPROVED,
        language="nb",
        subject="Velkommen som forhandler",
        message="Kontoen din er klar.",
    )
    bea = register(approval_store, "bea@example.com", language="nb")

    merchant_client.post(button_url(bea, "approve"))
    deliver_due_emails()

    (message,) = smtp_sink.to("bea@example.com")
    assert message["Subject"] == "Velkommen som forhandler"
    assert "Kontoen din er klar." in smtp_sink.text_of(message)


def test_declining_emails_the_customer_and_keeps_the_record_without_an_account(
    approval_store, merchant, merchant_client, smtp_sink
):
    bea = register(approval_store, "bea@example.com", first_name="Bea", company_name="Acme AS")

    response = merchant_client.post(button_url(bea, "decline"))

    assert told(response) == [
        "The registration of bea@example.com is declined; they have been emailed."
    ]
    bea.refresh_from_db()
    assert bea.account_state == State.NONE
    assert not bea.has_usable_password()
    assert (bea.first_name, bea.company_name) == ("Bea", "Acme AS")
    event = bea.events.get(kind=Kind.DECLINED)
    assert (event.actor, event.data) == (merchant, {"previous_state": State.AWAITING_APPROVAL})
    deliver_due_emails()
    (message,) = smtp_sink.to("bea@example.com")
    assert message["Subject"] == "Your registration at Test Shop"
    assert "we have declined your registration" in smtp_sink.text_of(message)
    assert not signs_in("bea@example.com")


def test_a_declined_person_may_register_again_and_lands_in_the_queue_anew(
    approval_store, merchant, smtp_sink
):
    bea = register(approval_store, "bea@example.com")
    identity_actions.decline_registration(bea, actor=merchant)

    response = Client().post(
        reverse("account_signup"),
        {
            "email": "bea@example.com",
            "first_name": "Bea",
            "last_name": "Again",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    # The same answer as any new registration: prove the email first.
    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    bea.refresh_from_db()
    assert bea.account_state == State.AWAITING_APPROVAL
    assert list(queries.pending_registrations(approval_store)) == [bea]
    deliver_due_emails()
    assert CONFIRM_LINK.search(smtp_sink.text_of(smtp_sink.to("bea@example.com")[-1]))


def test_bulk_approval_approves_the_queue_and_skips_the_others(
    approval_store, merchant_client, make_account_holder, smtp_sink
):
    bea = register(approval_store, "bea@example.com")
    cid = register(approval_store, "cid@example.com")
    anna = make_account_holder(approval_store, "anna@example.com")

    response = merchant_client.post(
        CHANGELIST,
        {"action": "approve_registrations", "_selected_action": [bea.pk, cid.pk, anna.pk]},
        follow=True,
    )

    assert told(response) == [
        "2 customers approved.",
        "1 customer skipped: not possible in their account's current state.",
    ]
    assert set(
        Customer.objects.filter(pk__in=[bea.pk, cid.pk]).values_list("account_state", flat=True)
    ) == {State.ACTIVE}
    assert not anna.events.filter(kind=Kind.APPROVED).exists()
    deliver_due_emails()
    assert len(smtp_sink.to("bea@example.com")) == len(smtp_sink.to("cid@example.com")) == 1
    assert smtp_sink.to("anna@example.com") == []


def test_bulk_decline_declines_the_selected_registrations(
    approval_store, merchant_client, smtp_sink
):
    bea = register(approval_store, "bea@example.com")

    merchant_client.post(
        CHANGELIST,
        {"action": "decline_registrations", "_selected_action": [bea.pk], "confirmed": "yes"},
    )

    bea.refresh_from_db()
    assert bea.account_state == State.NONE
    assert bea.events.filter(kind=Kind.DECLINED).count() == 1


def test_approving_a_customer_not_awaiting_approval_is_refused_and_changes_nothing(
    approval_store, merchant, merchant_client, make_account_holder
):
    anna = make_account_holder(approval_store, "anna@example.com")
    actions.deactivate_account(anna, actor=merchant)
    trail_before = list(anna.events.values_list("kind", flat=True))

    response = merchant_client.post(button_url(anna, "approve"))

    assert told(response) == ["This cannot be done in the account's current state."]
    anna.refresh_from_db()
    assert anna.account_state == State.DEACTIVATED
    assert list(anna.events.values_list("kind", flat=True)) == trail_before
    assert OutboundEmail.objects.count() == 0
    with pytest.raises(AccountStateConflict):
        identity_actions.decline_registration(anna, actor=merchant)


def test_approve_and_decline_buttons_answer_only_to_post_and_only_to_staff(
    approval_store, make_account_holder
):
    bea = register(approval_store, "bea@example.com")
    anna = make_account_holder(approval_store, "anna@example.com")
    customer_client = Client()
    customer_client.force_login(anna)

    assert customer_client.post(button_url(bea, "approve")).status_code == 302
    bea.refresh_from_db()
    assert bea.account_state == State.AWAITING_APPROVAL


def test_approve_button_refuses_get(approval_store, merchant_client):
    bea = register(approval_store, "bea@example.com")

    assert merchant_client.get(button_url(bea, "approve")).status_code == 405
    bea.refresh_from_db()
    assert bea.account_state == State.AWAITING_APPROVAL
