"""What a cart holds as one shopper sees it: prices through
`catalog.pricing.customer_prices` and the store's tax rates, shown with or
without tax as the store says, lines no longer orderable noted and left out
of the totals, and no prices at all where the store hides them from guests."""

from decimal import Decimal

from shop_accounts.cart import actions
from shop_accounts.cart.queries import cart_contents
from shop_accounts.catalog.actions import update_product
from shop_accounts.stores import actions as store_actions


def test_prices_with_tax_per_line_and_a_subtotal_taxed_per_rate(
    store, anna, saved_cart, towel, bread
):
    actions.add_to_cart(saved_cart, towel, 3)  # 3 × 12.40 = 37.20 net, 21 %
    actions.add_to_cart(saved_cart, bread, 2)  # 2 × 2.35 = 4.70 net, 9 %

    contents = cart_contents(saved_cart, store, anna)

    towel_line, bread_line = contents.lines
    assert (towel_line.unit_net, towel_line.unit_shown) == (Decimal("12.40"), Decimal("15.00"))
    assert (towel_line.line_net, towel_line.line_shown) == (Decimal("37.20"), Decimal("45.01"))
    assert (bread_line.unit_shown, bread_line.line_shown) == (Decimal("2.56"), Decimal("5.12"))
    assert towel_line.discount == Decimal("0.00")
    assert contents.subtotal_net == Decimal("41.90")
    assert contents.subtotal_gross == Decimal("50.13")  # 37.20 + 7.81 + 4.70 + 0.42
    assert contents.subtotal_shown == Decimal("50.13")
    assert contents.item_count == 5
    assert not contents.is_empty
    assert contents.notes == ()


def test_prices_without_tax_where_the_store_shows_them_so(store, anna, saved_cart, towel):
    store = store_actions.update_store(store, prices_include_tax=False)
    actions.add_to_cart(saved_cart, towel, 3)

    contents = cart_contents(saved_cart, store, anna)

    (line,) = contents.lines
    assert (line.unit_shown, line.line_shown) == (Decimal("12.40"), Decimal("37.20"))
    assert contents.subtotal_shown == Decimal("37.20")
    assert contents.subtotal_gross == Decimal("45.01")


def test_lines_no_longer_orderable_are_noted_and_not_counted(
    store, anna, saved_cart, towel, bread, mug
):
    actions.add_to_cart(saved_cart, towel, 1)
    actions.add_to_cart(saved_cart, bread, 1)
    actions.add_to_cart(saved_cart, mug, 3)
    update_product(bread, is_published=False)
    update_product(mug, stock=1)

    contents = cart_contents(saved_cart, store, anna)

    assert [line.note for line in contents.lines] == [
        "",
        "“Rye bread” is no longer available. Remove it to check out.",
        "“Mug”: only 1 left in stock. Lower the quantity to check out.",
    ]
    assert [line.product.name for line in contents.orderable_lines] == ["Linen towel"]
    assert contents.has_unorderable_lines
    assert contents.subtotal_shown == Decimal("15.00")

    update_product(mug, stock=0)
    contents = cart_contents(saved_cart, store, anna)
    assert contents.lines[2].note == "“Mug” is sold out. Remove it to check out."


def test_no_prices_for_a_guest_where_the_store_hides_them(store, guest_cart, towel):
    store = store_actions.update_store(store, guest_prices="hidden")
    actions.add_to_cart(guest_cart, towel, 2)

    contents = cart_contents(guest_cart, store, None)

    assert not contents.prices_visible
    (line,) = contents.lines
    assert (line.unit_shown, line.line_shown, line.regular_unit_shown) == (None, None, None)
    assert (contents.subtotal_shown, contents.subtotal_gross, contents.subtotal_net) == (
        None,
        None,
        None,
    )


def test_no_cart_is_an_empty_cart_without_a_query(store, django_assert_num_queries):
    with django_assert_num_queries(0):
        contents = cart_contents(None, store, None)

    assert contents.is_empty
    assert contents.subtotal_shown == Decimal("0.00")
