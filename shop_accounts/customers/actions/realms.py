"""Account sharing between stores: moving customers between account realms."""

from django.db import transaction

from shop_accounts.customers import events
from shop_accounts.customers.errors import RealmChangeConflict
from shop_accounts.customers.locks import lock_customers
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.stores.actions import shared_realm
from shop_accounts.stores.locks import lock_store
from shop_accounts.stores.models import AccountRealm, Store
from shop_accounts.stores.queries import forget_cached_stores

Kind = CustomerEvent.Kind


@transaction.atomic
def set_account_sharing(store: Store, *, shares_accounts: bool, actor: Customer | None) -> Store:
    """Make `store` share customer accounts with the other sharing stores, or
    give it accounts of its own. The customers first recorded in this store move
    with it; refused if an email would then exist twice in one realm."""
    locked = lock_store(store.pk)
    if locked.shares_accounts == shares_accounts:
        return locked
    old_realm_id = locked.account_realm_id
    if shares_accounts:
        target = shared_realm()
        movers = Customer.objects.filter(realm_id=old_realm_id)
    else:
        target = AccountRealm.objects.create(name=locked.name)
        movers = Customer.objects.filter(realm_id=old_realm_id, store=locked)
    clash = Customer.objects.filter(realm=target, email__in=movers.values("email")).exists()
    if clash:
        raise RealmChangeConflict()
    # Store first, then its customers in primary-key order (the lock order).
    moving = lock_customers(movers.values_list("pk", flat=True))
    Customer.objects.filter(pk__in=[customer.pk for customer in moving]).update(realm=target)
    for customer in moving:
        events.record_realm_changed(
            customer=customer, actor=actor, store_id=locked.pk, shared=shares_accounts
        )
    locked.shares_accounts = shares_accounts
    locked.account_realm = target
    locked.save(update_fields=["shares_accounts", "account_realm", "updated_at"])
    forget_cached_stores()
    realm_unused = not AccountRealm.objects.filter(pk=old_realm_id, stores__isnull=False).exists()
    if realm_unused and not Customer.objects.filter(realm_id=old_realm_id).exists():
        AccountRealm.objects.filter(pk=old_realm_id, is_shared=False).delete()
    return locked
