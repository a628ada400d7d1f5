"""Adding to a cart, changing and removing lines, emptying it; every refusal
is a translated cart error and leaves the cart as it was."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone, translation

from shop_accounts.cart import actions
from shop_accounts.cart.errors import (
    CartError,
    InvalidQuantity,
    NotEnoughStock,
    NotInCart,
    ProductUnavailable,
    TooManyInCart,
)
from shop_accounts.cart.models import Cart, CartLine
from shop_accounts.catalog.actions import create_product, update_product
from tests.cart.conftest import quantities


def test_a_guest_cart_has_a_random_256_bit_token_and_no_customer(store):
    first = actions.open_cart(store)
    second = actions.open_cart(store)

    assert first.customer is None
    assert len(first.token) == 43  # 32 bytes, URL-safe base64
    assert first.token != second.token


def test_a_customer_has_one_saved_cart_per_store(store, anna):
    first = actions.open_cart(store, customer=anna)
    again = actions.open_cart(store, customer=anna)

    assert again.pk == first.pk
    assert first.token is None
    with pytest.raises(IntegrityError):
        Cart.objects.create(store=store, customer=anna)


def test_a_customer_of_another_realm_gets_no_cart_in_the_store(store, other_store, anna):
    with pytest.raises(CartError):
        actions.open_cart(other_store, customer=anna)
    assert not Cart.objects.filter(store=other_store).exists()


def test_adding_a_product_twice_adds_to_its_line(guest_cart, towel):
    actions.add_to_cart(guest_cart, towel, 2)
    actions.add_to_cart(guest_cart, towel, "3")

    assert quantities(guest_cart) == {"Linen towel": 5}
    assert CartLine.objects.count() == 1


@pytest.mark.parametrize(
    "quantity", [0, -1, 1000, 10**12, "", "abc", "2.5", "1e3", "-3", "３", None, 2.0, True]
)
def test_a_bad_quantity_is_refused_and_the_cart_kept(guest_cart, towel, quantity):
    actions.add_to_cart(guest_cart, towel, 1)

    with pytest.raises(InvalidQuantity) as refused:
        actions.add_to_cart(guest_cart, towel, quantity)

    assert refused.value.product_id == towel.pk
    assert refused.value.text() == (
        "The quantity of “Linen towel” must be a whole number from 1 to 999."
    )
    assert quantities(guest_cart) == {"Linen towel": 1}


def test_the_refusal_is_translated(guest_cart, towel):
    with pytest.raises(InvalidQuantity) as refused:
        actions.add_to_cart(guest_cart, towel, 0)

    with translation.override("de"):
        text = refused.value.text()
    assert "Linen towel" in text
    assert "Menge" in text


def test_more_than_999_in_one_line_is_refused(guest_cart, towel):
    actions.add_to_cart(guest_cart, towel, 998)

    with pytest.raises(TooManyInCart):
        actions.add_to_cart(guest_cart, towel, 2)

    assert quantities(guest_cart) == {"Linen towel": 998}


def test_an_unpublished_product_cannot_be_added(guest_cart, towel):
    update_product(towel, is_published=False)

    with pytest.raises(ProductUnavailable) as refused:
        actions.add_to_cart(guest_cart, towel, 1)

    assert refused.value.text() == "“Linen towel” is no longer available."
    assert quantities(guest_cart) == {}


def test_a_product_of_another_store_cannot_be_added(guest_cart, other_store):
    elsewhere = create_product(other_store, name="Lamp", price=Decimal("40.00"))

    with pytest.raises(ProductUnavailable):
        actions.add_to_cart(guest_cart, elsewhere, 1)

    assert quantities(guest_cart) == {}


def test_no_more_than_the_tracked_stock_can_be_added(guest_cart, mug):
    actions.add_to_cart(guest_cart, mug, 2)

    with pytest.raises(NotEnoughStock) as refused:
        actions.add_to_cart(guest_cart, mug, 2)

    assert refused.value.text() == "“Mug”: only 3 left in stock."
    assert quantities(guest_cart) == {"Mug": 2}


def test_setting_a_quantity_replaces_it(guest_cart, towel):
    actions.add_to_cart(guest_cart, towel, 2)

    line = actions.set_quantity(guest_cart, towel.pk, "7")

    assert line is not None and line.quantity == 7
    assert quantities(guest_cart) == {"Linen towel": 7}


def test_setting_a_quantity_of_0_removes_the_line(guest_cart, towel, bread):
    actions.add_to_cart(guest_cart, towel, 2)
    actions.add_to_cart(guest_cart, bread, 1)

    assert actions.set_quantity(guest_cart, towel, 0) is None

    assert quantities(guest_cart) == {"Rye bread": 1}


@pytest.mark.parametrize("quantity", [-1, 1000, "x", ""])
def test_setting_a_bad_quantity_is_refused(guest_cart, towel, quantity):
    actions.add_to_cart(guest_cart, towel, 2)

    with pytest.raises(InvalidQuantity):
        actions.set_quantity(guest_cart, towel, quantity)

    assert quantities(guest_cart) == {"Linen towel": 2}


def test_setting_more_than_the_stock_is_refused(guest_cart, mug):
    actions.add_to_cart(guest_cart, mug, 1)

    with pytest.raises(NotEnoughStock):
        actions.set_quantity(guest_cart, mug, 4)

    assert quantities(guest_cart) == {"Mug": 1}


def test_a_line_of_a_product_gone_inactive_can_be_removed_but_not_raised(guest_cart, towel):
    actions.add_to_cart(guest_cart, towel, 1)
    update_product(towel, is_published=False)

    with pytest.raises(ProductUnavailable):
        actions.set_quantity(guest_cart, towel, 2)
    actions.set_quantity(guest_cart, towel, 0)

    assert quantities(guest_cart) == {}


def test_a_product_not_in_the_cart_cannot_be_changed_or_removed(
    guest_cart, saved_cart, towel, bread
):
    actions.add_to_cart(saved_cart, towel, 1)

    with pytest.raises(NotInCart):
        actions.set_quantity(guest_cart, towel, 2)
    with pytest.raises(NotInCart):
        actions.remove_line(guest_cart, towel)
    with pytest.raises(NotInCart):
        actions.remove_line(saved_cart, bread.pk)

    assert quantities(saved_cart) == {"Linen towel": 1}


def test_removing_a_line(guest_cart, towel, bread):
    actions.add_to_cart(guest_cart, towel, 1)
    actions.add_to_cart(guest_cart, bread, 1)

    actions.remove_line(guest_cart, towel)

    assert quantities(guest_cart) == {"Rye bread": 1}


def test_clearing_a_cart_keeps_the_cart(saved_cart, towel, bread):
    actions.add_to_cart(saved_cart, towel, 1)
    actions.add_to_cart(saved_cart, bread, 4)

    actions.clear_cart(saved_cart)

    assert quantities(saved_cart) == {}
    assert Cart.objects.filter(pk=saved_cart.pk).exists()


def test_a_change_marks_the_cart_updated(guest_cart, towel):
    before = guest_cart.updated_at

    actions.add_to_cart(guest_cart, towel, 1)

    guest_cart.refresh_from_db()
    assert guest_cart.updated_at > before


def test_guest_carts_nobody_can_reach_any_more_are_deleted(store, saved_cart, towel):
    with time_machine.travel(timezone.now() - timedelta(days=40)):
        old_guest = actions.open_cart(store)
        actions.add_to_cart(old_guest, towel, 1)
        actions.add_to_cart(saved_cart, towel, 1)
    recent_guest = actions.open_cart(store)
    output = StringIO()

    call_command("delete_abandoned_carts", stdout=output)

    assert output.getvalue() == "Deleted 1 abandoned guest carts.\n"
    assert set(Cart.objects.values_list("pk", flat=True)) == {saved_cart.pk, recent_guest.pk}
    assert quantities(saved_cart) == {"Linen towel": 1}
