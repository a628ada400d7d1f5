"""The back office's pages, one module (or package) per area. Django's admin
autodiscovery imports only this module, so importing each area here is what
registers its pages on `backoffice_site`; a new area (orders, invoices,
subscriptions) is added to this list."""

from shop_accounts.backoffice import (  # noqa: F401
    catalog,
    checkout,
    customer_groups,
    email_texts,
    orders,
    outbox,
)
from shop_accounts.backoffice.customers import admin as customers_admin  # noqa: F401
from shop_accounts.backoffice.customers import approvals  # noqa: F401
from shop_accounts.backoffice.stores import admin as stores_admin  # noqa: F401
