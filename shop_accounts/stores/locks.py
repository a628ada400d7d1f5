"""Row locks on stores, in one place (the model is saleor's
`lock_objects.py`). A store is the first lock an action takes: store →
customer → order → order lines → the per-store invoice counter (DEVELOPERS.md,
"Locks")."""

from shop_accounts.stores.models import Store


def lock_store(pk: int) -> Store:
    """The store, locked until the transaction ends."""
    return Store.objects.select_for_update().get(pk=pk)
