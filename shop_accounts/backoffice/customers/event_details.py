"""What the back office says about one event on a customer's trail: a short,
translated sentence built from the event's data, so a merchant reads
"Password, after 100 failures" instead of "factor: password; failures: 100".

Events keep their raw data (the audit trail is the record); this only
words it. A kind or key this module does not know is shown as it is stored,
so nothing recorded is ever hidden."""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries

from shop_accounts.catalog.models import CustomerGroup
from shop_accounts.customers.models import Customer, CustomerEvent
from shop_accounts.identity.models import FactorFailures
from shop_accounts.stores.models import Store

Kind = CustomerEvent.Kind


def _label(choices: type, value: Any) -> str:
    """The translated label of `value` in a TextChoices class, or the value."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _field_names(fields: list[str]) -> str:
    names = []
    for name in fields:
        try:
            field = Customer._meta.get_field(name)
        except FieldDoesNotExist:
            names.append(name)
            continue
        names.append(str(getattr(field, "verbose_name", name)))
    return ", ".join(names)


def _date(iso: str) -> str:
    try:
        return formats.date_format(datetime.fromisoformat(iso), "SHORT_DATE_FORMAT")
    except ValueError:
        return iso


CREATION_SOURCES = {
    "signup": gettext_lazy("From a sign-up"),
    "backoffice": gettext_lazy("By the merchant"),
    "contact": gettext_lazy("From the contact form"),
    "checkout": gettext_lazy("From a guest checkout"),
    "import": gettext_lazy("Imported"),
    "invitation": gettext_lazy("From an invitation"),
}
TWO_FACTOR_METHODS = {
    "totp": gettext_lazy("Authenticator app"),
    "webauthn": gettext_lazy("Passkey"),
    "recovery_codes": gettext_lazy("Recovery codes"),
}

SIGNIN_METHODS = {
    "password": gettext_lazy("With a password"),
    "link": gettext_lazy("With an emailed link"),
    "code": gettext_lazy("With an emailed code"),
    "passkey": gettext_lazy("With a passkey"),
    "invitation": gettext_lazy("By accepting an invitation"),
    "password_reset": gettext_lazy("After a password reset"),
}
FAILED_METHODS = {
    "password": gettext_lazy("Wrong password"),
}


def _address(data: dict) -> str:
    # Rows written before the country was kept as a code hold it as an English name.
    country = countries.name(data["country"]) if data.get("country") else ""
    return ", ".join(part for part in (data.get("address", ""), country) if part)


def _two_factor_reset(data: dict) -> str:
    removed = [str(TWO_FACTOR_METHODS.get(kind, kind)) for kind in data.get("removed", [])]
    return _("Removed: %(methods)s") % {"methods": ", ".join(removed)} if removed else ""


def _named(names: dict[str, Any], key: str) -> Callable[[dict], str]:
    """A describer that shows the name of `data[key]`, or the stored value."""
    return lambda data: str(names.get(data.get(key, ""), data.get(key, "")))


def _updated(data: dict) -> str:
    changed = _("Changed: %(fields)s") % {"fields": _field_names(data.get("fields", []))}
    if data.get("previous_email"):
        return _("%(changed)s (was %(email)s)") % {
            "changed": changed,
            "email": data["previous_email"],
        }
    return changed


def _marketing_consent(data: dict) -> str:
    source = _label(Customer.ConsentSource, data.get("source", ""))
    if data.get("accepts"):
        return _("Given: %(source)s") % {"source": source}
    return _("Withdrawn: %(source)s") % {"source": source}


def _previous_state(data: dict) -> str:
    if "previous_state" not in data:
        return ""
    return _("Was: %(state)s") % {
        "state": _label(Customer.AccountState, data["previous_state"]),
    }


def _with_reason(describer: Callable[[dict], str]) -> Callable[[dict], str]:
    """`describer`'s sentence and the reason the merchant gave, if any."""

    def described(data: dict) -> str:
        sentence = describer(data)
        if not data.get("reason"):
            return sentence
        reason = _("Reason: %(reason)s") % {"reason": data["reason"]}
        return f"{sentence}; {reason}" if sentence else reason

    return described


def _account_created(data: dict) -> str:
    return _("State: %(state)s") % {"state": _label(Customer.AccountState, data.get("state"))}


def _registered(data: dict) -> str:
    mode = _label(Store.SignupMode, data.get("signup_mode", ""))
    given = data.get("given") or {}
    if not given:
        return mode
    return _("%(mode)s; given: %(fields)s") % {
        "mode": mode,
        "fields": "; ".join(
            f"{_field_names([field])}: {value}" for field, value in sorted(given.items())
        ),
    }


def _invited(data: dict) -> str:
    if "expires_at" not in data:
        return ""
    return _("The link works until %(date)s") % {"date": _date(data["expires_at"])}


def _factor_locked(data: dict) -> str:
    failures = int(data.get("failures", 0))
    return ngettext(
        "%(method)s, after %(count)d failure in a row",
        "%(method)s, after %(count)d failures in a row",
        failures,
    ) % {"method": _label(FactorFailures.Factor, data.get("factor", "")), "count": failures}


def _factor_unlocked(data: dict) -> str:
    return _label(FactorFailures.Factor, data.get("factor", ""))


def _sessions_ended(data: dict) -> str:
    sessions = int(data.get("sessions", 0))
    return ngettext("%(count)d device signed out", "%(count)d devices signed out", sessions) % {
        "count": sessions
    }


def _realm_changed(data: dict, store_names: dict[int, str]) -> str:
    if "store_id" in data:
        store = store_names.get(data["store_id"], data["store_id"])
    else:  # rows from before events held ids name the store
        store = data.get("store", "")
    if data.get("shared"):
        return _("%(store)s now shares accounts with other stores") % {"store": store}
    return _("%(store)s now keeps its own accounts") % {"store": store}


def _group_changed(data: dict, store_names: dict[int, str], group_names: dict[int, str]) -> str:
    store = store_names.get(data.get("store_id", 0), data.get("store_id", ""))
    unknown = _("a group since deleted")
    group = group_names.get(data.get("group_id") or 0, unknown)
    previous = group_names.get(data.get("previous_group_id") or 0, unknown)
    if data.get("group_id") is None:
        return _("Left %(previous)s in %(store)s") % {"previous": previous, "store": store}
    if data.get("previous_group_id") is None:
        return _("Put in %(group)s in %(store)s") % {"group": group, "store": store}
    return _("Moved from %(previous)s to %(group)s in %(store)s") % {
        "previous": previous,
        "group": group,
        "store": store,
    }


DESCRIBERS: dict[str, Callable[[dict], str]] = {
    Kind.CREATED: _named(CREATION_SOURCES, "source"),
    Kind.UPDATED: _updated,
    Kind.MARKETING_CONSENT: _marketing_consent,
    Kind.ADDRESS_ADDED: _address,
    Kind.ADDRESS_CHANGED: _address,
    Kind.ADDRESS_REMOVED: _address,
    Kind.ACCOUNT_CREATED: _account_created,
    Kind.ACCOUNT_ACTIVATED: _previous_state,
    Kind.ACCOUNT_DEACTIVATED: _with_reason(_previous_state),
    Kind.ACCOUNT_REACTIVATED: _previous_state,
    Kind.APPROVED: lambda data: "",
    Kind.DECLINED: _with_reason(lambda data: ""),
    Kind.REGISTERED: _registered,
    Kind.INVITED: _invited,
    Kind.INVITATION_RESENT: _invited,
    Kind.INVITATION_ACCEPTED: lambda data: "",
    Kind.SIGNED_IN_WITH_LINK: lambda data: "",
    Kind.PASSWORD_CHANGED: lambda data: "",
    Kind.PASSWORD_RESET_SENT: lambda data: "",
    Kind.FACTOR_LOCKED: _factor_locked,
    Kind.FACTOR_UNLOCKED: _factor_unlocked,
    Kind.SESSIONS_ENDED: _sessions_ended,
    Kind.EMAIL_VERIFIED: lambda data: data.get("email", ""),
    Kind.TWO_FACTOR_ADDED: _named(TWO_FACTOR_METHODS, "method"),
    Kind.TWO_FACTOR_REMOVED: _named(TWO_FACTOR_METHODS, "method"),
    Kind.RECOVERY_CODE_USED: lambda data: "",
    Kind.CONTACT_MESSAGE: lambda data: data.get("subject", ""),
    Kind.SIGNED_IN: _named(SIGNIN_METHODS, "method"),
    Kind.SIGNIN_FAILED: _named(FAILED_METHODS, "method"),
    Kind.PASSWORD_RESET_REQUESTED: lambda data: "",
    Kind.TWO_FACTOR_RESET: _two_factor_reset,
}


def describe(
    event: CustomerEvent,
    store_names: dict[int, str] | None = None,
    group_names: dict[int, str] | None = None,
) -> str:
    """The sentence for one event; `store_names` and `group_names` (pk to
    name) name the stores and customer groups the event refers to by id."""
    if event.kind == Kind.REALM_CHANGED:
        return _realm_changed(event.data or {}, store_names or {})
    if event.kind == Kind.GROUP_CHANGED:
        return _group_changed(event.data or {}, store_names or {}, group_names or {})
    describer = DESCRIBERS.get(event.kind)
    if describer is None:
        return "; ".join(f"{key}: {value}" for key, value in event.data.items())
    return describer(event.data or {})


def describe_trail(events: Iterable[CustomerEvent]) -> list[tuple[CustomerEvent, str]]:
    """Each event with its sentence. The stores that realm and group changes
    name by id are read in one query for the whole trail, the groups in one
    more (none when there are none)."""
    events = list(events)
    store_ids: set[int] = {
        event.data["store_id"]
        for event in events
        if event.kind in (Kind.REALM_CHANGED, Kind.GROUP_CHANGED)
        and isinstance(event.data.get("store_id"), int)
    }
    group_ids: set[int] = {
        event.data[key]
        for event in events
        if event.kind == Kind.GROUP_CHANGED
        for key in ("group_id", "previous_group_id")
        if isinstance(event.data.get(key), int)
    }
    store_names = (
        dict(Store.objects.filter(pk__in=store_ids).values_list("pk", "name")) if store_ids else {}
    )
    group_names = (
        dict(CustomerGroup.objects.filter(pk__in=group_ids).values_list("pk", "name"))
        if group_ids
        else {}
    )
    return [(event, describe(event, store_names, group_names)) for event in events]
