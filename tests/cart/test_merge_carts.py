"""A guest's cart merges into the customer's saved cart at sign-in:
quantities added, capped where tracked stock (or the line maximum) is less,
with a note the cart page shows once."""

import pytest

from shop_accounts.cart import actions
from shop_accounts.cart.errors import CartError
from shop_accounts.cart.models import Cart
from shop_accounts.cart.queries import cart_contents
from shop_accounts.catalog.actions import update_product
from tests.cart.conftest import quantities


def test_quantities_of_one_product_are_added_and_the_guest_cart_deleted(
    store, guest_cart, saved_cart, towel, bread
):
    actions.add_to_cart(saved_cart, towel, 1)
    actions.add_to_cart(guest_cart, towel, 2)
    actions.add_to_cart(guest_cart, bread, 1)

    merged = actions.merge_carts(guest_cart, into=saved_cart)

    assert merged.pk == saved_cart.pk
    assert quantities(saved_cart) == {"Linen towel": 3, "Rye bread": 1}
    assert not Cart.objects.filter(pk=guest_cart.pk).exists()
    assert merged.notes == []


def test_tracked_stock_caps_the_sum_with_a_note_shown_once(
    store, anna, guest_cart, saved_cart, mug
):
    actions.add_to_cart(saved_cart, mug, 2)
    actions.add_to_cart(guest_cart, mug, 2)

    merged = actions.merge_carts(guest_cart, into=saved_cart)

    assert quantities(saved_cart) == {"Mug": 3}
    contents = cart_contents(merged, store, anna)
    assert contents.notes == ("Only 3 of “Mug” left: your cart now has 3.",)

    actions.dismiss_notes(merged)

    saved_cart.refresh_from_db()
    assert cart_contents(saved_cart, store, anna).notes == ()


def test_the_line_maximum_caps_the_sum(store, anna, guest_cart, saved_cart, towel):
    actions.add_to_cart(saved_cart, towel, 600)
    actions.add_to_cart(guest_cart, towel, 500)

    merged = actions.merge_carts(guest_cart, into=saved_cart)

    assert quantities(saved_cart) == {"Linen towel": 999}
    assert cart_contents(merged, store, anna).notes == (
        "Your cart can hold at most 999 of “Linen towel”: it now has 999.",
    )


def test_a_line_of_a_product_gone_inactive_moves_as_it_is(
    store, anna, guest_cart, saved_cart, towel
):
    actions.add_to_cart(guest_cart, towel, 2)
    update_product(towel, is_published=False)

    merged = actions.merge_carts(guest_cart, into=saved_cart)

    assert quantities(saved_cart) == {"Linen towel": 2}
    (line,) = cart_contents(merged, store, anna).lines
    assert not line.orderable


def test_merging_a_cart_already_merged_changes_nothing(guest_cart, saved_cart, towel):
    actions.add_to_cart(guest_cart, towel, 2)
    actions.merge_carts(guest_cart, into=saved_cart)

    actions.merge_carts(guest_cart, into=saved_cart)

    assert quantities(saved_cart) == {"Linen towel": 2}


def test_carts_of_two_stores_do_not_merge(other_store, guest_cart, towel):
    elsewhere = actions.open_cart(other_store)
    actions.add_to_cart(guest_cart, towel, 1)

    with pytest.raises(CartError):
        actions.merge_carts(guest_cart, into=elsewhere)

    assert quantities(guest_cart) == {"Linen towel": 1}
