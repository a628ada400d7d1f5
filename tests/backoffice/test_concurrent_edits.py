"""Two merchants edit the same customer at once. Each save writes only what
that merchant changed on the page, so edits to different fields both stay;
an edit to a field someone else changed since the page was loaded is refused
with a message, and nothing of that save is written."""

import pytest

from shop_accounts.customers import actions
from shop_accounts.customers.errors import EditConflict
from shop_accounts.customers.models import Customer
from tests.backoffice.test_customer_admin import change_url, form_data

CONFLICT = "Someone else changed this customer while you were editing."


@pytest.fixture
def anna(store) -> Customer:
    return actions.create_customer(
        store=store, email="anna@example.com", actor=None, first_name="Anna", phone="111"
    )


@pytest.fixture
def two_pages(merchant_client, anna):
    """The customer page as two merchants loaded it, before either saved."""
    first = form_data(merchant_client.get(change_url(anna)))
    second = form_data(merchant_client.get(change_url(anna)))
    return first, second


def test_edits_to_different_fields_are_both_kept(merchant_client, anna, two_pages):
    first, second = two_pages
    first["phone"] = "222"
    second["mobile"] = "06 1234 5678"

    assert merchant_client.post(change_url(anna), first).status_code == 302
    assert merchant_client.post(change_url(anna), second).status_code == 302

    anna.refresh_from_db()
    assert (anna.phone, anna.mobile) == ("222", "06 1234 5678")


def test_an_edit_to_a_field_someone_else_changed_is_refused(merchant_client, anna, two_pages):
    first, second = two_pages
    first["phone"] = "222"
    second["phone"] = "333"
    second["mobile"] = "06 1234 5678"
    merchant_client.post(change_url(anna), first)

    response = merchant_client.post(change_url(anna), second)

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert "(Phone)" in response.content.decode()
    anna.refresh_from_db()
    assert (anna.phone, anna.mobile) == ("222", "")


def test_the_refused_page_shows_the_other_change_and_saves_on_the_next_try(
    merchant_client, anna, two_pages
):
    first, second = two_pages
    first["phone"] = "222"
    second["phone"] = "333"
    second["mobile"] = "06 1234 5678"
    merchant_client.post(change_url(anna), first)
    refused = merchant_client.post(change_url(anna), second)

    shown = form_data(refused)
    assert (shown["phone"], shown["mobile"]) == ("222", "06 1234 5678")
    assert merchant_client.post(change_url(anna), shown).status_code == 302
    anna.refresh_from_db()
    assert (anna.phone, anna.mobile) == ("222", "06 1234 5678")


def test_the_same_change_twice_is_not_a_conflict(merchant_client, anna, two_pages):
    first, second = two_pages
    first["phone"] = second["phone"] = "222"

    merchant_client.post(change_url(anna), first)

    assert merchant_client.post(change_url(anna), second).status_code == 302


def test_edits_to_different_fields_of_one_address_are_both_kept(merchant_client, anna):
    home = actions.add_address(anna, actor=None, street="Home St", city="Oslo", country="NO")
    first = form_data(merchant_client.get(change_url(anna)))
    second = form_data(merchant_client.get(change_url(anna)))
    prefix = next(k for k, v in first.items() if k.endswith("-id") and v == home.pk)[:-3]
    first[f"{prefix}-city"] = "Bergen"
    second[f"{prefix}-postal_code"] = "5003"

    assert merchant_client.post(change_url(anna), first).status_code == 302
    assert merchant_client.post(change_url(anna), second).status_code == 302

    home.refresh_from_db()
    assert (home.city, home.postal_code) == ("Bergen", "5003")


def test_a_post_without_the_loaded_values_saves_as_before(merchant_client, anna, two_pages):
    first, _second = two_pages
    del first["loaded_values"]
    first["phone"] = "222"

    assert merchant_client.post(change_url(anna), first).status_code == 302

    anna.refresh_from_db()
    assert anna.phone == "222"


def test_the_action_refuses_under_the_row_lock_what_changed_since_it_was_read(anna):
    actions.update_customer(anna, actor=None, phone="222")

    with pytest.raises(EditConflict) as refused:
        actions.update_customer(anna, actor=None, expected={"phone": "111"}, phone="333")

    assert refused.value.fields == ["phone"]
    anna.refresh_from_db()
    assert anna.phone == "222"
