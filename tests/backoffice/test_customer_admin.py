"""The merchant's customer screens: only staff get in; the list searches and
filters; list and detail cost a fixed number of queries; the detail shows
addresses and the audit trail; edits go through the actions, and a refused
edit (an email already used in the store) is a form error that saves nothing."""

import re
from typing import Any

import pytest
from django.db import connection
from django.forms import CheckboxInput
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent

Kind = CustomerEvent.Kind
State = Customer.AccountState
CHANGELIST = reverse("backoffice:customers_customer_changelist")


def change_url(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_change", args=[customer.pk])


def listed(response) -> list[str]:
    """The emails in the customer list, as the merchant sees them."""
    assert response.status_code == 200
    return sorted(customer.email for customer in response.context["cl"].result_list)


def form_data(response) -> dict[str, Any]:
    """What the browser would post back from the change page, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[key] = "on"
            elif value is not None:
                data[key] = value
    return data


@pytest.fixture
def customers(store, other_store):
    anna = actions.create_customer(
        store=store, email="anna@example.com", actor=None, first_name="Anna", last_name="Berg"
    )
    bolt = actions.create_customer(
        store=store,
        email="orders@bolt.example",
        actor=None,
        first_name="Carl",
        last_name="Bolt",
        customer_type=Customer.CustomerType.BUSINESS,
        company_name="Bolt & Nut GmbH",
        vat_number="DE811907980",
    )
    actions.activate_account(bolt, actor=None)
    dana = actions.create_customer(
        store=other_store, email="dana@example.com", actor=None, first_name="Dana"
    )
    actions.activate_account(dana, actor=None)
    actions.deactivate_account(dana, actor=None)
    return anna, bolt, dana


# --- who gets in --------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in(client, store):
    response = client.get(CHANGELIST, follow=True)

    final_url = response.redirect_chain[-1][0]
    assert final_url.startswith(reverse("account_login"))
    assert "next=" in final_url
    assert 'name="password"' in response.content.decode()


def test_a_customer_who_is_not_staff_is_refused(client, store, make_account_holder, customers):
    shopper = make_account_holder(store, "shopper@example.com")
    client.force_login(shopper)

    response = client.get(CHANGELIST, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("storefront:my-account")
    page = response.content.decode()
    assert "The back office is only for the shop&#x27;s staff." in page
    assert "anna@example.com" not in page
    assert client.get(change_url(customers[0])).status_code == 302
    refused = client.post(
        CHANGELIST, {"action": "deactivate_accounts", "_selected_action": [customers[1].pk]}
    )
    assert refused.status_code == 302
    customers[1].refresh_from_db()
    assert customers[1].account_state == State.ACTIVE
    assert not customers[1].events.filter(kind=Kind.ACCOUNT_DEACTIVATED).exists()


# --- list: search and filters -------------------------------------------------------------


def test_the_list_shows_every_customer_but_not_staff(merchant_client, customers):
    response = merchant_client.get(CHANGELIST)

    assert listed(response) == ["anna@example.com", "dana@example.com", "orders@bolt.example"]
    page = response.content.decode()
    # The company is on the customer's page and found by a search.
    assert listed(merchant_client.get(CHANGELIST, {"q": "Bolt & Nut"})) == ["orders@bolt.example"]
    assert "Anna Berg" in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("berg", ["anna@example.com"]),  # last name
        ("Carl", ["orders@bolt.example"]),  # first name
        ("dana@example", ["dana@example.com"]),  # email
        ("nut gmbh", ["orders@bolt.example"]),  # company
        ("DE811907980", ["orders@bolt.example"]),  # VAT number
        ("example.com", ["anna@example.com", "dana@example.com"]),
        ("nobody", []),
    ],
)
def test_search_by_name_email_company_or_vat_number(merchant_client, customers, query, found):
    assert listed(merchant_client.get(CHANGELIST, {"q": query})) == found


def test_filter_by_account_state(merchant_client, customers):
    assert listed(merchant_client.get(CHANGELIST, {"account_state__exact": "none"})) == [
        "anna@example.com"
    ]
    assert listed(merchant_client.get(CHANGELIST, {"account_state__exact": "deactivated"})) == [
        "dana@example.com"
    ]


def test_filter_by_customer_type(merchant_client, customers):
    assert listed(merchant_client.get(CHANGELIST, {"customer_type__exact": "business"})) == [
        "orders@bolt.example"
    ]


def test_filter_by_store(merchant_client, customers, other_store):
    assert listed(merchant_client.get(CHANGELIST, {"store__id__exact": other_store.pk})) == [
        "dana@example.com"
    ]


def test_filters_and_search_combine(merchant_client, customers, store):
    response = merchant_client.get(
        CHANGELIST, {"q": "example", "store__id__exact": store.pk, "account_state__exact": "none"}
    )
    assert listed(response) == ["anna@example.com"]


# --- fixed number of queries ---------------------------------------------------------------


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_customers(store, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        customer = actions.create_customer(
            store=store, email=f"c{number}@example.com", actor=None, first_name=f"C{number}"
        )
        actions.add_address(customer, actor=None, street="Main St", city="Oslo", country="NO")


def test_the_list_costs_the_same_queries_for_3_or_30_customers(merchant_client, store):
    add_customers(store, 3)
    merchant_client.get(CHANGELIST)  # warm the session and content types
    with_three = queries_of(merchant_client, CHANGELIST)

    add_customers(store, 27, start=3)
    with_thirty = queries_of(merchant_client, CHANGELIST)

    assert len(merchant_client.get(CHANGELIST).context["cl"].result_list) == 30
    assert with_thirty == with_three


def fill_record(customer: Customer, count: int) -> None:
    for number in range(count):
        actions.add_address(
            customer, actor=None, street=f"Street {number}", city="Bergen", country="NO"
        )
        actions.update_customer(customer, actor=None, phone=f"+47 {number:04}")


def test_the_detail_costs_the_same_queries_for_3_or_30_addresses_and_events(
    merchant_client, store, merchant
):
    few = actions.create_customer(store=store, email="few@example.com", actor=merchant)
    many = actions.create_customer(store=store, email="many@example.com", actor=merchant)
    fill_record(few, 3)
    fill_record(many, 30)
    merchant_client.get(change_url(few))  # warm the session and content types

    assert queries_of(merchant_client, change_url(many)) == queries_of(
        merchant_client, change_url(few)
    )


# --- detail --------------------------------------------------------------------------------


def test_the_detail_shows_addresses_and_events(merchant_client, store, merchant):
    anna = actions.create_customer(
        store=store, email="anna@example.com", actor=merchant, first_name="Anna"
    )
    actions.add_address(
        anna,
        actor=merchant,
        street="Keizersgracht",
        house_number="12",
        city="Amsterdam",
        country="NL",
    )
    actions.update_customer(anna, actor=merchant, internal_notes="Calls before noon")
    actions.set_marketing_consent(anna, accepts=True, source="checkout", actor=anna)

    page = merchant_client.get(change_url(anna)).content.decode()

    assert 'value="Keizersgracht"' in page
    assert 'value="Amsterdam"' in page
    assert "Calls before noon" in page
    for label in ("Record created", "Address added", "Data changed", "Marketing consent changed"):
        assert label in page
    assert "merchant@example.com" in page  # who did it
    assert "Given · At checkout" in page


# --- edits ---------------------------------------------------------------------------------


def test_editing_a_customer_saves_the_changes_and_records_them(
    merchant_client, customers, merchant
):
    anna = customers[0]
    data = form_data(merchant_client.get(change_url(anna)))
    data.update(last_name="Berg-Olsen", vat_number="NL001", internal_notes="VIP", phone="0101")

    response = merchant_client.post(change_url(anna), data)

    assert response.status_code == 302
    anna.refresh_from_db()
    assert (anna.last_name, anna.vat_number, anna.internal_notes, anna.phone) == (
        "Berg-Olsen",
        "NL001",
        "VIP",
        "0101",
    )
    event = anna.events.get(kind=Kind.UPDATED)
    assert event.actor == merchant
    assert event.data == {"fields": ["internal_notes", "last_name", "phone", "vat_number"]}


def test_editing_to_an_email_already_used_in_the_store_is_a_form_error(merchant_client, customers):
    anna, _bolt, _dana = customers
    data = form_data(merchant_client.get(change_url(anna)))
    data.update(email="ORDERS@bolt.example", first_name="Changed")

    response = merchant_client.post(change_url(anna), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "A customer with this email address already exists in this store."
    ]
    assert "A customer with this email address already exists in this store." in (
        response.content.decode()
    )
    anna.refresh_from_db()
    assert (anna.email, anna.first_name) == ("anna@example.com", "Anna")
    assert list(anna.events.values_list("kind", flat=True)) == [Kind.CREATED]


def test_editing_to_an_email_used_only_in_a_store_that_does_not_share_is_allowed(
    merchant_client, customers
):
    anna, _bolt, dana = customers
    data = form_data(merchant_client.get(change_url(anna)))
    data["email"] = dana.email

    response = merchant_client.post(change_url(anna), data)

    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.email == "dana@example.com"
    assert anna.realm_id != dana.realm_id
    assert anna.events.get(kind=Kind.UPDATED).data == {
        "fields": ["email"],
        "previous_email": "anna@example.com",
    }


def test_adding_a_customer_with_an_email_already_in_the_store_is_a_form_error(
    merchant_client, customers, store
):
    response = merchant_client.post(
        reverse("backoffice:customers_customer_add"),
        {
            "store": store.pk,
            "email": "Anna@Example.com",
            "first_name": "Second Anna",
            "language": "en",
            "customer_type": "private",
            "addresses-TOTAL_FORMS": "0",
            "addresses-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert list(Customer.objects.filter(email="anna@example.com")) == [customers[0]]
    assert not Customer.objects.filter(first_name="Second Anna").exists()


def test_adding_a_customer_with_an_address_records_both(merchant_client, store, merchant):
    response = merchant_client.post(
        reverse("backoffice:customers_customer_add"),
        {
            "store": store.pk,
            "email": "new@example.com",
            "first_name": "Nora",
            "language": "nb",
            "customer_type": "private",
            "addresses-TOTAL_FORMS": "1",
            "addresses-INITIAL_FORMS": "0",
            "addresses-0-street": "Karl Johans gate",
            "addresses-0-house_number": "1",
            "addresses-0-city": "Oslo",
            "addresses-0-country": "NO",
            "addresses-0-use_for_billing": "on",
            "addresses-0-use_for_shipping": "on",
        },
    )

    assert response.status_code == 302
    nora = Customer.objects.get(email="new@example.com")
    assert (nora.first_name, nora.language, nora.store) == ("Nora", "nb", store)
    (address,) = nora.addresses.all()
    assert address.is_default_billing and address.is_default_shipping
    assert list(nora.events.order_by("id").values_list("kind", "actor")) == [
        (Kind.CREATED, merchant.pk),
        (Kind.ADDRESS_ADDED, merchant.pk),
    ]


def test_a_business_customer_without_a_company_name_is_a_form_error(merchant_client, customers):
    anna = customers[0]
    data = form_data(merchant_client.get(change_url(anna)))
    data["customer_type"] = "business"

    response = merchant_client.post(change_url(anna), data)

    assert response.status_code == 200
    assert "company_name" in response.context["adminform"].form.errors
    anna.refresh_from_db()
    assert anna.customer_type == Customer.CustomerType.PRIVATE


def test_ticking_marketing_consent_records_it_as_given_by_the_merchant(
    merchant_client, customers, merchant
):
    anna = customers[0]
    data = form_data(merchant_client.get(change_url(anna)))
    data["accepts_marketing"] = "on"

    assert merchant_client.post(change_url(anna), data).status_code == 302

    anna.refresh_from_db()
    assert anna.accepts_marketing
    assert anna.marketing_consent_source == Customer.ConsentSource.BACKOFFICE
    assert anna.marketing_consent_changed_at is not None
    event = anna.events.get(kind=Kind.MARKETING_CONSENT)
    assert (event.actor, event.data) == (merchant, {"accepts": True, "source": "backoffice"})


def test_editing_an_address_and_switching_the_default_in_the_detail(
    merchant_client, customers, merchant
):
    anna = customers[0]
    home = actions.add_address(anna, actor=None, street="Home St", city="Oslo", country="NO")
    office = actions.add_address(anna, actor=None, street="Office St", city="Oslo", country="NO")
    data = form_data(merchant_client.get(change_url(anna)))
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == office.pk)[:-3]
    data[f"{prefix}-city"] = "Bergen"
    data[f"{prefix}-is_default_billing"] = "on"

    response = merchant_client.post(change_url(anna), data)

    assert response.status_code == 302
    office.refresh_from_db()
    home.refresh_from_db()
    assert office.city == "Bergen"
    assert office.is_default_billing and not home.is_default_billing
    assert home.is_default_shipping
    assert anna.events.filter(kind=Kind.ADDRESS_CHANGED, actor=merchant).count() == 1


# --- bulk actions ---------------------------------------------------------------------------


def bulk(client: Client, action: str, customers: list[Customer]):
    # "confirmed": the answer of the confirmation page of the steps that ask first.
    return client.post(
        CHANGELIST,
        {
            "action": action,
            "_selected_action": [c.pk for c in customers],
            "index": 0,
            "confirmed": "yes",
        },
        follow=True,
    )


def test_deactivating_selected_accounts_changes_their_state_and_records_it(
    merchant_client, store, merchant, make_account_holder
):
    anna = make_account_holder(store, "anna@example.com")
    ben = make_account_holder(store, "ben@example.com")

    response = bulk(merchant_client, "deactivate_accounts", [anna, ben])

    assert "2 accounts deactivated." in response.content.decode()
    for customer in (anna, ben):
        customer.refresh_from_db()
        assert customer.account_state == State.DEACTIVATED
        event = customer.events.get(kind=Kind.ACCOUNT_DEACTIVATED)
        assert (event.actor, event.data) == (merchant, {"previous_state": State.ACTIVE})


def test_reactivating_selected_accounts_changes_their_state_and_records_it(
    merchant_client, store, merchant, make_account_holder
):
    anna = make_account_holder(store, "anna@example.com")
    actions.deactivate_account(anna, actor=merchant)

    response = bulk(merchant_client, "reactivate_accounts", [anna])

    assert "1 account reactivated." in response.content.decode()
    anna.refresh_from_db()
    assert anna.account_state == State.ACTIVE
    assert anna.events.get(kind=Kind.ACCOUNT_REACTIVATED).actor == merchant


def test_a_bulk_step_some_accounts_cannot_take_is_reported_and_leaves_them_alone(
    merchant_client, customers
):
    anna, bolt, _dana = customers  # anna has no account; bolt is active

    response = bulk(merchant_client, "reactivate_accounts", [anna, bolt])

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 customer skipped: not possible in their account&#x27;s current state." in page
    anna.refresh_from_db()
    bolt.refresh_from_db()
    assert (anna.account_state, bolt.account_state) == (State.NONE, State.ACTIVE)
    assert not CustomerEvent.objects.filter(kind=Kind.ACCOUNT_REACTIVATED).exists()


def test_an_address_for_neither_billing_nor_shipping_is_a_form_error(merchant_client, customers):
    anna = customers[0]
    home = actions.add_address(anna, actor=None, street="Home St", city="Oslo", country="NO")
    data = form_data(merchant_client.get(change_url(anna)))
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == home.pk)[:-3]
    for field in (
        "use_for_billing",
        "use_for_shipping",
        "is_default_billing",
        "is_default_shipping",
    ):
        data.pop(f"{prefix}-{field}", None)

    response = merchant_client.post(change_url(anna), data)

    assert response.status_code == 200
    (formset,) = [inline.formset for inline in response.context["inline_admin_formsets"]]
    assert formset.errors[0]
    home.refresh_from_db()
    assert home.use_for_billing and home.use_for_shipping
    assert not anna.events.filter(kind=Kind.ADDRESS_CHANGED).exists()


def test_removing_an_address_in_the_detail_moves_the_default_and_records_it(
    merchant_client, customers, merchant
):
    anna = customers[0]
    home = actions.add_address(anna, actor=None, street="Home St", city="Oslo", country="NO")
    office = actions.add_address(anna, actor=None, street="Office St", city="Oslo", country="NO")
    data = form_data(merchant_client.get(change_url(anna)))
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == home.pk)[:-3]
    data[f"{prefix}-DELETE"] = "on"

    response = merchant_client.post(change_url(anna), data)

    assert response.status_code == 302
    assert list(anna.addresses.all()) == [office]
    office.refresh_from_db()
    assert office.is_default_billing and office.is_default_shipping
    assert anna.events.get(kind=Kind.ADDRESS_REMOVED).actor == merchant


def test_the_list_is_titled_with_what_it_lists(merchant_client, store):
    page = merchant_client.get(CHANGELIST).content.decode()

    assert re.search(r"<h1[^>]*>Customers</h1>", page)
    assert "<title> Customers | Test Shop · back office</title>" in page
    assert "to change" not in page


def test_the_list_shows_as_many_customers_per_page_as_the_setting_says(
    merchant_client, store, monkeypatch
):
    monkeypatch.setenv("SHOP_CUSTOMERS_PER_PAGE", "2")
    add_customers(store, 3)

    first_page = merchant_client.get(CHANGELIST)
    second_page = merchant_client.get(CHANGELIST, {"p": 2})

    assert len(first_page.context["cl"].result_list) == 2
    assert len(second_page.context["cl"].result_list) == 1
