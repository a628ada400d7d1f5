from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "shop_accounts.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")

    def ready(self) -> None:
        # admin.py is found by autodiscovery; the other back-office modules
        # register their pages here so admin.py stays about customers.
        from shop_accounts.backoffice import approval_admin, catalog_admin  # noqa: F401
