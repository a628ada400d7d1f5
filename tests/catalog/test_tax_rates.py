"""A product's VAT is the rate of its tax class in its store's country,
seeded for the demo countries; prices are stored net and shown with that
rate where the store shows prices with tax."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shop_accounts.catalog import pricing
from shop_accounts.catalog.actions import create_product
from shop_accounts.catalog.errors import NoTaxRate
from shop_accounts.catalog.models import TaxClass, TaxRate
from shop_accounts.catalog.tax import rate_for
from shop_accounts.stores import actions as store_actions

SEEDED = {
    "NL": ("21.00", "9.00"),
    "DE": ("19.00", "7.00"),
    "IT": ("22.00", "10.00"),
    "NO": ("25.00", "15.00"),
    "BE": ("21.00", "6.00"),
    "FR": ("20.00", "5.50"),
    "AT": ("20.00", "10.00"),
}


@pytest.mark.parametrize(("country", "rates"), SEEDED.items())
def test_the_demo_countries_have_their_standard_reduced_and_zero_rates(store, country, rates):
    store = store_actions.update_store(store, country=country)

    assert rate_for(store, TaxClass.STANDARD) == Decimal(rates[0])
    assert rate_for(store, TaxClass.REDUCED) == Decimal(rates[1])
    assert rate_for(store, TaxClass.ZERO) == Decimal("0.00")


def test_a_new_store_is_in_the_netherlands_until_the_merchant_says_otherwise(store):
    assert store.country == "NL"
    assert rate_for(store, TaxClass.STANDARD) == Decimal("21.00")


def test_a_country_without_rates_is_a_typed_refusal_naming_it(store):
    store = store_actions.update_store(store, country="US")

    with pytest.raises(NoTaxRate) as refused:
        rate_for(store, TaxClass.STANDARD)

    assert refused.value.text() == "There is no tax rate for “Standard rate” in US yet."
    assert rate_for(store, TaxClass.ZERO) == Decimal("0.00")


def test_prices_are_shown_with_the_rate_of_the_class_in_the_stores_country(store):
    store = store_actions.update_store(store, country="DE")
    book = create_product(store, name="Atlas", price=Decimal("20.00"), tax_class=TaxClass.REDUCED)
    lamp = create_product(store, name="Lamp", price=Decimal("20.00"))

    shown = pricing.priced([book, lamp], store, signed_in=True)

    assert [item.price for item in shown] == [Decimal("21.40"), Decimal("23.80")]
    net_store = store_actions.update_store(store, prices_include_tax=False)
    assert pricing.shown_price(lamp, net_store) == Decimal("20.00")


def test_a_list_of_prices_reads_the_rates_once(store, django_assert_num_queries):
    products = [create_product(store, name=f"Mug {n}", price=Decimal("9.90")) for n in range(10)]

    with django_assert_num_queries(1):
        pricing.priced(products, store, signed_in=True)


def test_one_rate_per_country_and_class(store):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        TaxRate.objects.create(country="NL", tax_class=TaxClass.STANDARD, rate=Decimal("20"))


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_product_the_class_of_its_old_rate(store):
    """0003 maps an old rate of 0 to zero-rated, the country's reduced rate to
    reduced, anything else to standard; going back restores the rates."""
    executor = MigrationExecutor(connection)
    before = [("catalog", "0002_tax_classes_rates_and_stock")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldProduct = old.get_model("catalog", "Product")
    rates = {"towel": "21.00", "bread": "9.00", "stamp": "0.00", "odd": "13.00"}
    for slug, rate in rates.items():
        OldProduct.objects.create(
            store_id=store.pk, name=slug, slug=slug, price=Decimal("1.00"), tax_rate=Decimal(rate)
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from shop_accounts.catalog.models import Product

    classes = dict(Product.objects.values_list("slug", "tax_class"))
    assert classes == {"towel": "standard", "bread": "reduced", "stamp": "zero", "odd": "standard"}
