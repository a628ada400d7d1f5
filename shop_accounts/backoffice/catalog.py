"""Products in the back office."""

from django.contrib import admin
from unfold.admin import ModelAdmin

from shop_accounts.backoffice.site import backoffice_site
from shop_accounts.catalog.models import Product


@admin.register(Product, site=backoffice_site)
class ProductAdmin(ModelAdmin):
    list_display = ["name", "sku", "price", "tax_class", "store", "is_published"]
    list_filter = ["store", "is_published"]
    search_fields = ["name", "sku"]
    list_select_related = ["store"]
    prepopulated_fields = {"slug": ["name"]}
    list_per_page = 50
