from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "shop_accounts.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")

    def ready(self) -> None:
        from django.urls import reverse

        from shop_accounts.stores.links import register_link

        # Domain code links to a customer's page by this name (the contact
        # message forwarded to the merchant); its path is the back office's.
        register_link(
            "customer_record",
            lambda customer_id: reverse("backoffice:customers_customer_change", args=[customer_id]),
        )
