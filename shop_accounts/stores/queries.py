"""Reads of stores."""

from django.db.models import QuerySet

from shop_accounts.stores.models import Store


def store_for_host(host: str) -> Store | None:
    """The store answering on `host` (port ignored), else the default store."""
    hostname = host.split(":", 1)[0].lower().rstrip(".")
    stores = list(
        Store.objects.select_related("account_realm").filter(hostname=hostname)
        | Store.objects.select_related("account_realm").filter(is_default=True)
    )
    for store in stores:
        if store.hostname == hostname:
            return store
    return stores[0] if stores else None


def stores_in_realm(realm_id: int) -> QuerySet[Store]:
    """The stores whose customers share the accounts of one realm."""
    return Store.objects.filter(account_realm_id=realm_id)
