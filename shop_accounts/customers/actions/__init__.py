"""Writes to customer records. Every change goes through one of these
functions, which lock what they change, validate, and record an event; the
storefront, back office, API, import and demo data all call them.

One module per use case; every public name is re-exported here, so callers
write `from shop_accounts.customers import actions; actions.create_customer(...)`."""

from shop_accounts.customers.actions.account_states import (
    activate_account,
    deactivate_account,
    reactivate_account,
    set_customer_password,
)
from shop_accounts.customers.actions.addresses import (
    ADDRESS_FIELDS,
    add_address,
    remove_address,
    update_address,
)
from shop_accounts.customers.actions.contact_messages import record_contact_message
from shop_accounts.customers.actions.realms import set_account_sharing
from shop_accounts.customers.actions.records import (
    EDIT_FIELDS,
    EDITABLE_FIELDS,
    change_customer_email,
    create_customer,
    edit_customer,
    normalize_email,
    set_marketing_consent,
    update_customer,
)
from shop_accounts.customers.actions.registrations import (
    SIGNUP_DETAILS,
    approve_registration,
    confirm_customer_email,
    decline_registration,
    open_account,
    register_customer,
)

__all__ = [
    "ADDRESS_FIELDS",
    "EDITABLE_FIELDS",
    "EDIT_FIELDS",
    "SIGNUP_DETAILS",
    "activate_account",
    "add_address",
    "approve_registration",
    "change_customer_email",
    "confirm_customer_email",
    "create_customer",
    "deactivate_account",
    "decline_registration",
    "edit_customer",
    "normalize_email",
    "open_account",
    "reactivate_account",
    "record_contact_message",
    "register_customer",
    "remove_address",
    "set_account_sharing",
    "set_customer_password",
    "set_marketing_consent",
    "update_address",
    "update_customer",
]
