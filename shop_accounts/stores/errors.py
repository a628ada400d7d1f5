"""Typed errors raised by store actions."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise


class StoreError(Exception):
    code = "store_error"
    message: StrOrPromise = _("The store could not be changed.")

    def __init__(self, message: "str | StrOrPromise | None" = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class HostnameTaken(StoreError):
    code = "hostname_taken"
    message = _("Another store already uses this host name.")


class RealmChangeConflict(StoreError):
    code = "realm_change_conflict"
    message = _(
        "Some customers have an account in both this store and the stores it would share "
        "with. Merge or remove those accounts first."
    )
