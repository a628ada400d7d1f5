"""A record's account: opened at sign-up (a guest record gets it attached),
activated, deactivated and reactivated, each step recorded; a step the current
state does not allow is refused and changes nothing. Emails about the account
go out in the customer's own language."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from shop_accounts.core.models import OutboundEmail
from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.errors import AccountStateConflict, EmailTaken
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.stores import actions as store_actions
from tests.conftest import PASSWORD

Kind = CustomerEvent.Kind
State = Customer.AccountState
RESET_LINK = re.compile(r"http://testserver(/account/password/reset/key/[^\s]+/)")
NEW_PASSWORD = "a brand new passphrase for anna"


def record_in_state(store, state: str, email: str = "anna@example.com") -> Customer:
    customer = actions.create_customer(store=store, email=email, actor=None)
    Customer.objects.filter(pk=customer.pk).update(
        account_state=state, is_active=state == State.ACTIVE
    )
    customer.refresh_from_db()
    return customer


def signs_in(email: str, password: str, host: str = "testserver") -> bool:
    client = Client()
    client.post(reverse("account_login"), {"login": email, "password": password}, HTTP_HOST=host)
    return client.get(
        reverse("storefront:my-account"), HTTP_HOST=host
    ).wsgi_request.user.is_authenticated


# --- activate / deactivate / reactivate ----------------------------------------------


@pytest.mark.parametrize("start", [State.NONE, State.INVITED, State.AWAITING_APPROVAL])
def test_activation_lets_the_account_sign_in_and_is_recorded(store, merchant, start):
    customer = record_in_state(store, start)

    actions.activate_account(customer, actor=merchant)

    customer.refresh_from_db()
    assert customer.account_state == State.ACTIVE
    assert customer.is_active
    event = customer.events.get(kind=Kind.ACCOUNT_ACTIVATED)
    assert (event.actor, event.data) == (merchant, {"previous_state": start})


def test_deactivated_account_can_no_longer_sign_in(store, merchant, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")
    assert signs_in("anna@example.com", PASSWORD)

    actions.deactivate_account(anna, actor=merchant)

    anna.refresh_from_db()
    assert anna.account_state == State.DEACTIVATED
    assert not signs_in("anna@example.com", PASSWORD)
    event = anna.events.get(kind=Kind.ACCOUNT_DEACTIVATED)
    assert (event.actor, event.data) == (merchant, {"previous_state": State.ACTIVE})


def test_deactivation_keeps_the_record_and_its_addresses(store, merchant, make_account_holder):
    anna = make_account_holder(store, "anna@example.com", first_name="Anna")
    actions.add_address(anna, actor=None, street="Main Street", city="Oslo", country="NO")

    actions.deactivate_account(anna, actor=merchant)

    anna.refresh_from_db()
    assert anna.first_name == "Anna"
    assert anna.addresses.count() == 1


def test_reactivated_account_signs_in_again(store, merchant, make_account_holder):
    anna = make_account_holder(store, "anna@example.com")
    actions.deactivate_account(anna, actor=merchant)

    actions.reactivate_account(anna, actor=merchant)

    anna.refresh_from_db()
    assert anna.account_state == State.ACTIVE
    assert signs_in("anna@example.com", PASSWORD)
    event = anna.events.get(kind=Kind.ACCOUNT_REACTIVATED)
    assert (event.actor, event.data) == (merchant, {"previous_state": State.DEACTIVATED})


@pytest.mark.parametrize(
    ("action", "start"),
    [
        (actions.activate_account, State.DEACTIVATED),
        (actions.deactivate_account, State.NONE),
        (actions.reactivate_account, State.NONE),
        (actions.reactivate_account, State.INVITED),
        (actions.reactivate_account, State.AWAITING_APPROVAL),
    ],
)
def test_a_step_the_current_state_does_not_allow_is_refused(store, merchant, action, start):
    customer = record_in_state(store, start)

    with pytest.raises(AccountStateConflict):
        action(customer, actor=merchant)

    customer.refresh_from_db()
    assert customer.account_state == start
    assert list(customer.events.values_list("kind", flat=True)) == [Kind.CREATED]


def test_a_step_to_the_state_the_account_is_already_in_records_nothing(store, merchant):
    customer = record_in_state(store, State.DEACTIVATED)

    actions.deactivate_account(customer, actor=merchant)

    customer.refresh_from_db()
    assert customer.account_state == State.DEACTIVATED
    assert list(customer.events.values_list("kind", flat=True)) == [Kind.CREATED]


# --- open_account --------------------------------------------------------------------


def test_sign_up_attaches_the_account_to_the_guest_record(store):
    guest = actions.create_customer(
        store=store, email="anna@example.com", actor=None, source="checkout", first_name="Anna"
    )
    actions.add_address(guest, actor=None, street="Main Street", city="Oslo", country="NO")

    holder = actions.open_account(
        store=store,
        email="Anna@Example.com",
        password=PASSWORD,
        language="nb",
        first_name="Someone",
        last_name="Berg",
    )

    assert holder.pk == guest.pk
    assert Customer.objects.filter(email="anna@example.com").count() == 1
    holder.refresh_from_db()
    assert holder.account_state == State.ACTIVE
    assert holder.check_password(PASSWORD)
    assert holder.language == "nb"
    assert (holder.first_name, holder.last_name) == ("Anna", "Berg")
    assert holder.addresses.count() == 1
    event = holder.events.get(kind=Kind.ACCOUNT_CREATED)
    assert (event.actor, event.data) == (holder, {"state": State.ACTIVE})


def test_sign_up_of_an_unknown_email_creates_the_record_and_the_account(store):
    holder = actions.open_account(
        store=store,
        email="ben@example.com",
        password=None,
        language="de",
        state=State.AWAITING_APPROVAL,
    )

    holder.refresh_from_db()
    assert holder.account_state == State.AWAITING_APPROVAL
    assert not holder.has_usable_password()
    assert holder.realm_id == store.account_realm_id
    assert list(holder.events.order_by("id").values_list("kind", flat=True)) == [
        Kind.CREATED,
        Kind.ACCOUNT_CREATED,
    ]
    assert holder.events.get(kind=Kind.CREATED).data == {"source": "signup"}


def test_sign_up_with_the_email_of_an_account_in_the_realm_is_refused(store, make_account_holder):
    anna = make_account_holder(store, "anna@example.com", first_name="Anna")

    with pytest.raises(EmailTaken):
        actions.open_account(
            store=store,
            email="anna@example.com",
            password="an attacker's new password",
            language="it",
            first_name="Mallory",
        )

    anna.refresh_from_db()
    assert anna.check_password(PASSWORD)
    assert (anna.first_name, anna.language) == ("Anna", "en")
    assert anna.events.filter(kind=Kind.ACCOUNT_CREATED).count() == 1


def test_sign_up_in_a_store_sharing_accounts_uses_the_guest_record_of_the_other_store(db):
    north = store_actions.create_store(name="North", hostname="testserver", shares_accounts=True)
    south = store_actions.create_store(
        name="South", hostname="south.testserver", shares_accounts=True
    )
    guest = actions.create_customer(store=north, email="anna@example.com", actor=None)

    holder = actions.open_account(
        store=south, email="anna@example.com", password=PASSWORD, language="en"
    )

    assert holder.pk == guest.pk
    assert Customer.objects.count() == 1


def test_sign_up_in_a_store_with_separate_accounts_leaves_the_other_stores_record_alone(
    store, other_store
):
    guest = actions.create_customer(store=store, email="anna@example.com", actor=None)

    holder = actions.open_account(
        store=other_store, email="anna@example.com", password=PASSWORD, language="en"
    )

    assert holder.pk != guest.pk
    guest.refresh_from_db()
    assert guest.account_state == State.NONE


# --- password reset in the customer's language -----------------------------------------


def request_password_reset(email: str) -> None:
    response = Client().post(reverse("account_reset_password"), {"email": email})
    assert response.status_code == 302


def test_password_reset_email_is_sent_in_the_customers_language(
    store, make_account_holder, smtp_sink
):
    make_account_holder(store, "anna@example.com", language="de")

    request_password_reset("anna@example.com")  # the shop page itself is in English
    deliver_due_emails()

    (message,) = smtp_sink.to("anna@example.com")
    outbound = OutboundEmail.objects.get(recipient="anna@example.com")
    assert outbound.language == "de"
    assert outbound.status == OutboundEmail.Status.SENT
    assert message["Subject"] == "Neues Passwort für Test Shop festlegen"
    text = smtp_sink.text_of(message)
    assert "Jemand (hoffentlich Sie) hat ein neues Passwort für Ihr Konto bei Test Shop" in text
    assert RESET_LINK.search(text)


def test_password_reset_email_of_an_english_customer_is_in_english(
    store, make_account_holder, smtp_sink
):
    make_account_holder(store, "ben@example.com", language="en")

    request_password_reset("ben@example.com")
    deliver_due_emails()

    (message,) = smtp_sink.to("ben@example.com")
    assert message["Subject"] == "Set a new password for Test Shop"
    assert OutboundEmail.objects.get(recipient="ben@example.com").language == "en"


def test_password_reset_link_sets_a_new_password(store, make_account_holder, smtp_sink):
    anna = make_account_holder(store, "anna@example.com", language="de")
    request_password_reset("anna@example.com")
    deliver_due_emails()
    (message,) = smtp_sink.to("anna@example.com")
    link = RESET_LINK.search(smtp_sink.text_of(message)).group(1)

    client = Client()
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.check_password(NEW_PASSWORD)
    assert signs_in("anna@example.com", NEW_PASSWORD)
    assert not signs_in("anna@example.com", PASSWORD)
    event = anna.events.get(kind=Kind.PASSWORD_CHANGED)
    assert event.actor == anna


def test_password_reset_for_an_unknown_email_sends_no_reset_link(store, smtp_sink):
    request_password_reset("nobody@example.com")
    deliver_due_emails()

    for message in smtp_sink.to("nobody@example.com"):
        assert not RESET_LINK.search(smtp_sink.text_of(message))
