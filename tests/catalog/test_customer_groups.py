"""Customer groups: a member pays the group's fixed price or its percentage
off (rounded per unit), sees it on the catalog and product pages marked as
their discount; guests, customers outside the group and pages with hidden
prices never show it. Setting groups (one customer or many) records the
change on the customer's trail."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shop_accounts.catalog import groups
from shop_accounts.catalog import queries as catalog_queries
from shop_accounts.catalog.actions import create_product, update_product
from shop_accounts.catalog.errors import (
    CustomerOutsideStore,
    GroupNameTaken,
    GroupOfAnotherStore,
    ProductOfAnotherStore,
)
from shop_accounts.catalog.models import CustomerGroup, GroupMembership, GroupPrice, Product
from shop_accounts.catalog.pricing import CustomerPrice, customer_prices, priced
from shop_accounts.core.errors import InvalidInput
from shop_accounts.customers import actions as customer_actions
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.stores import actions as store_actions
from shop_accounts.stores.models import Store


@pytest.fixture
def mug(store) -> Product:
    return create_product(store, name="Stoneware mug", price=Decimal("9.00"))


@pytest.fixture
def throw(store) -> Product:
    return create_product(store, name="Wool throw", price=Decimal("74.38"))


@pytest.fixture
def trade(store) -> CustomerGroup:
    return groups.create_customer_group(store, name="Trade", discount_percent=Decimal("10"))


@pytest.fixture
def member(store, trade, make_account_holder) -> Customer:
    customer = make_account_holder(store, "bernd@example.com", first_name="Bernd")
    groups.set_customer_group(customer, store=store, group=trade, actor=None)
    return customer


def signed_in(customer: Customer) -> Client:
    client = Client()
    client.force_login(customer)
    return client


def text_of(response) -> str:
    """The page's words, tags removed, spacing collapsed."""
    html = response.content.decode()
    body = html[html.index("<main") : html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def net_store(store: Store) -> Store:
    """The store showing prices without tax, so the page's amounts are the nets."""
    return store_actions.update_store(store, prices_include_tax=False)


# --- What a member pays -----------------------------------------------------------------


def test_a_member_pays_the_percentage_off_rounded_per_unit(store, trade, member):
    odd = create_product(store, name="Rye bread", price=Decimal("2.35"))
    half_cent = create_product(store, name="Clip", price=Decimal("0.05"))
    groups.update_customer_group(trade, discount_percent=Decimal("12.50"))

    prices = customer_prices([odd, half_cent], store, member)

    # 2.35 × 0.875 = 2.05625 → 2.06; 0.05 × 0.875 = 0.04375 → 0.04 (half up per unit).
    assert prices[odd.pk] == CustomerPrice(Decimal("2.06"), Decimal("2.35"), Decimal("12.50"))
    assert prices[half_cent.pk].net == Decimal("0.04")
    assert prices[odd.pk].discount == Decimal("0.29")


def test_half_a_cent_rounds_up(store, trade, member):
    cheap = create_product(store, name="Button", price=Decimal("0.05"))
    groups.update_customer_group(trade, discount_percent=Decimal("50"))

    assert customer_prices([cheap], store, member)[cheap.pk].net == Decimal("0.03")


def test_a_currency_without_cents_rounds_to_whole_units(make_account_holder, db):
    yen = store_actions.create_store(name="Tokyo Shop", hostname="jp.testserver", currency="JPY")
    tea = create_product(yen, name="Tea", price=Decimal("1250"))
    group = groups.create_customer_group(yen, name="Friends", discount_percent=Decimal("7"))
    customer = make_account_holder(yen, "kei@example.com")
    groups.set_customer_group(customer, store=yen, group=group, actor=None)

    # 1250 × 0.93 = 1162.5 → 1163.
    assert customer_prices([tea], yen, customer)[tea.pk].net == Decimal("1163")


def test_a_fixed_group_price_wins_over_the_percentage(store, trade, member, mug, throw):
    groups.set_group_price(trade, throw, Decimal("59.50"))

    prices = customer_prices([mug, throw], store, member)

    assert prices[throw.pk] == CustomerPrice(Decimal("59.50"), Decimal("74.38"), None)
    assert prices[mug.pk] == CustomerPrice(Decimal("8.10"), Decimal("9.00"), Decimal("10.00"))


def test_a_member_never_pays_more_than_the_regular_price_nor_below_zero(
    store, trade, member, mug, throw
):
    groups.set_group_price(trade, throw, Decimal("80.00"))
    groups.update_customer_group(trade, discount_percent=Decimal("100"))

    prices = customer_prices([mug, throw], store, member)

    assert prices[throw.pk] == CustomerPrice(Decimal("74.38"), Decimal("74.38"), None)
    assert prices[mug.pk] == CustomerPrice(Decimal("0.00"), Decimal("9.00"), Decimal("100.00"))


def test_guests_and_customers_outside_the_group_pay_the_regular_price(
    store, trade, member, mug, make_account_holder, django_assert_num_queries
):
    outsider = make_account_holder(store, "olga@example.com")

    with django_assert_num_queries(0):
        assert customer_prices([mug], store, None) == {
            mug.pk: CustomerPrice(Decimal("9.00"), Decimal("9.00"))
        }
    with django_assert_num_queries(1):
        assert customer_prices([mug], store, outsider)[mug.pk].net == Decimal("9.00")


def test_prices_of_many_products_cost_two_queries_for_a_member(
    store, trade, member, django_assert_num_queries
):
    products = [create_product(store, name=f"Mug {n}", price=Decimal("9.00")) for n in range(30)]
    groups.set_group_price(trade, products[3], Decimal("5.00"))

    with django_assert_num_queries(2):
        prices = customer_prices(products, store, member)

    assert prices[products[3].pk].net == Decimal("5.00")
    assert {prices[p.pk].net for p in products[4:]} == {Decimal("8.10")}


def test_another_stores_group_gives_no_discount_here(store, other_store, mug, db):
    # A shared realm: the customer is in a group of the other store only.
    shared = customer_actions.set_account_sharing(store, shares_accounts=True, actor=None)
    other = customer_actions.set_account_sharing(other_store, shares_accounts=True, actor=None)
    customer = customer_actions.create_customer(store=shared, email="sam@example.com", actor=None)
    elsewhere = groups.create_customer_group(other, name="VIP", discount_percent=Decimal("50"))
    groups.set_customer_group(customer, store=other, group=elsewhere, actor=None)

    assert customer_prices([mug], shared, customer)[mug.pk].net == Decimal("9.00")
    assert catalog_queries.customer_group(shared, customer) is None
    assert catalog_queries.customer_group(other, customer) == elsewhere


def test_priced_shows_the_members_price_with_tax_and_the_regular_one(store, member, mug):
    (item,) = priced([mug], store, signed_in=True, customer=member)

    # NL, 21 %: 8.10 + 1.70 and 9.00 + 1.89.
    assert (item.price, item.regular_price, item.discount_percent) == (
        Decimal("9.80"),
        Decimal("10.89"),
        Decimal("10.00"),
    )


def test_priced_shows_no_group_price_to_a_guest(store, member, mug):
    (item,) = priced([mug], store, signed_in=False, customer=member)

    assert (item.price, item.regular_price) == (Decimal("10.89"), None)


# --- On the pages -----------------------------------------------------------------------


def test_a_member_sees_their_price_on_the_catalog_and_product_pages(store, member, mug, throw):
    net_store(store)
    groups.set_group_price(catalog_queries.customer_group(store, member), throw, Decimal("59.50"))
    client = signed_in(member)

    catalog = text_of(client.get("/catalog/"))
    product = text_of(client.get(f"/products/{mug.slug}/"))

    assert "Stoneware mug Your price 8.10 EUR (10 % group discount) Regular price 9.00 EUR" in (
        catalog
    )
    assert "Wool throw Your price 59.50 EUR (your group price) Regular price 74.38 EUR" in catalog
    assert "Your price 8.10 EUR (10 % group discount) Regular price 9.00 EUR excl. tax" in product


def test_the_regular_price_is_struck_through_and_named_for_screen_readers(store, member, mug):
    html = signed_in(member).get(f"/products/{mug.slug}/").content.decode()

    assert (
        '<span class="price-regular"><span class="visually-hidden">Regular price</span>'
        " <s>10.89 EUR</s></span>"
    ) in html


def test_a_guest_sees_the_regular_price_only(store, member, mug):
    page = text_of(Client().get(f"/products/{mug.slug}/"))

    assert "10.89 EUR" in page
    assert "Your price" not in page
    assert "9.80" not in page


def test_another_groups_member_sees_their_own_groups_price(store, member, mug, make_account_holder):
    staff = groups.create_customer_group(store, name="Staff", discount_percent=Decimal("30"))
    colleague = make_account_holder(store, "chris@example.com")
    groups.set_customer_group(colleague, store=store, group=staff, actor=None)
    outsider = make_account_holder(store, "olga@example.com")

    theirs = text_of(signed_in(colleague).get(f"/products/{mug.slug}/"))
    nobodys = text_of(signed_in(outsider).get(f"/products/{mug.slug}/"))

    # 9.00 × 0.7 = 6.30 net, 7.62 with 21 %; Trade's 9.80 is nowhere.
    assert "Your price 7.62 EUR (30 % group discount)" in theirs
    assert "9.80" not in theirs
    assert "10.89 EUR" in nobodys
    assert "Your price" not in nobodys


def test_hidden_prices_stay_hidden_from_guests_whatever_the_groups(store, member, mug):
    hidden = store_actions.update_store(store, guest_prices=Store.GuestPrices.HIDDEN)

    guest = text_of(Client().get(f"/products/{mug.slug}/"))
    catalog = text_of(Client().get("/catalog/"))
    theirs = text_of(signed_in(member).get(f"/products/{mug.slug}/"))

    assert hidden.guest_prices == Store.GuestPrices.HIDDEN
    for page in (guest, catalog):
        assert "Sign in to see prices" in page
        assert "EUR" not in page
    assert "Your price 9.80 EUR (10 % group discount)" in theirs


def test_a_member_sees_their_price_in_the_cart_and_a_guest_the_regular_one(store, member, mug):
    client = signed_in(member)
    client.post("/cart/add/", {"product": mug.pk, "quantity": "2"})
    guest = Client()
    guest.post("/cart/add/", {"product": mug.pk, "quantity": "2"})

    theirs = text_of(client.get("/cart/"))
    regular = text_of(guest.get("/cart/"))

    # 8.10 net, 9.80 with 21 %; two of them 19.60.
    assert "Unit price Regular price 10.89 EUR 9.80 EUR" in theirs
    assert "19.60" in theirs
    assert "Unit price 10.89 EUR" in regular
    assert "9.80" not in regular


def test_the_catalog_costs_the_same_queries_for_3_and_for_20_products(store, trade, member):
    client = signed_in(member)
    client.get("/catalog/")  # the store is cached after the first request
    counts = []
    for total in (3, 20):
        for n in range(Product.objects.count(), total):
            product = create_product(store, name=f"Mug {n:02}", price=Decimal("9.00"))
            groups.set_group_price(trade, product, Decimal("7.00"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/catalog/").status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_the_discount_is_worded_in_the_customers_language(store, member, mug):
    member = customer_actions.update_customer(member, actor=None, language="de")
    client = signed_in(member)
    client.cookies["django_language"] = "de"

    page = text_of(client.get(f"/products/{mug.slug}/"))

    assert "Ihr Preis 9,80 EUR (10 % Gruppenrabatt) Normaler Preis 10,89 EUR" in page


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", "Jouw prijs 9,80 EUR (10 % groepskorting) Normale prijs 10,89 EUR"),
        ("nb", "Din pris 9,80 EUR (10 % grupperabatt) Ordinær pris 10,89 EUR"),
        ("it", "Il tuo prezzo 9,80 EUR (sconto di gruppo del 10 %) Prezzo normale 10,89 EUR"),
    ],
)
def test_the_discount_is_translated(store, member, mug, language, words):
    client = signed_in(member)
    client.cookies["django_language"] = language

    assert words in text_of(client.get(f"/products/{mug.slug}/"))


# --- Setting groups ---------------------------------------------------------------------


def test_putting_a_customer_in_a_group_records_it_on_their_trail(
    store, trade, make_account_holder, merchant
):
    customer = make_account_holder(store, "bernd@example.com")

    assert groups.set_customer_group(customer, store=store, group=trade, actor=merchant)

    assert catalog_queries.customer_group(store, customer) == trade
    event = CustomerEvent.objects.filter(kind=CustomerEvent.Kind.GROUP_CHANGED).get()
    assert (event.customer, event.actor) == (customer, merchant)
    assert event.data == {"store_id": store.pk, "group_id": trade.pk, "previous_group_id": None}


def test_moving_and_removing_record_each_change_and_repeating_records_nothing(store, trade, member):
    staff = groups.create_customer_group(store, name="Staff")

    moved = groups.set_customer_group(member, store=store, group=staff, actor=None)
    again = groups.set_customer_group(member, store=store, group=staff, actor=None)
    removed = groups.set_customer_group(member, store=store, group=None, actor=None)

    assert (moved, again, removed) == (True, False, True)
    assert not GroupMembership.objects.exists()
    assert [
        (e.data["previous_group_id"], e.data["group_id"])
        for e in CustomerEvent.objects.filter(kind=CustomerEvent.Kind.GROUP_CHANGED).order_by("id")
    ] == [(None, trade.pk), (trade.pk, staff.pk), (staff.pk, None)]


def test_a_group_of_another_store_or_a_customer_of_another_realm_is_refused(
    store, other_store, trade, make_account_holder
):
    here = make_account_holder(store, "bernd@example.com")
    there = make_account_holder(other_store, "olga@example.com")
    theirs = groups.create_customer_group(other_store, name="Trade")

    with pytest.raises(GroupOfAnotherStore):
        groups.set_customer_group(here, store=store, group=theirs, actor=None)
    with pytest.raises(CustomerOutsideStore):
        groups.set_customer_group(there, store=store, group=trade, actor=None)

    assert not GroupMembership.objects.exists()
    assert not CustomerEvent.objects.filter(kind=CustomerEvent.Kind.GROUP_CHANGED).exists()


def test_bulk_setting_moves_everyone_in_one_go_and_counts_the_rest(
    store, other_store, trade, member, make_account_holder
):
    staff = groups.create_customer_group(store, name="Staff")
    newcomers = [make_account_holder(store, f"c{n}@example.com") for n in range(3)]
    elsewhere = make_account_holder(other_store, "olga@example.com")
    groups.set_customer_group(newcomers[0], store=store, group=staff, actor=None)

    result = groups.set_customers_group(
        [member, *newcomers, elsewhere], store=store, group=staff, actor=None
    )

    assert (result.changed, result.unchanged, result.outside) == (3, 1, 1)
    assert set(
        GroupMembership.objects.filter(group=staff).values_list("customer__email", flat=True)
    ) == {"bernd@example.com", "c0@example.com", "c1@example.com", "c2@example.com"}
    assert not GroupMembership.objects.filter(customer=elsewhere).exists()


def test_bulk_removal_takes_them_out_of_the_stores_groups(store, trade, member):
    result = groups.set_customers_group([member], store=store, group=None, actor=None)

    assert result.changed == 1
    assert catalog_queries.customer_group(store, member) is None


def test_group_rules_are_refused_with_nothing_saved(store, other_store, trade):
    foreign = create_product(other_store, name="Chair", price=Decimal("80.00"))

    with pytest.raises(GroupNameTaken):
        groups.create_customer_group(store, name=" trade ")
    with pytest.raises(InvalidInput) as too_much:
        groups.create_customer_group(store, name="Greedy", discount_percent=Decimal("100.01"))
    with pytest.raises(InvalidInput):
        groups.update_customer_group(trade, discount_percent=Decimal("-1"))
    with pytest.raises(ProductOfAnotherStore):
        groups.set_group_price(trade, foreign, Decimal("10.00"))
    with pytest.raises(InvalidInput):
        groups.set_group_price(
            trade, create_product(store, name="Mug", price=Decimal("9")), Decimal("-0.01")
        )

    assert "discount_percent" in too_much.value.errors
    assert list(CustomerGroup.objects.values_list("name", "discount_percent")) == [
        ("Trade", Decimal("10.00"))
    ]
    assert not GroupPrice.objects.exists()


def test_a_changed_regular_price_moves_the_members_percentage_price(store, member, mug):
    update_product(mug, price=Decimal("10.00"))
    mug.refresh_from_db()

    assert customer_prices([mug], store, member)[mug.pk].net == Decimal("9.00")


def test_deleting_a_group_lets_its_members_go_on_their_trail(store, trade, member, merchant):
    groups.delete_customer_group(trade, actor=merchant)

    assert not CustomerGroup.objects.exists()
    assert catalog_queries.customer_group(store, member) is None
    last = CustomerEvent.objects.filter(kind=CustomerEvent.Kind.GROUP_CHANGED).first()
    assert last is not None
    assert (last.actor, last.data["group_id"], last.data["previous_group_id"]) == (
        merchant,
        None,
        trade.pk,
    )


def test_the_demo_has_a_trade_group_with_a_member_and_a_fixed_price(db):
    call_command("load_demo_data")

    trade = CustomerGroup.objects.get(name="Trade")
    assert trade.discount_percent == Decimal("10.00")
    assert trade.store.name == "Demo Shop"
    assert list(trade.prices.values_list("product__name", "price")) == [
        ("Wool throw", Decimal("59.50"))
    ]
    assert list(trade.memberships.values_list("customer__email", flat=True)) == [
        "bernd@example.com"
    ]


# --- At the same moment -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_simultaneous_group_changes_leave_one_membership_and_an_unbroken_trail(
    store, make_account_holder
):
    from tests.orders.test_concurrent_orders import all_at_once

    trade = groups.create_customer_group(store, name="Trade", discount_percent=Decimal("10"))
    staff = groups.create_customer_group(store, name="Staff", discount_percent=Decimal("30"))
    customer = make_account_holder(store, "bernd@example.com")
    others = [make_account_holder(store, f"c{n}@example.com") for n in range(3)]

    def setting(group):
        return lambda: groups.set_customer_group(customer, store=store, group=group, actor=None)

    def bulk(group):
        return lambda: groups.set_customers_group(
            [*others, customer], store=store, group=group, actor=None
        )

    _results, errors = all_at_once(
        [setting(trade), setting(staff), setting(None), bulk(trade), bulk(staff)] * 2
    )

    assert errors == []
    assert GroupMembership.objects.filter(customer=customer).count() <= 1
    # Each change starts from where the one before left the customer.
    trail = CustomerEvent.objects.filter(
        customer=customer, kind=CustomerEvent.Kind.GROUP_CHANGED
    ).order_by("id")
    now = None
    for event in trail:
        assert event.data["previous_group_id"] == now
        now = event.data["group_id"]
    current = catalog_queries.customer_group(store, customer)
    assert (current.pk if current else None) == now
