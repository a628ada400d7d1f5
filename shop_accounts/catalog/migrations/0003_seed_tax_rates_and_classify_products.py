"""Seed the VAT rates of the demo countries, then give every product the tax
class its old rate stood for in its store's country.

Rates in percent (standard, reduced) as in force in 2026; the zero class is
0 everywhere. Where a country has several reduced rates, the one for food
and books is taken (IT 10, FR 5.5). Norway is not in the EU: its rates are
here for the Norwegian store, which never applies EU reverse charge.
A product whose old rate was 0 is zero-rated, one at its country's reduced
rate reduced, every other one standard."""

from decimal import Decimal

from django.db import migrations

RATES = {
    "NL": ("21.00", "9.00"),
    "DE": ("19.00", "7.00"),
    "IT": ("22.00", "10.00"),
    "NO": ("25.00", "15.00"),
    "BE": ("21.00", "6.00"),
    "FR": ("20.00", "5.50"),
    "AT": ("20.00", "10.00"),
    "ES": ("21.00", "10.00"),
    "LU": ("17.00", "8.00"),
    "PL": ("23.00", "8.00"),
}


def seed_rates(apps):
    """Write the rates above (also called by the tests, whose transactional
    cases empty every table)."""
    TaxRate = apps.get_model("catalog", "TaxRate")
    for country, (standard, reduced) in RATES.items():
        for tax_class, rate in (("standard", standard), ("reduced", reduced), ("zero", "0.00")):
            TaxRate.objects.update_or_create(
                country=country, tax_class=tax_class, defaults={"rate": Decimal(rate)}
            )


def seed_rates_and_classify(apps, schema_editor):
    seed_rates(apps)
    Product = apps.get_model("catalog", "Product")
    for product in Product.objects.select_related("store").iterator():
        reduced = RATES.get(str(product.store.country), (None, None))[1]
        if product.tax_rate == 0:
            tax_class = "zero"
        elif reduced is not None and product.tax_rate == Decimal(reduced):
            tax_class = "reduced"
        else:
            tax_class = "standard"
        Product.objects.filter(pk=product.pk).update(tax_class=tax_class)


def products_back_to_rates(apps, schema_editor):
    TaxRate = apps.get_model("catalog", "TaxRate")
    Product = apps.get_model("catalog", "Product")
    for product in Product.objects.select_related("store").iterator():
        found = TaxRate.objects.filter(
            country=product.store.country, tax_class=product.tax_class
        ).first()
        rate = found.rate if found else Decimal("21.00")
        Product.objects.filter(pk=product.pk).update(tax_rate=rate)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_tax_classes_rates_and_stock'),
        ('stores', '0007_store_country'),
    ]

    operations = [
        migrations.RunPython(seed_rates_and_classify, products_back_to_rates),
    ]
