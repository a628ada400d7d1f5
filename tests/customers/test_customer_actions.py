"""Customer records: created, edited, re-addressed and consenting through the
actions, each change leaving an event; refused changes leave nothing behind."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from shop_accounts.core.errors import UnknownField
from shop_accounts.customers import actions
from shop_accounts.customers.errors import EmailTaken, InvalidEmail, UnknownConsentSource
from shop_accounts.customers.models import Customer, CustomerEvent

Kind = CustomerEvent.Kind


def kinds(customer: Customer) -> list[str]:
    return list(customer.events.order_by("id").values_list("kind", flat=True))


# --- create_customer -------------------------------------------------------------


def test_new_customer_is_a_record_without_an_account(store, merchant):
    customer = actions.create_customer(
        store=store,
        email="  Anna.Berg@Example.COM ",
        actor=merchant,
        first_name="Anna",
        last_name="Berg",
        customer_type=Customer.CustomerType.BUSINESS,
        company_name="Berg BV",
        vat_number="NL123456789B01",
        birth_date=date(1990, 5, 17),
    )

    customer.refresh_from_db()
    assert customer.email == "anna.berg@example.com"
    assert customer.full_name == "Anna Berg"
    assert customer.is_business
    assert customer.company_name == "Berg BV"
    assert customer.birth_date == date(1990, 5, 17)
    assert customer.account_state == Customer.AccountState.NONE
    assert not customer.is_active
    assert not customer.has_usable_password()
    assert customer.realm_id == store.account_realm_id
    assert customer.language == store.default_language
    (event,) = customer.events.all()
    assert (event.kind, event.actor, event.data) == (
        Kind.CREATED,
        merchant,
        {"source": "backoffice"},
    )


def test_new_customer_accepting_marketing_records_when_and_how(store):
    with time_machine.travel(datetime(2026, 3, 1, 9, 30, tzinfo=UTC), tick=False):
        customer = actions.create_customer(
            store=store,
            email="ben@example.com",
            actor=None,
            source="import",
            accepts_marketing=True,
        )

    customer.refresh_from_db()
    assert customer.accepts_marketing
    assert customer.marketing_consent_changed_at == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert customer.marketing_consent_source == Customer.ConsentSource.IMPORT
    assert kinds(customer) == [Kind.CREATED, Kind.MARKETING_CONSENT]


def test_duplicate_email_in_a_store_is_refused_and_nothing_is_saved(store):
    first = actions.create_customer(store=store, email="anna@example.com", actor=None)

    with pytest.raises(EmailTaken):
        actions.create_customer(
            store=store, email="ANNA@example.com", actor=None, first_name="Impostor"
        )

    assert list(Customer.objects.filter(email="anna@example.com")) == [first]
    assert Customer.objects.get(pk=first.pk).first_name == ""
    assert CustomerEvent.objects.count() == 1


def test_same_email_is_a_different_customer_in_a_store_that_does_not_share(store, other_store):
    here = actions.create_customer(store=store, email="anna@example.com", actor=None)
    there = actions.create_customer(store=other_store, email="anna@example.com", actor=None)

    assert here.pk != there.pk
    assert here.realm_id != there.realm_id


def test_invalid_email_is_refused_and_nothing_is_saved(store):
    with pytest.raises(InvalidEmail):
        actions.create_customer(store=store, email="not an email", actor=None)

    assert not Customer.objects.exists()
    assert not CustomerEvent.objects.exists()


def test_account_state_cannot_be_set_through_the_record_fields(store):
    with pytest.raises(UnknownField, match="account_state"):
        actions.create_customer(
            store=store, email="anna@example.com", actor=None, account_state="active"
        )

    assert not Customer.objects.exists()


# --- update_customer -------------------------------------------------------------


def test_update_writes_an_event_listing_the_changed_fields(store, merchant):
    customer = actions.create_customer(
        store=store, email="anna@example.com", actor=None, first_name="Anna", phone="0101"
    )

    actions.update_customer(
        customer, actor=merchant, first_name="Anna", last_name="Berg", phone="0202", language="de"
    )

    customer.refresh_from_db()
    assert (customer.last_name, customer.phone, customer.language) == ("Berg", "0202", "de")
    event = customer.events.get(kind=Kind.UPDATED)
    assert event.actor == merchant
    assert event.data == {"fields": ["language", "last_name", "phone"]}


def test_update_without_changes_records_nothing(store, merchant):
    customer = actions.create_customer(
        store=store, email="anna@example.com", actor=None, first_name="Anna"
    )

    actions.update_customer(customer, actor=merchant, first_name="Anna")

    assert kinds(customer) == [Kind.CREATED]


def test_internal_notes_are_kept_and_their_change_is_recorded(store, merchant):
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)

    actions.update_customer(customer, actor=merchant, internal_notes="Prefers delivery on Fridays")

    customer.refresh_from_db()
    assert customer.internal_notes == "Prefers delivery on Fridays"
    assert customer.events.get(kind=Kind.UPDATED).data == {"fields": ["internal_notes"]}


def test_update_refuses_fields_that_have_their_own_action(store, merchant):
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)

    for field, value in [
        ("email", "other@example.com"),
        ("account_state", Customer.AccountState.ACTIVE),
        ("accepts_marketing", True),
        ("is_staff", True),
    ]:
        with pytest.raises(UnknownField, match=field):
            actions.update_customer(customer, actor=merchant, **{field: value})

    customer.refresh_from_db()
    assert customer.email == "anna@example.com"
    assert customer.account_state == Customer.AccountState.NONE
    assert not customer.accepts_marketing
    assert not customer.is_staff
    assert kinds(customer) == [Kind.CREATED]


# --- change_customer_email --------------------------------------------------------


def test_email_change_is_recorded_with_the_previous_address(store, merchant):
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)

    actions.change_customer_email(customer, email="Anna.Berg@Example.com", actor=merchant)

    customer.refresh_from_db()
    assert customer.email == "anna.berg@example.com"
    event = customer.events.get(kind=Kind.UPDATED)
    assert event.actor == merchant
    assert event.data == {"fields": ["email"], "previous_email": "anna@example.com"}


def test_email_change_to_an_address_used_in_the_store_is_refused(store, merchant):
    actions.create_customer(store=store, email="taken@example.com", actor=None)
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)

    with pytest.raises(EmailTaken):
        actions.change_customer_email(customer, email="TAKEN@example.com", actor=merchant)

    customer.refresh_from_db()
    assert customer.email == "anna@example.com"
    assert kinds(customer) == [Kind.CREATED]


def test_email_change_to_an_address_of_a_store_that_does_not_share_is_allowed(
    store, other_store, merchant
):
    actions.create_customer(store=other_store, email="taken@example.com", actor=None)
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)

    actions.change_customer_email(customer, email="taken@example.com", actor=merchant)

    customer.refresh_from_db()
    assert customer.email == "taken@example.com"


def test_email_change_to_an_invalid_address_is_refused(store, merchant):
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)

    with pytest.raises(InvalidEmail):
        actions.change_customer_email(customer, email="anna@", actor=merchant)

    customer.refresh_from_db()
    assert customer.email == "anna@example.com"
    assert kinds(customer) == [Kind.CREATED]


@pytest.mark.parametrize(
    ("source", "consent_source"),
    [
        ("contact", "contact_form"),
        ("invitation", "backoffice"),
        ("signup", "signup"),
        ("backoffice", "backoffice"),
    ],
)
def test_consent_given_at_creation_says_where_it_was_given_whatever_made_the_record(
    store, source, consent_source
):
    customer = actions.create_customer(
        store=store, email="anna@example.com", actor=None, source=source, accepts_marketing=True
    )

    customer.refresh_from_db()
    assert customer.accepts_marketing
    assert customer.marketing_consent_source == consent_source
    assert customer.events.get(kind=Kind.CREATED).data == {"source": source}
    assert customer.events.get(kind=Kind.MARKETING_CONSENT).data == {
        "accepts": True,
        "source": consent_source,
    }


def test_the_creator_may_say_where_consent_was_given_apart_from_where_the_record_came_from(
    store,
):
    customer = actions.create_customer(
        store=store,
        email="anna@example.com",
        actor=None,
        source="import",
        accepts_marketing=True,
        consent_source="checkout",
    )

    assert customer.accepts_marketing
    assert customer.marketing_consent_source == Customer.ConsentSource.CHECKOUT
    assert customer.events.get(kind=Kind.CREATED).data == {"source": "import"}


# --- set_marketing_consent ----------------------------------------------------------


def test_marketing_consent_records_when_and_how_it_was_given(store):
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)

    with time_machine.travel(datetime(2026, 4, 2, 12, 0, tzinfo=UTC), tick=False):
        actions.set_marketing_consent(customer, accepts=True, source="checkout", actor=customer)

    customer.refresh_from_db()
    assert customer.accepts_marketing
    assert customer.marketing_consent_changed_at == datetime(2026, 4, 2, 12, 0, tzinfo=UTC)
    assert customer.marketing_consent_source == Customer.ConsentSource.CHECKOUT
    event = customer.events.get(kind=Kind.MARKETING_CONSENT)
    assert event.actor == customer
    assert event.data == {"accepts": True, "source": "checkout"}


def test_withdrawn_consent_records_when_and_how_it_was_withdrawn(store):
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)
    with time_machine.travel(datetime(2026, 4, 2, 12, 0, tzinfo=UTC), tick=False):
        actions.set_marketing_consent(customer, accepts=True, source="signup", actor=customer)

    with time_machine.travel(datetime(2026, 5, 9, 8, 15, tzinfo=UTC), tick=False):
        actions.set_marketing_consent(customer, accepts=False, source="unsubscribe", actor=None)

    customer.refresh_from_db()
    assert not customer.accepts_marketing
    assert customer.marketing_consent_changed_at == datetime(2026, 5, 9, 8, 15, tzinfo=UTC)
    assert customer.marketing_consent_source == Customer.ConsentSource.UNSUBSCRIBE
    trail = customer.events.filter(kind=Kind.MARKETING_CONSENT).order_by("id")
    assert [e.data for e in trail] == [
        {"accepts": True, "source": "signup"},
        {"accepts": False, "source": "unsubscribe"},
    ]


def test_repeating_the_same_consent_keeps_the_original_date(store):
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)
    with time_machine.travel(datetime(2026, 4, 2, 12, 0, tzinfo=UTC), tick=False):
        actions.set_marketing_consent(customer, accepts=True, source="signup", actor=customer)

    with time_machine.travel(datetime(2026, 6, 1, 12, 0, tzinfo=UTC), tick=False):
        actions.set_marketing_consent(customer, accepts=True, source="my_account", actor=customer)

    customer.refresh_from_db()
    assert customer.marketing_consent_changed_at == datetime(2026, 4, 2, 12, 0, tzinfo=UTC)
    assert customer.marketing_consent_source == Customer.ConsentSource.SIGNUP
    assert customer.events.filter(kind=Kind.MARKETING_CONSENT).count() == 1


def test_consent_from_an_unknown_source_is_refused(store):
    customer = actions.create_customer(store=store, email="anna@example.com", actor=None)

    with pytest.raises(UnknownConsentSource, match="a rumour"):
        actions.set_marketing_consent(customer, accepts=True, source="a rumour", actor=None)

    customer.refresh_from_db()
    assert not customer.accepts_marketing
    assert customer.marketing_consent_changed_at is None
    assert kinds(customer) == [Kind.CREATED]
