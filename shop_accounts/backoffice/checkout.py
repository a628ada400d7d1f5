"""Shipping rates in the back office: per store, for some countries or for
every country no other rate names, with a price and a free-from amount."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.widgets import UnfoldAdminSelect2MultipleWidget

from shop_accounts.backoffice.policy import acting_merchant
from shop_accounts.backoffice.site import backoffice_site
from shop_accounts.checkout import actions
from shop_accounts.checkout.errors import InvalidShippingRate
from shop_accounts.checkout.models import ShippingRate


@admin.register(ShippingRate, site=backoffice_site)
class ShippingRateAdmin(ModelAdmin):
    list_display = [
        "name",
        "store",
        "destinations",
        "price",
        "free_above",
        "is_active",
        "position",
    ]
    list_editable = ["is_active", "position"]
    list_filter = ["store", "is_active"]
    search_fields = ["name"]
    list_select_related = ["store"]
    ordering = ["store", "position", "id"]
    fields = ["store", "name", "countries", "price", "free_above", "is_active", "position"]
    list_per_page = 50

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A list of countries to pick from (unfold would make it one text box).
        if db_field.name == "countries":
            kwargs["widget"] = UnfoldAdminSelect2MultipleWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("destination countries"))
    def destinations(self, rate: ShippingRate) -> str:
        names = [str(country.name) for country in rate.countries]  # type: ignore[attr-defined]
        return ", ".join(names) if names else str(_("Every other country"))

    def save_model(self, request: HttpRequest, obj: ShippingRate, form: Any, change: bool) -> None:
        try:
            actions.save_shipping_rate(obj, actor=acting_merchant(request))
        except InvalidShippingRate as error:  # the form checks the same rules first
            raise ValidationError(error.text()) from error
