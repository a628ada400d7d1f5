"""In stores that share accounts, every email about a registration speaks as
the store where the person registered (its name, sender, wording and sign-in
link), not as the store that happened to record them first."""

import pytest

from shop_accounts.core.outbox import deliver_due_emails
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer
from shop_accounts.identity.actions import record_verified_email
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import EmailText, Store
from tests.conftest import PASSWORD


@pytest.fixture
def north(db) -> Store:
    return store_actions.create_store(
        name="North Shop",
        hostname="north.testserver",
        shares_accounts=True,
        email_from="hello@north.example",
    )


@pytest.fixture
def south(north) -> Store:
    return store_actions.create_store(
        name="South Shop",
        hostname="south.testserver",
        shares_accounts=True,
        email_from="hello@south.example",
        signup_mode=Store.SignupMode.APPROVAL,
    )


@pytest.fixture
def bea(north, south) -> Customer:
    """First recorded by North (a guest order), then registered at South."""
    actions.create_customer(store=north, email="bea@example.com", actor=None, first_name="Bea")
    registered = actions.register_customer(
        store=south, email="bea@example.com", password=PASSWORD, language="en"
    )
    record_verified_email(registered)
    return registered


def test_the_approval_email_comes_from_the_store_where_they_registered(bea, smtp_sink):
    assert (bea.store.name, bea.signup_store.name) == ("North Shop", "South Shop")

    actions.approve_registration(bea, actor=None)
    deliver_due_emails()

    (approved,) = smtp_sink.to("bea@example.com")
    assert approved["From"] == "South Shop <hello@south.example>"
    assert approved["Subject"] == "Your account at South Shop is approved"
    text = smtp_sink.text_of(approved)
    assert "approved your registration at South Shop" in text
    assert "http://south.testserver/account/login/" in text
    assert "North" not in text


def test_the_decline_email_comes_from_the_store_where_they_registered(bea, smtp_sink):
    actions.decline_registration(bea, actor=None)
    deliver_due_emails()

    (declined,) = smtp_sink.to("bea@example.com")
    assert declined["From"] == "South Shop <hello@south.example>"
    assert declined["Subject"] == "Your registration at South Shop"
    assert "North" not in smtp_sink.text_of(declined)


def test_the_merchants_own_wording_is_that_of_the_store_where_they_registered(
    north, south, bea, smtp_sink
):
    for store in (north, south):
        store_actions.set_email_text(
            store=store,
            kind=EmailText.Kind.REGISTRATION_APPROVED,
            language="en",
            subject=f"{store.name} says welcome",
            message=f"{store.name} has opened your account.",
        )

    actions.approve_registration(bea, actor=None)
    deliver_due_emails()

    (approved,) = smtp_sink.to("bea@example.com")
    assert approved["Subject"] == "South Shop says welcome"
    assert "South Shop has opened your account." in smtp_sink.text_of(approved)


def test_registering_again_elsewhere_after_a_decline_speaks_as_the_new_store(
    north, south, bea, smtp_sink
):
    actions.decline_registration(bea, actor=None)
    north = store_actions.update_store(north, signup_mode=Store.SignupMode.APPROVAL)
    again = actions.register_customer(
        store=north, email="bea@example.com", password=PASSWORD, language="en"
    )

    actions.approve_registration(again, actor=None)
    deliver_due_emails()

    approved = smtp_sink.to("bea@example.com")[-1]
    assert approved["Subject"] == "Your account at North Shop is approved"
    assert "http://north.testserver/account/login/" in smtp_sink.text_of(approved)
