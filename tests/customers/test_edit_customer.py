"""One action saves an edit of a customer's record, whoever makes it: a new
email, profile fields and the marketing tick, each recorded as its own
action records it, all or nothing, refused when a field changed since the
editor read it."""

import pytest

from shop_accounts.core.errors import UnknownField
from shop_accounts.customers import actions
from shop_accounts.customers.errors import EditConflict, EmailTaken
from shop_accounts.customers.models import Customer, CustomerEvent

Kind = CustomerEvent.Kind


@pytest.fixture
def anna(store) -> Customer:
    return actions.create_customer(
        store=store, email="anna@example.com", actor=None, first_name="Anna", last_name="Berg"
    )


def test_an_edit_changes_email_profile_and_consent_and_records_each(anna, merchant):
    edited = actions.edit_customer(
        anna,
        actor=merchant,
        changes={
            "email": "anna.berg@example.com",
            "phone": "+31 6 1234",
            "accepts_marketing": True,
        },
    )

    anna.refresh_from_db()
    assert edited == anna
    assert (anna.email, anna.phone, anna.accepts_marketing) == (
        "anna.berg@example.com",
        "+31 6 1234",
        True,
    )
    assert anna.marketing_consent_source == Customer.ConsentSource.BACKOFFICE
    updates = [event.data for event in anna.events.filter(kind=Kind.UPDATED).order_by("id")]
    assert updates == [
        {"fields": ["email"], "previous_email": "anna@example.com"},
        {"fields": ["phone"]},
    ]
    assert anna.events.get(kind=Kind.MARKETING_CONSENT).actor == merchant


def test_consent_ticked_by_the_customer_on_their_own_record_is_given_in_my_account(anna):
    actions.edit_customer(anna, actor=anna, changes={"accepts_marketing": True})

    anna.refresh_from_db()
    assert anna.marketing_consent_source == Customer.ConsentSource.MY_ACCOUNT


def test_a_field_changed_since_the_editor_read_it_refuses_the_whole_edit(anna, merchant):
    actions.update_customer(anna, actor=None, last_name="Berg-Visser")

    with pytest.raises(EditConflict) as refused:
        actions.edit_customer(
            anna,
            actor=merchant,
            changes={"email": "anna.berg@example.com", "last_name": "Bergman"},
            expected={"email": "anna@example.com", "last_name": "Berg"},
        )

    assert refused.value.fields == ["last_name"]
    anna.refresh_from_db()
    assert (anna.email, anna.last_name) == ("anna@example.com", "Berg-Visser")
    assert not anna.events.filter(kind=Kind.UPDATED, actor=merchant).exists()


def test_an_email_taken_in_the_realm_refuses_the_whole_edit(store, anna, merchant):
    actions.create_customer(store=store, email="ben@example.com", actor=None)

    with pytest.raises(EmailTaken):
        actions.edit_customer(
            anna, actor=merchant, changes={"phone": "+31 6 1234", "email": "ben@example.com"}
        )

    anna.refresh_from_db()
    assert (anna.email, anna.phone) == ("anna@example.com", "")


def test_a_field_the_edit_does_not_change_is_refused(anna, merchant):
    with pytest.raises(UnknownField, match="account_state"):
        actions.edit_customer(anna, actor=merchant, changes={"account_state": "active"})

    anna.refresh_from_db()
    assert anna.account_state == Customer.AccountState.NONE
