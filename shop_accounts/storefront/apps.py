from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StorefrontConfig(AppConfig):
    name = "shop_accounts.storefront"
    label = "storefront"
    verbose_name = _("Storefront")

    def ready(self) -> None:
        from django.urls import reverse

        from shop_accounts.stores.links import register_link

        # The order emails link to the order's status page by this name.
        register_link(
            "order_status", lambda token: reverse("storefront:order-status", args=[token])
        )
