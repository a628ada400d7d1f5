"""Typed errors raised by store actions (see core/errors.py)."""

from django.utils.translation import gettext_lazy as _

from shop_accounts.core.errors import DomainError, InvalidInput


class StoreError(DomainError):
    code = "store_error"
    message = _("The store could not be changed.")


class HostnameTaken(StoreError):
    code = "hostname_taken"
    message = _("Another store already uses this host name.")
    field = "hostname"


class InvalidStoreSetting(InvalidInput, StoreError):
    """A store setting that breaks its rule (e.g. a minimum password length
    outside 8 to 64); `errors` holds each field's messages."""

    code = "invalid_store_setting"
    message = _("Check the store's settings: some of them are not valid.")


class InvalidEmailText(InvalidInput, StoreError):
    """An email text that breaks its rules (one per store, kind and language;
    a subject of at most 200 characters); `errors` holds each field's."""

    code = "invalid_email_text"
    message = _("Check the email text: some of its fields are not valid.")
