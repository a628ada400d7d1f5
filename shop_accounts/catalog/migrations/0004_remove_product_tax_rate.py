"""The product's tax rate is its tax class now (0003 moved each product to its
class), read from the store country's TaxRate."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_seed_tax_rates_and_classify_products'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='product',
            name='tax_rate',
        ),
    ]
