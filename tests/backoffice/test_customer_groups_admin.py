"""The merchant's customer groups: a group with its discount, pay by invoice
and fixed prices (refusals are form errors that save nothing); the group per
store and pay by invoice on the customer's page; "Put in a customer group…"
for one customer or many, recorded on each trail and worded there."""

import re
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.forms import CheckboxInput
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop_accounts.catalog import groups
from shop_accounts.catalog.actions import create_product
from shop_accounts.catalog.models import CustomerGroup, GroupMembership, GroupPrice, Product
from shop_accounts.customers import actions
from shop_accounts.customers.models import Customer, CustomerEvent

GROUPS = reverse("backoffice:catalog_customergroup_changelist")
ADD_GROUP = reverse("backoffice:catalog_customergroup_add")
CUSTOMERS = reverse("backoffice:customers_customer_changelist")


def group_url(group: CustomerGroup) -> str:
    return reverse("backoffice:catalog_customergroup_change", args=[group.pk])


def customer_url(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_change", args=[customer.pk])


def choose_url(customer: Customer) -> str:
    return reverse("backoffice:customers_customer_group", args=[customer.pk])


def words(response) -> str:
    """The page's main words, tags removed and spacing collapsed."""
    html = response.content.decode()
    start = html.find("<main")
    body = html[start : html.index("</main>")] if start >= 0 else html
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def form_data(response) -> dict[str, Any]:
    """What the browser would post back from an admin page, unchanged."""
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


def new_group(store, **fields) -> dict[str, Any]:
    """The add page's post: the group and up to one fixed price."""
    data = {
        "store": store.pk,
        "name": "Trade",
        "discount_percent": "10",
        "prices-TOTAL_FORMS": "1",
        "prices-INITIAL_FORMS": "0",
        "prices-MIN_NUM_FORMS": "0",
        "prices-MAX_NUM_FORMS": "1000",
        "prices-0-product": "",
        "prices-0-price": "",
    }
    data.update(fields)
    return data


@pytest.fixture
def mug(store) -> Product:
    return create_product(store, name="Stoneware mug", price=Decimal("9.00"))


@pytest.fixture
def trade(store) -> CustomerGroup:
    return groups.create_customer_group(store, name="Trade", discount_percent=Decimal("10"))


@pytest.fixture
def anna(store) -> Customer:
    return actions.create_customer(
        store=store, email="anna@example.com", actor=None, first_name="Anna", last_name="Berg"
    )


# --- Groups and their prices --------------------------------------------------------------


def test_a_merchant_adds_a_group_with_a_discount_and_a_fixed_price(merchant_client, store, mug):
    response = merchant_client.post(
        ADD_GROUP,
        new_group(
            store,
            may_pay_by_invoice="on",
            **{"prices-0-product": str(mug.pk), "prices-0-price": "7.50"},
        ),
    )

    assert response.status_code == 302
    group = CustomerGroup.objects.get()
    assert (group.store, group.name, group.discount_percent, group.may_pay_by_invoice) == (
        store,
        "Trade",
        Decimal("10.00"),
        True,
    )
    assert list(group.prices.values_list("product", "price")) == [(mug.pk, Decimal("7.50"))]


def test_the_fixed_price_picks_the_product_by_autocomplete(merchant_client, store, mug):
    page = merchant_client.get(ADD_GROUP).content.decode()
    found = merchant_client.get(
        reverse("backoffice:autocomplete"),
        {
            "term": "mug",
            "app_label": "catalog",
            "model_name": "groupprice",
            "field_name": "product",
        },
    )

    assert "admin-autocomplete" in page
    assert [item["text"] for item in found.json()["results"]] == ["Stoneware mug"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"discount_percent": "120"}, "Ensure this value is less than or equal to 100."),
        ({"discount_percent": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"discount_percent": "1.234"}, "Ensure that there are no more than 2 decimal places."),
        ({"name": ""}, "This field is required."),
        ({"prices-0-price": "-1"}, "Ensure this value is greater than or equal to 0.00."),
    ],
)
def test_broken_group_rules_are_form_errors_that_save_nothing(
    merchant_client, store, mug, fields, message
):
    data = new_group(store, **{"prices-0-product": str(mug.pk), "prices-0-price": "7.50"})
    data.update(fields)

    response = merchant_client.post(ADD_GROUP, data)

    assert response.status_code == 200
    assert message in words(response)
    assert not CustomerGroup.objects.exists()
    assert not GroupPrice.objects.exists()


def test_a_name_the_store_already_has_is_a_form_error(merchant_client, store, trade):
    response = merchant_client.post(ADD_GROUP, new_group(store, name="TRADE"))

    assert response.status_code == 200
    assert "The store already has a customer group with this name." in words(response)
    assert CustomerGroup.objects.count() == 1


def test_a_fixed_price_for_another_stores_product_is_a_form_error(
    merchant_client, store, other_store
):
    chair = create_product(other_store, name="Chair", price=Decimal("80.00"))

    response = merchant_client.post(
        ADD_GROUP,
        new_group(store, **{"prices-0-product": str(chair.pk), "prices-0-price": "70"}),
    )

    assert response.status_code == 200
    assert "This product is sold in another store than the group's." in words(response)
    assert not CustomerGroup.objects.exists()


def test_editing_a_group_changes_its_discount_and_drops_a_fixed_price(
    merchant_client, store, trade, mug
):
    groups.set_group_price(trade, mug, Decimal("7.50"))
    data = form_data(merchant_client.get(group_url(trade)))
    data.update({"discount_percent": "12.5", "prices-0-DELETE": "on"})

    response = merchant_client.post(group_url(trade), data)

    assert response.status_code == 302
    trade.refresh_from_db()
    assert trade.discount_percent == Decimal("12.50")
    assert not GroupPrice.objects.exists()


def test_the_group_list_shows_members_and_prices_at_the_same_queries_for_3_or_30(
    merchant_client, store, mug, anna
):
    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            group = groups.create_customer_group(store, name=f"Group {n:02}")
            groups.set_group_price(group, mug, Decimal("5.00"))

    add(3, 0)
    groups.set_customer_group(anna, store=store, group=CustomerGroup.objects.first(), actor=None)
    merchant_client.get(GROUPS)  # warm the session and content types
    counts = []
    for extra in (0, 27):
        add(extra, 3)
        with CaptureQueriesContext(connection) as captured:
            response = merchant_client.get(GROUPS)
        counts.append(len(captured))

    assert counts[0] == counts[1]
    assert len(response.context["cl"].result_list) == 30
    # Name, store, discount, pay by invoice, members, fixed prices.
    assert "Group 00 Test Shop 0 % No 1 1" in words(response)


def test_deleting_a_group_in_the_back_office_records_it_on_the_members_trail(
    merchant_client, store, trade, anna, merchant
):
    groups.set_customer_group(anna, store=store, group=trade, actor=None)
    delete = reverse("backoffice:catalog_customergroup_delete", args=[trade.pk])

    response = merchant_client.post(delete, {"post": "yes"})

    assert response.status_code == 302
    assert not CustomerGroup.objects.exists()
    last = anna.events.filter(kind=CustomerEvent.Kind.GROUP_CHANGED).first()
    assert last is not None
    assert (last.actor, last.data["group_id"]) == (merchant, None)


# --- On the customer's page --------------------------------------------------------------


def test_the_customer_page_shows_the_group_per_store_and_pay_by_invoice(
    merchant_client, store, trade, anna
):
    groups.set_customer_group(anna, store=store, group=trade, actor=None)

    page = merchant_client.get(customer_url(anna))

    assert "Discounts and payment" in words(page)
    assert "Test Shop: Trade" in words(page)
    assert "May pay by invoice" in words(page)
    assert f'href="{choose_url(anna)}"' in page.content.decode()


def test_a_store_without_groups_says_so_on_the_customer_page(merchant_client, store, anna):
    page = merchant_client.get(customer_url(anna))

    assert "The customer's stores have no customer groups yet." in words(page)


def test_the_merchant_lets_a_customer_pay_by_invoice(merchant_client, anna, merchant):
    data = form_data(merchant_client.get(customer_url(anna)))
    data["may_pay_by_invoice"] = "on"

    response = merchant_client.post(customer_url(anna), data)

    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.may_pay_by_invoice is True
    assert anna.events.get(kind=CustomerEvent.Kind.UPDATED).data == {
        "fields": ["may_pay_by_invoice"]
    }


def test_changing_the_group_from_the_customer_page_records_it_in_words(
    merchant_client, store, trade, anna, merchant
):
    choice_page = merchant_client.get(choose_url(anna))

    response = merchant_client.post(choose_url(anna), {"choice": f"group:{trade.pk}"})

    assert "Which customer group should this customer be in?" in words(choice_page)
    assert "Anna Berg (anna@example.com)" in words(choice_page)
    assert response.status_code == 302
    assert response["Location"] == customer_url(anna)
    membership = GroupMembership.objects.get()
    assert (membership.customer, membership.store, membership.group) == (anna, store, trade)
    trail = words(merchant_client.get(customer_url(anna)))
    assert "Customer group changed" in trail
    assert "Put in Trade in Test Shop" in trail


def test_the_trail_words_moves_removals_and_deleted_groups(store, trade, anna):
    from shop_accounts.backoffice.customers.event_details import describe_trail

    staff = groups.create_customer_group(store, name="Staff")
    groups.set_customer_group(anna, store=store, group=trade, actor=None)
    groups.set_customer_group(anna, store=store, group=staff, actor=None)
    groups.set_customer_group(anna, store=store, group=None, actor=None)
    groups.update_customer_group(staff, name="Team")
    staff.delete()

    described = [
        text
        for event, text in describe_trail(
            anna.events.filter(kind=CustomerEvent.Kind.GROUP_CHANGED).order_by("id")
        )
    ]

    assert described == [
        "Put in Trade in Test Shop",
        "Moved from Trade to a group since deleted in Test Shop",
        "Left a group since deleted in Test Shop",
    ]


def test_a_choice_that_is_not_offered_changes_nothing(merchant_client, store, other_store, anna):
    theirs = groups.create_customer_group(other_store, name="Elsewhere")

    response = merchant_client.post(choose_url(anna), {"choice": f"group:{theirs.pk}"})

    assert response.status_code == 400
    assert "Select a valid choice." in words(response)
    assert not GroupMembership.objects.exists()


def test_no_group_takes_the_customer_out(merchant_client, store, trade, anna):
    groups.set_customer_group(anna, store=store, group=trade, actor=None)

    response = merchant_client.post(choose_url(anna), {"choice": f"none:{store.pk}"})

    assert response.status_code == 302
    assert not GroupMembership.objects.exists()


# --- In bulk from the list -----------------------------------------------------------------


def bulk(client: Client, customers: list[Customer], **answer: str):
    return client.post(
        CUSTOMERS,
        {"action": "put_in_group", "_selected_action": [c.pk for c in customers], **answer},
        follow=True,
    )


def test_put_in_group_asks_which_group_first_and_changes_nothing_yet(
    merchant_client, store, trade, anna
):
    bernd = actions.create_customer(store=store, email="bernd@example.com", actor=None)

    response = bulk(merchant_client, [anna, bernd])

    assert response.status_code == 200
    page = words(response)
    assert "Which customer group should these 2 customers be in?" in page
    assert "Anna Berg (anna@example.com)" in page
    assert "bernd@example.com" in page
    assert "Trade" in page
    assert not GroupMembership.objects.exists()


def test_put_in_group_moves_the_selected_customers_and_tells_who_was_skipped(
    merchant_client, store, other_store, trade, anna, merchant
):
    bernd = actions.create_customer(store=store, email="bernd@example.com", actor=None)
    cleo = actions.create_customer(store=store, email="cleo@example.com", actor=None)
    dana = actions.create_customer(store=other_store, email="dana@example.com", actor=None)
    groups.set_customer_group(cleo, store=store, group=trade, actor=None)

    response = bulk(
        merchant_client, [anna, bernd, cleo, dana], confirmed="yes", choice=f"group:{trade.pk}"
    )

    page = words(response)
    assert "2 customers' groups changed." in page
    assert "1 customer skipped: already as chosen." in page
    assert "1 customer skipped: not a customer of that store." in page
    assert set(
        GroupMembership.objects.filter(group=trade).values_list("customer__email", flat=True)
    ) == {"anna@example.com", "bernd@example.com", "cleo@example.com"}
    event = anna.events.get(kind=CustomerEvent.Kind.GROUP_CHANGED)
    assert (event.actor, event.data["group_id"]) == (merchant, trade.pk)


def test_put_in_group_without_a_choice_asks_again(merchant_client, store, trade, anna):
    response = bulk(merchant_client, [anna], confirmed="yes", choice="")

    assert response.status_code == 400
    assert "This field is required." in words(response)
    assert not GroupMembership.objects.exists()


def test_the_group_screens_are_in_the_merchants_language(merchant_client, store, trade, anna):
    merchant_client.cookies["django_language"] = "de"

    menu = merchant_client.get(GROUPS).content.decode()
    choice_page = merchant_client.get(choose_url(anna))
    choice = words(choice_page)

    assert "Kundengruppen" in menu
    assert "In welcher Kundengruppe soll dieser Kunde sein?" in choice
    assert "Kundengruppe Gruppe wählen Trade Keine Gruppe (reguläre Preise)" in choice
    assert 'value="In Gruppe aufnehmen"' in choice_page.content.decode()
