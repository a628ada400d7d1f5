"""Passkey names a customer can tell apart in their list: a new passkey is
named after the device it was made on, as the signed-in devices list names
devices ("Passkey on Firefox 128 on Windows 10"), and a name the customer
already has for another passkey gets a number ("… (2)"). allauth's own
names ("Master key", "Backup key") say nothing about where a key lives, and
it lets two passkeys share one name."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from shop_accounts.customers.models import Customer
from shop_accounts.identity.devices import device_name
from shop_accounts.identity.queries import passkey_names_of


def distinct_passkey_name(customer: Customer, name: str, *, except_pk: int | None = None) -> str:
    """`name`, or `name (2)`, `name (3)`, … when the customer already has a
    passkey called that (other than the one with `except_pk`)."""
    taken = passkey_names_of(customer, except_pk=except_pk)
    if name not in taken:
        return name
    number = 2
    while f"{name} ({number})" in taken:
        number += 1
    return f"{name} ({number})"


def default_passkey_name(customer: Customer, request: HttpRequest | None) -> str:
    """ "Passkey on Safari 17 on iPhone (iOS 17)", from the browser adding it,
    numbered when the customer has one of that name already."""
    agent = request.headers.get("user-agent", "") if request is not None else ""
    name = _("Passkey on %(device)s") % {"device": device_name(agent)}
    return distinct_passkey_name(customer, name)
